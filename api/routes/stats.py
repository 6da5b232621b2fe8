"""GET /v1/stats: program outcomes for the caller's jurisdictions (counts, no cases)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.access import READ_CASES, allowed, caller_jurisdictions
from api.auth import Caller
from api.problems import ProblemError, ProblemKind, problem_responses
from api.services import Services, services
from api.stats import JurisdictionStats

router = APIRouter(prefix="/v1", tags=["stats"])


@router.get(
    "/stats",
    operation_id="program_stats",
    response_model=list[JurisdictionStats],
    responses=problem_responses(ProblemKind.UNAUTHORISED, ProblemKind.FORBIDDEN),
)
async def program_stats(
    caller: Annotated[Caller, Depends(allowed(READ_CASES))],
    found: Annotated[Services, Depends(services)],
    jurisdiction: Annotated[str | None, Query(max_length=64)] = None,
) -> list[JurisdictionStats]:
    """Referrals, conversion to conference, completion, reasons not proceeded and re-arrest
    rates at each follow-up, per jurisdiction (one of yours, or all of them)."""
    mine = caller_jurisdictions(caller, found)
    if jurisdiction is not None and jurisdiction not in mine:
        raise ProblemError(ProblemKind.FORBIDDEN, f"you may not read stats of {jurisdiction!r}")
    wanted = [jurisdiction] if jurisdiction is not None else mine
    return [await found.stats.of(j) for j in wanted]
