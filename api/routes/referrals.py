"""POST /v1/referrals: a court refers a case; idempotent by jurisdiction + case number."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Request, Response

from api import examples
from api.access import REFER, allowed, caller_jurisdictions
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


async def json_body(request: Request) -> None:
    """415 for any other content type (the jurisdiction's XML arrives with its adapter)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in JSON_TYPES and not media_type.endswith("+json"):
        raise ProblemError(
            ProblemKind.UNSUPPORTED_MEDIA_TYPE,
            f"send the referral as application/json, not {media_type or 'no content type'}",
        )


@router.post(
    "/referrals",
    operation_id="create_referral",
    status_code=201,
    response_model=ReferralAccepted,
    dependencies=[Depends(json_body)],
    responses=ALREADY_REFERRED
    | problem_responses(
        ProblemKind.VALIDATION,
        ProblemKind.CONFLICT,
        ProblemKind.IDEMPOTENCY_KEY_REUSED,
        ProblemKind.UNAUTHORISED,
        ProblemKind.FORBIDDEN,
        ProblemKind.UNSUPPORTED_MEDIA_TYPE,
        ProblemKind.PAYLOAD_TOO_LARGE,
    ),
)
async def create_referral(
    referral: Annotated[
        Referral, Body(openapi_examples=examples.one("A referral", examples.REFERRAL))
    ],
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
    response.headers["Location"] = f"/v1/cases/{case.case_id}"
    return ReferralAccepted(case=case, created=created)
