"""What staff and the court do to a case besides tasks: withdrawals, safety events,
directives and dispositions. Each is a workflow update, refused with the case's reason."""

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path

from api import examples
from api.access import (
    ACT_FOR_COURT,
    REPORT_SAFETY,
    SPEAK_FOR_VICTIM,
    WITHDRAW_FOR,
    case_access,
    may_withdraw,
)
from api.problems import ProblemKind, problem_responses
from api.schemas import ActionRecorded
from api.services import Services, services
from workflows.case import DiversionCase
from workflows.messages import (
    ConsentWithdrawal,
    CourtDirective,
    Disposition,
    NumberedStatementSharing,
    SafetyEvent,
    StatementSharing,
)

router = APIRouter(prefix="/v1", tags=["case actions"])
PROBLEMS = problem_responses(
    ProblemKind.VALIDATION,
    ProblemKind.TASK_REJECTED,
    ProblemKind.UNAUTHORISED,
    ProblemKind.FORBIDDEN,
    ProblemKind.NOT_FOUND,
)
WITHDRAWERS = frozenset(WITHDRAW_FOR.values())


@router.post(
    "/cases/{case_id}/consent-withdrawals",
    operation_id="withdraw_consent",
    response_model=ActionRecorded,
    responses=PROBLEMS,
)
async def withdraw_consent(
    case_id: Annotated[str, Depends(case_access(WITHDRAWERS))],
    withdrawal: Annotated[ConsentWithdrawal, Depends(may_withdraw)],
    found: Annotated[Services, Depends(services)],
) -> ActionRecorded:
    """The victim advocate records the victim's withdrawal; the coordinator the participant's.
    The court only ever learns that the process did not proceed."""
    await found.gateway.update(case_id, DiversionCase.withdraw_consent, withdrawal)
    return ActionRecorded(case_id=case_id, action="consent-withdrawal")


@router.post(
    "/cases/{case_id}/safety-events",
    operation_id="report_safety_event",
    response_model=ActionRecorded,
    responses=PROBLEMS,
)
async def report_safety_event(
    case_id: Annotated[str, Depends(case_access(REPORT_SAFETY))],
    event: Annotated[
        SafetyEvent, Body(openapi_examples=examples.one("An alert", examples.SAFETY_EVENT))
    ],
    found: Annotated[Services, Depends(services)],
) -> ActionRecorded:
    """Suspends the case before this returns."""
    await found.gateway.update(case_id, DiversionCase.report_safety_event, event)
    return ActionRecorded(case_id=case_id, action="safety-event")


@router.post(
    "/cases/{case_id}/court-directives",
    operation_id="give_court_directive",
    response_model=ActionRecorded,
    responses=PROBLEMS,
)
async def give_court_directive(
    case_id: Annotated[str, Depends(case_access(ACT_FOR_COURT))],
    directive: Annotated[
        CourtDirective,
        Body(openapi_examples=examples.one("Continue", examples.COURT_DIRECTIVE)),
    ],
    found: Annotated[Services, Depends(services)],
) -> ActionRecorded:
    await found.gateway.update(case_id, DiversionCase.court_directive, directive)
    return ActionRecorded(case_id=case_id, action="court-directive")


@router.post(
    "/cases/{case_id}/dispositions",
    operation_id="record_disposition",
    response_model=ActionRecorded,
    responses=PROBLEMS,
)
async def record_disposition(
    case_id: Annotated[str, Depends(case_access(ACT_FOR_COURT))],
    disposition: Annotated[
        Disposition, Body(openapi_examples=examples.one("Completed", examples.DISPOSITION))
    ],
    found: Annotated[Services, Depends(services)],
) -> ActionRecorded:
    await found.gateway.update(case_id, DiversionCase.record_disposition, disposition)
    return ActionRecorded(case_id=case_id, action="disposition")


@router.put(
    "/cases/{case_id}/victim-statements/{number}/sharing",
    operation_id="set_victim_statement_sharing",
    response_model=ActionRecorded,
    responses=PROBLEMS,
)
async def set_victim_statement_sharing(
    case_id: Annotated[str, Depends(case_access(SPEAK_FOR_VICTIM))],
    number: Annotated[int, Path(ge=1, le=10_000)],
    choice: Annotated[
        StatementSharing, Body(openapi_examples=examples.one("Unshare", examples.UNSHARE))
    ],
    found: Annotated[Services, Depends(services)],
) -> ActionRecorded:
    """The advocate records whether the victim's statement `number` (as the advocate's
    view of the case numbers them) may reach the court. Unshared, no later report carries
    it; a not-proceeded report never does."""
    sharing = NumberedStatementSharing(number=number, share_with_court=choice.share_with_court)
    await found.gateway.update(case_id, DiversionCase.set_statement_sharing, sharing)
    return ActionRecorded(case_id=case_id, action="victim-statement-sharing")
