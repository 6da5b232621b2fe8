"""`diversion report render FILE.json`: a court report rendered offline, as the service
files it, for integrators checking a court's requirements (paper, fonts, PDF/A, layout).

FILE.json is a report as `GET /v1/cases/{id}/reports/{n}` answers it in JSON, or a JSON
filing (the report inside its envelope). The PDF is the one the service would file for
that report, byte for byte; `--page-size` tries the other paper.
"""

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from adapters.registry import describe
from domain.reports import CourtReport

FORMATS = {"pdf": ".pdf", "html": ".html"}


def add_report_commands(commands: Any) -> None:
    report = commands.add_parser("report", help="court reports (integrators)")
    actions = report.add_subparsers(dest="action", required=True, metavar="ACTION")
    render = actions.add_parser(
        "render", help="render a report (JSON) to PDF/A-2u or the judge's HTML page, offline"
    )
    render.add_argument("file", metavar="FILE.json", type=Path)
    render.add_argument("--format", choices=sorted(FORMATS), default="pdf")
    render.add_argument(
        "--output", "-o", type=Path, help="where to write (default: FILE with .pdf or .html)"
    )
    render.add_argument(
        "--page-size", choices=["letter", "a4"], help="default: the report's own (its court's)"
    )
    render.set_defaults(run=render_report)


def render_report(args: argparse.Namespace) -> int:
    from rendering.errors import ReportRenderError

    try:
        report = read_report(args.file)
    except (OSError, ValueError) as e:
        print(f"diversion: error: {args.file}: {e}", file=sys.stderr)
        return 1
    if args.page_size:
        report = report.model_copy(update={"page_size": args.page_size})
    output = args.output or args.file.with_suffix(FORMATS[args.format])
    try:
        content = _render(report, args.format)
    except ReportRenderError as e:
        print(f"diversion: error: {args.file}: {e}", file=sys.stderr)
        return 1
    output.write_bytes(content)
    what = "PDF/A-2u" if args.format == "pdf" else "HTML"
    print(
        f"{output}: {what}, {report.page_size}, {len(content)} bytes, "
        f"SHA-256 {hashlib.sha256(content).hexdigest()}"
    )
    return 0


def read_report(path: Path) -> CourtReport:
    """A report, or the report inside a JSON filing; ValueError says what is wrong."""
    try:
        data = json.loads(path.read_bytes())
    except json.JSONDecodeError as e:
        raise ValueError(f"not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}") from e
    if isinstance(data, dict) and isinstance(data.get("report"), dict):
        data = data["report"]  # a JSON filing: the report is in its envelope
    try:
        return CourtReport.model_validate(data)
    except ValidationError as e:
        raise ValueError(f"not a court report: {describe(e)}") from e


def _render(report: CourtReport, format: str) -> bytes:
    if format == "html":
        from rendering.html import render_html

        return render_html(report).encode("utf-8")
    from rendering.pdf import render_pdf

    return render_pdf(report)
