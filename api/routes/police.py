"""POST /v1/police/incidents: a police system pushes an incident (integrator role)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from api.access import PUSH_INCIDENTS, allowed, named_jurisdiction
from api.auth import Caller
from api.police_incidents import IncidentReceived
from api.problems import ProblemKind, problem_responses
from api.services import Services, services

router = APIRouter(prefix="/v1", tags=["police"])


@router.post(
    "/police/incidents",
    operation_id="push_police_incident",
    status_code=202,
    response_model=IncidentReceived,
    responses=problem_responses(
        ProblemKind.VALIDATION,
        ProblemKind.DOCUMENT_REFUSED,
        ProblemKind.UNAUTHORISED,
        ProblemKind.FORBIDDEN,
        ProblemKind.PAYLOAD_TOO_LARGE,
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "One incident in the jurisdiction's police format (NIBRS XML "
            "submission, or the RMS JSON). An incident concerning a participant of an open "
            "case suspends that case as a safety event before this answers.",
            "content": {
                "application/xml": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    },
)
async def push_police_incident(
    request: Request,
    caller: Annotated[Caller, Depends(allowed(PUSH_INCIDENTS))],
    found: Annotated[Services, Depends(services)],
    jurisdiction: Annotated[
        str | None,
        Query(
            description="Whose police adapter reads it; may be left out when your token "
            "names one jurisdiction.",
            max_length=64,
        ),
    ] = None,
) -> IncidentReceived:
    where = named_jurisdiction(jurisdiction, caller, found, doing="push incidents")
    content_type = request.headers.get("content-type", "")
    return await found.police.receive(where, await request.body(), content_type)
