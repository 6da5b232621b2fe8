"""A filed court report read in the browser (the judge's page, as the reports API renders
it) or downloaded as its PDF. Which report a person may read is their view's, decided by
domain/report_views.py exactly as for `GET /v1/cases/{id}/reports/{n}`; the page only
carries the session instead of a bearer token."""

import hashlib
from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.access import COURT, STAFF
from api.pages.context import Found, SignedIn, State, reachable_case, with_roles
from api.pages.errors import PageRoute
from api.problems import ProblemError, ProblemKind
from domain.enums import Role
from domain.report_views import ReportNotKept, report_for
from domain.reports import CourtReport

router = APIRouter(route_class=PageRoute, include_in_schema=False)
SIDES = {"staff": STAFF | {Role.ADMIN}, "court": COURT}
# Reports name people: no shared cache keeps one.
PRIVATE = {"Cache-Control": "no-store"}


@router.get("/{side}/cases/{case_id}/reports/{sequence}")
async def report_page(
    side: str,
    case_id: str,
    sequence: int,
    person: SignedIn,
    found: Found,
    state: State,
    format: Literal["html", "pdf"] = "html",
) -> Response:
    roles = SIDES.get(side)
    if roles is None:
        raise ProblemError(ProblemKind.NOT_FOUND, "there is no such page")
    caller = await with_roles(person, roles)
    await reachable_case(case_id, caller, found, roles)
    case = await found.gateway.view(case_id)
    try:
        report = report_for(case, caller.roles, datetime.now(UTC), sequence)
    except ReportNotKept as e:
        raise ProblemError(ProblemKind.NOT_FOUND, str(e)) from None
    if report is None:
        raise ProblemError(ProblemKind.NOT_FOUND, f"this case has no report {sequence}")
    state.audit.record(caller.subject, f"read report {sequence} ({format})", case_id)
    if format == "pdf":
        return _pdf(await run_in_threadpool(_render_pdf, report), report)
    return HTMLResponse(await run_in_threadpool(_render_html, report), headers=PRIVATE)


def _render_html(report: CourtReport) -> str:
    from rendering.html import render_html  # Jinja2 for reports loads only when asked

    return render_html(report)


def _render_pdf(report: CourtReport) -> bytes:
    from rendering.pdf import render_pdf  # WeasyPrint loads only when a PDF is asked for

    return render_pdf(report)


def _pdf(pdf: bytes, report: CourtReport) -> Response:
    headers = {
        **PRIVATE,
        "Content-Disposition": f'attachment; filename="{report.file_stem}.pdf"',
        "ETag": f'"{hashlib.sha256(pdf).hexdigest()}"',
    }
    return Response(pdf, media_type="application/pdf", headers=headers)
