"""POST /v1/referrals: a court refers a case; idempotent by jurisdiction + case number."""

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from api import examples
from api.access import REFER, allowed, caller_jurisdictions, named_jurisdiction
from api.auth import Caller
from api.problems import ProblemError, ProblemKind, problem_responses
from api.referral_intake import IDEMPOTENCY_KEY
from api.schemas import ReferralAccepted
from api.services import Services, services
from domain.referral import Referral

router = APIRouter(prefix="/v1", tags=["referrals"])
JSON_TYPES = ("application/json",)
ALREADY_REFERRED: dict[int | str, dict[str, Any]] = {
    200: {"model": ReferralAccepted, "description": "Already referred with this content."}
}


def _is_json(media_type: str) -> bool:
    return media_type in JSON_TYPES or media_type.endswith("+json")


async def referral_body(
    request: Request,
    caller: Annotated[Caller, Depends(allowed(REFER))],
    found: Annotated[Services, Depends(services)],
    jurisdiction: Annotated[
        str | None,
        Query(
            description="For a court document (XML): the jurisdiction whose court format "
            "reads it. May be left out when your token names one jurisdiction.",
            max_length=64,
        ),
    ] = None,
) -> Referral:
    """Our JSON `Referral`, or a court document read by the jurisdiction's court adapter."""
    content_type = request.headers.get("content-type", "")
    media_type = content_type.split(";")[0].strip().lower()
    body = await request.body()
    if _is_json(media_type):
        try:
            return Referral.model_validate_json(body)
        except ValidationError as e:
            raise RequestValidationError(
                [{**err, "loc": ("body", *err["loc"])} for err in e.errors(include_input=False)]
            ) from None
    where = named_jurisdiction(jurisdiction, caller, found, doing="refer cases")
    if not media_type or not found.documents.accepts(where, content_type):
        raise ProblemError(
            ProblemKind.UNSUPPORTED_MEDIA_TYPE,
            f"send the referral as application/json, or in {where!r}'s court format "
            f"({found.documents.format_name(where)}), not {media_type or 'no content type'}",
        )
    return await found.documents.read(where, body, content_type)


@router.post(
    "/referrals",
    operation_id="create_referral",
    status_code=201,
    response_model=ReferralAccepted,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"$ref": "#/components/schemas/Referral"},
                    "examples": examples.one("A referral", examples.REFERRAL),
                },
                "application/xml": {
                    "schema": {"type": "string"},
                    "description": "A court document in the jurisdiction's court format "
                    "(ECF 4.01 CaseResponseMessage, ECF 5, NIEM case initiation). A document "
                    "the format refuses is kept in quarantine: 422 document-refused with its "
                    "quarantine_id.",
                },
            },
        }
    },
    responses=ALREADY_REFERRED
    | problem_responses(
        ProblemKind.VALIDATION,
        ProblemKind.DOCUMENT_REFUSED,
        ProblemKind.CONFLICT,
        ProblemKind.IDEMPOTENCY_KEY_REUSED,
        ProblemKind.UNAUTHORISED,
        ProblemKind.FORBIDDEN,
        ProblemKind.UNSUPPORTED_MEDIA_TYPE,
        ProblemKind.PAYLOAD_TOO_LARGE,
    ),
)
async def create_referral(
    referral: Annotated[Referral, Depends(referral_body)],
    response: Response,
    caller: Annotated[Caller, Depends(allowed(REFER))],
    found: Annotated[Services, Depends(services)],
    idempotency_key: Annotated[
        str | None,
        Header(
            description="Retry safely: the same key and content replay the first answer.",
            pattern=IDEMPOTENCY_KEY.pattern,
        ),
    ] = None,
) -> ReferralAccepted:
    if referral.jurisdiction not in found.jurisdictions:
        raise ProblemError(
            ProblemKind.VALIDATION,
            f"jurisdiction: {referral.jurisdiction!r} is not served here",
            errors=[{"location": "body.jurisdiction", "message": "unknown jurisdiction"}],
        )
    if referral.jurisdiction not in caller_jurisdictions(caller, found):
        raise ProblemError(
            ProblemKind.FORBIDDEN, f"you may not refer cases in {referral.jurisdiction!r}"
        )
    case, created = await found.intake.refer(referral, idempotency_key=idempotency_key)
    response.status_code = 201 if created else 200
    # A case id holds the case number's letters in any script: a header is ASCII.
    response.headers["Location"] = f"/v1/cases/{quote(case.case_id, safe='')}"
    return ReferralAccepted(case=case, created=created)
