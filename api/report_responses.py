"""A court report as an HTTP answer: its HTML page or its PDF, rendered off the event loop,
for the reports API and the pages alike. The renderers load only when first asked for
(Jinja2 for HTML; WeasyPrint for PDF, in a rendering process: rendering/pdf_processes.py),
so processes that never render pay nothing."""

import hashlib
from typing import Literal

from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from domain.reports import CourtReport
from rendering import pdf_processes

# Reports name people: no shared cache keeps one.
NO_STORE = {"Cache-Control": "no-store"}


async def html_response(report: CourtReport, headers: dict[str, str]) -> HTMLResponse:
    return HTMLResponse(await run_in_threadpool(_render_html, report), headers=headers)


async def pdf_response(
    report: CourtReport, headers: dict[str, str], disposition: Literal["inline", "attachment"]
) -> Response:
    """The PDF, with its hash as the ETag: the filed document's, byte for byte."""
    pdf = await pdf_processes.shared().pdf(report)
    sent = {
        **headers,
        "Content-Disposition": f'{disposition}; filename="{report.file_stem}.pdf"',
        "ETag": f'"{hashlib.sha256(pdf).hexdigest()}"',
    }
    return Response(pdf, media_type="application/pdf", headers=sent)


def _render_html(report: CourtReport) -> str:
    from rendering.html import render_html

    return render_html(report)
