"""A court report as the judge's HTML page: the same template the PDF is made from."""

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from domain.report_page import ReportPage, report_page
from domain.reports import CourtReport

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    # Autoescaped, whatever the file name: every value shown is a name or words someone
    # typed. A missing value is an error, never an empty cell.
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def stylesheet() -> Markup:
    # Ours, not a caller's: safe to put in <style> as it is (entities are not decoded there).
    return Markup((TEMPLATES / "report.css").read_text(encoding="utf-8"))


def render_html(report: CourtReport) -> str:
    return render_page_html(report_page(report))


def render_page_html(page: ReportPage, *, inline_style: bool = True) -> str:
    """The page, its stylesheet inline; without it for the PDF, which is given the same
    stylesheet parsed once (`rendering.pdf`) rather than parsed again for every report."""
    template = environment().get_template(f"kinds/{page.kind.value}.html.j2")
    return template.render(page=page, stylesheet=stylesheet() if inline_style else None)
