"""GET /v1/outbox: what the dev notifier has written, for admins of those jurisdictions."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import ValidationError

from api.access import ADMIN, allowed, caller_jurisdictions
from api.auth import Caller
from api.problems import ProblemKind, problem_responses
from api.services import Services, services
from domain.reports import Notification

router = APIRouter(prefix="/v1", tags=["admin"])


@router.get(
    "/outbox",
    operation_id="list_outbox",
    response_model=list[Notification],
    responses=problem_responses(ProblemKind.UNAUTHORISED, ProblemKind.FORBIDDEN),
)
async def list_outbox(
    caller: Annotated[Caller, Depends(allowed(ADMIN))],
    found: Annotated[Services, Depends(services)],
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[Notification]:
    """Newest first."""
    jurisdictions = set(caller_jurisdictions(caller, found))
    folder = found.settings.outbox_dir / "notifications"
    files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    shown: list[Notification] = []
    for path in files:
        try:
            notification = Notification.model_validate_json(path.read_bytes())
        except (OSError, ValidationError):
            continue  # half-written or foreign file: the notifier's problem, not the reader's
        if notification.jurisdiction in jurisdictions:
            shown.append(notification)
            if len(shown) == limit:
                break
    return shown
