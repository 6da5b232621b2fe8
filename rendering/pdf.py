"""A court report as PDF/A-2u through WeasyPrint: text searchable and mapped to Unicode,
the shipped fonts embedded (subset), the jurisdiction's page size, the case number and
"Page n of N" on every page, and no JavaScript, encryption or attachments.

The bytes depend on the report alone (for the same WeasyPrint and HarfBuzz): the
document's dates are the report's own generation time, the file identifier is a hash of
the content, and nothing is fetched but the fonts shipped here. That is what lets a
resend of one filing carry the same bytes, and the case keep the hash of what the court
received.

`render_pdf` renders each report's PDF once per process (rendering/kept_pdfs.py); the
worker and the API render in processes of their own (rendering/pdf_processes.py).
"""

import threading
from functools import cache
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.text import ffi
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from domain.report_page import ReportPage, report_page
from domain.reports import CourtReport, PageSize
from rendering import kept_pdfs
from rendering.errors import ReportRenderError
from rendering.glyphs import check_printable
from rendering.html import TEMPLATES, render_page_html

FONTS = Path(__file__).parent / "fonts"
PDF_VARIANT = "pdf/a-2u"
PAGE_SIZES: dict[PageSize, str] = {"letter": "letter", "a4": "A4"}

# WeasyPrint's font configuration (fontconfig and Pango underneath) is built once and
# shared; it is not made for two renders at once, and a render holds the GIL anyway.
_rendering = threading.Lock()


class ShippedFilesOnly(URLFetcher):  # type: ignore[misc]
    """Fetches the fonts shipped in this package and nothing else: no network, no other
    file, whatever a template or a stylesheet asks for."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        prefix = FONTS.as_uri() + "/"
        if not url.startswith(prefix) or "/" in url[len(prefix) :]:
            raise _Refused(f"a report may load only its shipped fonts, not {url!r}")
        path = FONTS / url[len(prefix) :]
        if not path.is_file():
            raise _Refused(f"no shipped font {path.name!r}")
        return URLFetcherResponse(url, body=path.read_bytes())


class _Refused(FatalURLFetchingError):  # type: ignore[misc]
    pass


def render_pdf(report: CourtReport) -> bytes:
    """The report's PDF: rendered the first time, then the same bytes again (in this
    process; rendering/kept_pdfs.py)."""
    key = kept_pdfs.content_key(report)
    pdf = kept_pdfs.KEPT.kept(key)
    if pdf is None:
        pdf = render_pdf_afresh(report)
        kept_pdfs.KEPT.keep(key, pdf)
    return pdf


def render_pdf_afresh(report: CourtReport) -> bytes:
    """The report's PDF rendered now, whatever is kept: what a rendering process runs
    (rendering/pdf_processes.py), and what checks that one report renders to the bytes it
    rendered to before."""
    return render_page_pdf(report_page(report))


def render_page_pdf(page: ReportPage) -> bytes:
    check_subsetter()
    check_printable(page.text())
    html = render_page_html(page, inline_style=False)
    with _rendering:
        fonts, screen_css, print_css = _stylesheets()
        document = HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=_FETCHER)
        try:
            pdf = document.write_pdf(
                stylesheets=[screen_css, print_css, _page_size(page.page_size)],
                font_config=fonts,
                pdf_variant=PDF_VARIANT,
            )
        except FatalURLFetchingError as e:
            raise ReportRenderError(str(e.__cause__ or e)) from None
    assert pdf is not None  # no target given: the bytes are returned
    return bytes(pdf)


_FETCHER = ShippedFilesOnly()


def check_subsetter() -> None:
    """WeasyPrint cuts the fonts down to the glyphs used with HarfBuzz-Subset when it is
    installed, else with fontTools: other bytes, and slower by half. Rendering on a machine
    without it would file PDFs that the service elsewhere cannot reproduce, so it is
    required, by name."""
    if ffi.harfbuzz_subset is None:
        raise ReportRenderError(
            "court reports need the HarfBuzz-Subset library, so that every machine renders "
            "the same bytes: install it (Debian: apt-get install libharfbuzz-subset0)"
        )


@cache
def _stylesheets() -> tuple[FontConfiguration, CSS, CSS]:
    """The fonts, and the page's stylesheet then paper's, each parsed once per process."""
    fonts = FontConfiguration()
    screen, paper = (
        CSS(
            string=(TEMPLATES / name).read_text(encoding="utf-8"),
            base_url=FONTS.parent.as_uri() + "/",
            url_fetcher=_FETCHER,
            font_config=fonts,
        )
        for name in ("report.css", "print.css")
    )
    return fonts, screen, paper


@cache
def _page_size(size: PageSize) -> CSS:
    return CSS(string=f"@page {{ size: {PAGE_SIZES[size]} portrait; }}")
