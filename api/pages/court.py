"""The court's pages (clerk, judge, integrator): its cases with stage, last report and next
hearing, and each case as the court's view has it (domain/court_view.py): nothing about
consents, meetings, tasks or the victim's contact details."""

import asyncio
import base64
from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from api.access import COURT, REPORT_SAFETY, caller_jurisdictions
from api.auth import Caller
from api.pages.context import Found, SignedIn, State, reachable_case, with_roles, zone_of
from api.pages.errors import PageRoute
from api.problems import ProblemError, ProblemKind
from api.routes.cases import decode_cursor
from api.schemas import CaseSummary
from api.services import Services
from domain.case_views import case_view_for
from domain.court_view import CourtCaseView

router = APIRouter(route_class=PageRoute, include_in_schema=False)
LIST_SIZE = 25
# Reading each listed case's view: at most this many queries at once.
READS_AT_ONCE = 8


@router.get("/court")
async def court_home() -> Response:
    return RedirectResponse("/court/", status_code=308)


@router.get("/court/")
async def court_cases(
    request: Request,
    person: SignedIn,
    found: Found,
    state: State,
    cursor: str | None = None,
) -> Response:
    caller = await with_roles(person, COURT)
    jurisdictions = caller_jurisdictions(caller, found)
    summaries: list[CaseSummary] = []
    after: bytes | None = None
    if jurisdictions:
        summaries, after = await found.gateway.list_cases(
            jurisdictions,
            stage=None,
            outcome=None,
            court_case_number=None,
            limit=LIST_SIZE,
            cursor=decode_cursor(cursor),
        )
    views = await _court_views(found, caller, [s.case_id for s in summaries])
    return state.templates.render(
        request,
        "court_cases.html",
        {
            "rows": [(s, views.get(s.case_id)) for s in summaries],
            "next_cursor": base64.urlsafe_b64encode(after).decode() if after else None,
            "zones": {j: found.jurisdictions[j].timezone for j in jurisdictions},
        },
    )


async def _court_views(
    found: Services, caller: Caller, case_ids: list[str]
) -> dict[str, CourtCaseView]:
    """Each case's court view, for its last report and next hearing (search attributes
    carry neither). A case that cannot be read now is listed without them."""
    limit = asyncio.Semaphore(READS_AT_ONCE)
    now = datetime.now(UTC)

    async def read(case_id: str) -> CourtCaseView | None:
        async with limit:
            try:
                view = case_view_for(await found.gateway.view(case_id), caller.roles, now)
            except ProblemError:
                return None
        return view if isinstance(view, CourtCaseView) else None

    read_views = await asyncio.gather(*(read(c) for c in case_ids))
    return {c: v for c, v in zip(case_ids, read_views, strict=True) if v is not None}


@router.get("/court/cases/{case_id}")
async def court_case(
    case_id: str, request: Request, person: SignedIn, found: Found, state: State
) -> Response:
    caller = await with_roles(person, COURT)
    await reachable_case(case_id, caller, found, COURT)
    view = case_view_for(await found.gateway.view(case_id), caller.roles, datetime.now(UTC))
    if not isinstance(view, CourtCaseView):  # program staff read the case on their pages
        raise ProblemError(ProblemKind.FORBIDDEN, "program staff read cases on the staff pages")
    state.audit.record(caller.subject, "viewed case", case_id)
    return state.templates.render(
        request,
        "court_case.html",
        {
            "case": view,
            "zone": zone_of(found, view.jurisdiction),
            "done": request.query_params.get("done", ""),
            "side": "court",
            "may_report_safety": caller.has_any(REPORT_SAFETY),
        },
    )
