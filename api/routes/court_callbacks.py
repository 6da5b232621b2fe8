"""POST /v1/court-callbacks/{jurisdiction}/ecf: a court's docketing callback reaches the
case it is about (integrator role: the court's system signs in as the jurisdiction's
court integrator, as police systems do; see docs/adapters.md)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response

from api import court_callbacks as soap
from api.access import RECEIVE_COURT_ANSWERS, allowed, caller_jurisdictions
from api.auth import Caller
from api.problems import ProblemError, ProblemKind, problem_responses
from api.services import Services, services

router = APIRouter(prefix="/v1", tags=["court"])

SOAP_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Taken: a SOAP envelope holding an ECF MessageReceiptMessage (code 0).",
        "content": {"text/xml": {}, "application/soap+xml": {}},
    },
    400: {"description": "SOAP 1.2 Sender fault: the callback could not be read or taken."},
    500: {"description": "SOAP 1.1 Client fault: the callback could not be read or taken."},
}


@router.post(
    "/court-callbacks/{jurisdiction}/ecf",
    operation_id="receive_ecf_callback",
    response_class=Response,
    responses=SOAP_RESPONSES
    | problem_responses(
        ProblemKind.NOT_FOUND,
        ProblemKind.UNAUTHORISED,
        ProblemKind.FORBIDDEN,
        ProblemKind.PAYLOAD_TOO_LARGE,
        ProblemKind.UNSUPPORTED_MEDIA_TYPE,
        ProblemKind.UPSTREAM_UNAVAILABLE,
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "An ECF RecordDocketingCallbackMessage (or review callback) in a "
            "SOAP 1.1 or 1.2 envelope, or bare. It names the filing by the court's reference "
            "(or our idempotency key) and the case by its docket id.",
            "content": {t: {"schema": {"type": "string"}} for t in soap.CONTENT_TYPES},
        }
    },
)
async def receive_ecf_callback(
    request: Request,
    jurisdiction: Annotated[str, Path(max_length=64)],
    caller: Annotated[Caller, Depends(allowed(RECEIVE_COURT_ANSWERS))],
    found: Annotated[Services, Depends(services)],
) -> Response:
    # Another jurisdiction's, unknown, or not taking ECF: one answer, as for a case.
    if jurisdiction not in caller_jurisdictions(caller, found) or (
        found.documents.format_name(jurisdiction) not in soap.FORMATS
    ):
        raise ProblemError(ProblemKind.NOT_FOUND, f"no ECF callbacks for {jurisdiction!r}")
    return await soap.take_callback(
        found.gateway.client,
        jurisdiction,
        found.documents.adapter(jurisdiction),
        await request.body(),
        request.headers.get("content-type", ""),
    )
