"""/v1/quarantine: court documents we could not read, to inspect and resubmit corrected.

Clerks and integrators see the documents of their own jurisdictions; any other id is
404, as for cases. A resubmission is read by the same court format; if it is refused
again the attempt is recorded on the entry, and the original stays as it came.

The documents themselves are not served back: they hold the victim's contact details,
which only the advocate role may see (DESIGN §2 rule 3), and the sender has the original.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from api.access import REFER, allowed, caller_jurisdictions
from api.auth import Caller
from api.problems import ProblemError, ProblemKind, problem_responses
from api.routes.referrals import ALREADY_REFERRED
from api.schemas import ReferralAccepted
from api.services import Services, services
from diversion.court_answers import COURT_CALLBACK
from diversion.quarantine import QuarantinedDocument, QuarantineStatus

router = APIRouter(prefix="/v1", tags=["quarantine"])
READ = problem_responses(ProblemKind.UNAUTHORISED, ProblemKind.FORBIDDEN, ProblemKind.NOT_FOUND)


async def quarantined(
    quarantine_id: Annotated[str, Path(max_length=64)],
    caller: Annotated[Caller, Depends(allowed(REFER))],
    found: Annotated[Services, Depends(services)],
) -> QuarantinedDocument:
    record = found.documents.store.get(quarantine_id)
    if record is None or record.jurisdiction not in caller_jurisdictions(caller, found):
        raise ProblemError(ProblemKind.NOT_FOUND, f"no quarantined document {quarantine_id!r}")
    return record


@router.get(
    "/quarantine",
    operation_id="list_quarantine",
    response_model=list[QuarantinedDocument],
    responses=problem_responses(ProblemKind.UNAUTHORISED, ProblemKind.FORBIDDEN),
)
async def list_quarantine(
    caller: Annotated[Caller, Depends(allowed(REFER))],
    found: Annotated[Services, Depends(services)],
    status: Annotated[QuarantineStatus | None, Query()] = QuarantineStatus.HELD,
) -> list[QuarantinedDocument]:
    """Newest first; `status` defaults to the documents still waiting for a correction."""
    return found.documents.store.list(set(caller_jurisdictions(caller, found)), status)


@router.get(
    "/quarantine/{quarantine_id}",
    operation_id="get_quarantined",
    response_model=QuarantinedDocument,
    responses=READ,
)
async def get_quarantined(
    record: Annotated[QuarantinedDocument, Depends(quarantined)],
) -> QuarantinedDocument:
    return record


@router.post(
    "/quarantine/{quarantine_id}/resubmit",
    operation_id="resubmit_quarantined",
    status_code=201,
    response_model=ReferralAccepted,
    responses=ALREADY_REFERRED
    | problem_responses(
        ProblemKind.DOCUMENT_REFUSED,
        ProblemKind.CONFLICT,
        ProblemKind.UNSUPPORTED_MEDIA_TYPE,
        ProblemKind.PAYLOAD_TOO_LARGE,
        ProblemKind.UNAUTHORISED,
        ProblemKind.FORBIDDEN,
        ProblemKind.NOT_FOUND,
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The corrected document, in the content type it first came in.",
            "content": {"application/xml": {"schema": {"type": "string"}}},
        }
    },
)
async def resubmit_quarantined(
    request: Request,
    response: Response,
    record: Annotated[QuarantinedDocument, Depends(quarantined)],
    found: Annotated[Services, Depends(services)],
) -> ReferralAccepted:
    if record.status is QuarantineStatus.RESUBMITTED:
        raise ProblemError(
            ProblemKind.CONFLICT,
            f"{record.id} was already resubmitted as case {record.case_id}",
            case_id=record.case_id,
        )
    if record.source == COURT_CALLBACK:
        raise ProblemError(
            ProblemKind.CONFLICT,
            f"{record.id} is a court's callback, not a referral: correct it and drop it into "
            "the jurisdiction's callbacks/ folder again",
        )
    content_type = request.headers.get("content-type", "")
    if not found.documents.accepts(record.jurisdiction, content_type):
        raise ProblemError(
            ProblemKind.UNSUPPORTED_MEDIA_TYPE,
            f"resubmit in the court format of {record.jurisdiction!r} "
            f"({found.documents.format_name(record.jurisdiction)}), as {record.content_type}",
        )
    referral = await found.documents.resubmit(record, await request.body())
    case, created = await found.intake.refer(referral)
    found.documents.store.resubmitted(record, case.case_id)
    response.status_code = 201 if created else 200
    response.headers["Location"] = f"/v1/cases/{case.case_id}"
    return ReferralAccepted(case=case, created=created)
