"""POST /v1/court-callbacks/{jurisdiction}/ecf: a court's docketing callback reaches the
case it is about (integrator role: the court's system signs in as the jurisdiction's
court integrator, as police systems do; see docs/adapters.md)."""

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import ValidationError
from temporalio.service import RPCError

from adapters.errors import AdapterError
from adapters.registry import describe
from api import court_callbacks as soap
from api.access import RECEIVE_COURT_ANSWERS, allowed, caller_jurisdictions
from api.auth import Caller
from api.problems import ProblemError, ProblemKind, problem_responses
from api.services import Services, services
from diversion.court_answers import AnswerRefused, NoSuchCase, deliver

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
    content_type = request.headers.get("content-type", "")
    if content_type.split(";", 1)[0].strip().lower() not in soap.CONTENT_TYPES:
        raise ProblemError(
            ProblemKind.UNSUPPORTED_MEDIA_TYPE,
            f"send the callback as {', '.join(soap.CONTENT_TYPES)}, not {content_type!r}",
        )
    version = soap.soap_version(content_type)
    adapter = found.documents.adapter(jurisdiction)
    try:
        status = await asyncio.to_thread(adapter.parse_filing_status, await request.body())
        delivered = await deliver(found.gateway.client, jurisdiction, status)
    except NoSuchCase as e:
        raise ProblemError(ProblemKind.NOT_FOUND, str(e)) from None
    except (AdapterError, AnswerRefused, ValidationError) as e:
        reason = describe(e) if isinstance(e, ValidationError) else str(e)
        content, code = soap.fault(version, f"the callback was not taken: {reason}")
        return Response(content, status_code=code, media_type=version.media_type)
    except RPCError as e:
        raise ProblemError(
            ProblemKind.UPSTREAM_UNAVAILABLE, f"the case could not be reached ({e.status.name})"
        ) from None
    reference = status.court_reference or delivered.case_id
    return Response(soap.receipt(version, reference), media_type=version.media_type)
