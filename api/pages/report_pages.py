"""A filed court report read in the browser (the judge's page, as the reports API renders
it) or downloaded as its PDF. Which report a person may read is their view's, decided by
domain/report_views.py exactly as for `GET /v1/cases/{id}/reports/{n}`; the page only
carries the session instead of a bearer token."""

from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Response

from api.access import COURT, STAFF
from api.pages.context import Found, SignedIn, State, reachable_case, with_roles
from api.pages.errors import PageRoute
from api.problems import ProblemError, ProblemKind
from api.report_responses import NO_STORE, html_response, pdf_response
from domain.enums import Role
from domain.report_views import ReportNotKept, report_for

router = APIRouter(route_class=PageRoute, include_in_schema=False)
SIDES = {"staff": STAFF | {Role.ADMIN}, "court": COURT}


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
        return await pdf_response(report, NO_STORE, "attachment")
    return await html_response(report, NO_STORE)
