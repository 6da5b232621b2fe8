"""Cases: list, view and timeline, each the view of the caller's roles (domain.case_views);
a closed case's re-arrest follow-up."""

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.access import READ_CASES, allowed, caller_jurisdictions, case_access
from api.auth import Caller
from api.problems import ProblemError, ProblemKind, problem_responses
from api.schemas import CasePage
from api.services import Services, services
from domain.case import TimelineEntry
from domain.case_views import CaseView, case_view_for
from domain.court_view import CourtMilestone
from domain.enums import Outcome, Stage
from domain.recidivism import FollowUpState

router = APIRouter(prefix="/v1", tags=["cases"])
READ_PROBLEMS = problem_responses(
    ProblemKind.UNAUTHORISED, ProblemKind.FORBIDDEN, ProblemKind.NOT_FOUND
)


@router.get(
    "/cases",
    operation_id="list_cases",
    response_model=CasePage,
    responses=problem_responses(
        ProblemKind.VALIDATION, ProblemKind.UNAUTHORISED, ProblemKind.FORBIDDEN
    ),
)
async def list_cases(
    caller: Annotated[Caller, Depends(allowed(READ_CASES))],
    found: Annotated[Services, Depends(services)],
    stage: Stage | None = None,
    outcome: Outcome | None = None,
    court_case_number: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=4000)] = None,
) -> CasePage:
    jurisdictions = caller_jurisdictions(caller, found)
    if not jurisdictions:
        return CasePage(items=[])
    try:
        items, next_token = await found.gateway.list_cases(
            jurisdictions,
            stage=stage,
            outcome=outcome,
            court_case_number=court_case_number,
            limit=limit,
            cursor=decode_cursor(cursor),
        )
    except ValueError as e:  # a case number with no letters or digits
        raise ProblemError(ProblemKind.VALIDATION, f"court_case_number: {e}") from None
    next_cursor = base64.urlsafe_b64encode(next_token).decode() if next_token else None
    return CasePage(items=items, next_cursor=next_cursor)


def decode_cursor(cursor: str | None) -> bytes | None:
    if cursor is None:
        return None
    try:
        token = base64.urlsafe_b64decode(cursor.encode())
        # Temporal's visibility page tokens are JSON objects; anything else would make
        # the server retry and fail slowly instead of answering now.
        if not isinstance(json.loads(token), dict):
            raise ValueError("not a page token")
        return token
    except (binascii.Error, ValueError):
        raise ProblemError(ProblemKind.VALIDATION, "cursor: not one this API issued") from None


@router.get(
    "/cases/{case_id}",
    operation_id="get_case",
    response_model=CaseView,
    responses=READ_PROBLEMS,
)
async def get_case(
    case_id: Annotated[str, Depends(case_access(READ_CASES))],
    caller: Annotated[Caller, Depends(allowed(READ_CASES))],
    found: Annotated[Services, Depends(services)],
) -> CaseView:
    """`audience` says which view this is: `advocate`, `staff` or `court`."""
    return await _view(case_id, caller, found)


async def _view(case_id: str, caller: Caller, found: Services) -> CaseView:
    return case_view_for(await found.gateway.view(case_id), caller.roles, datetime.now(UTC))


@router.get(
    "/cases/{case_id}/follow-up",
    operation_id="get_case_follow_up",
    response_model=FollowUpState,
    responses=READ_PROBLEMS,
    dependencies=[Depends(allowed(READ_CASES))],
)
async def get_case_follow_up(
    case_id: Annotated[str, Depends(case_access(READ_CASES))],
    found: Annotated[Services, Depends(services)],
) -> FollowUpState:
    """Re-arrests of the participant at each follow-up month after the case closed
    (policy), domestic-violence and other apart, with severity. The participant's only:
    nothing of the victim is in it."""
    follow_up = await found.gateway.follow_up(case_id)
    if follow_up is None:
        raise ProblemError(
            ProblemKind.NOT_FOUND,
            "this case has no re-arrest follow-up: one starts when the case closes, "
            "unless the jurisdiction's policy asks for none",
        )
    return follow_up


@router.get(
    "/cases/{case_id}/timeline",
    operation_id="get_case_timeline",
    response_model=list[TimelineEntry] | list[CourtMilestone],
    responses=READ_PROBLEMS,
)
async def get_case_timeline(
    case_id: Annotated[str, Depends(case_access(READ_CASES))],
    caller: Annotated[Caller, Depends(allowed(READ_CASES))],
    found: Annotated[Services, Depends(services)],
) -> list[TimelineEntry] | list[CourtMilestone]:
    """Program staff read every entry; the court reads its milestones only."""
    return (await _view(case_id, caller, found)).timeline
