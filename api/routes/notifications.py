"""Choices about our messages: a text's STOP or START (Twilio's signed webhook), and a
choice staff record for someone who told them by phone."""

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request, Response

from api.access import RECORD_CONTACT_CHOICES, allowed
from api.auth import Caller
from api.contact_choices import EMPTY_TWIML, ContactChoice, ContactChoiceRecorded
from api.problems import ProblemError, ProblemKind, problem_responses
from api.services import Services, services

router = APIRouter(prefix="/v1/notifications", tags=["notifications"])
FORM = "application/x-www-form-urlencoded"


@router.post("/inbound", operation_id="receive_text", include_in_schema=False)
async def receive_text(request: Request, found: Annotated[Services, Depends(services)]) -> Response:
    """Twilio's inbound-message webhook (a form post: From, To, Body), authenticated by its
    X-Twilio-Signature rather than a bearer token, so kept out of the OpenAPI document,
    which is for API clients (README: Notifications). STOP, STOPALL, UNSUBSCRIBE, CANCEL,
    END, QUIT, REVOKE or OPTOUT (the whole text, any case) stop our messages to the
    sender; START or UNSTOP resume them; 200 with an empty TwiML answer either way, 403
    problem+json for a bad or missing signature."""
    form: dict[str, str] = {}
    if request.headers.get("content-type", "").startswith(FORM):
        items = (await request.form()).multi_items()
        form = {name: value for name, value in items if isinstance(value, str)}
        if len(form) != len(items):  # Twilio posts each field once, as text
            form = {}  # nothing to verify: refused as unsigned
    signature = request.headers.get("X-Twilio-Signature")
    await found.contact_choices.text_received(str(request.url), form, signature)
    return Response(EMPTY_TWIML, media_type="text/xml")


@router.post(
    "/opt-outs",
    operation_id="record_contact_choice",
    response_model=ContactChoiceRecorded,
    responses=problem_responses(
        ProblemKind.VALIDATION, ProblemKind.UNAUTHORISED, ProblemKind.FORBIDDEN
    ),
)
async def record_contact_choice(
    given: Annotated[ContactChoice, Body()],
    caller: Annotated[Caller, Depends(allowed(RECORD_CONTACT_CHOICES))],
    found: Annotated[Services, Depends(services)],
) -> ContactChoiceRecorded:
    """A coordinator or victim advocate records a choice someone made by phone or in
    person: `stop` holds every message to that address, `start` resumes them. Kept, with
    who recorded it and the note, in the address's opt-out ledger."""
    if not (caller.jurisdictions & found.jurisdictions.keys()):
        raise ProblemError(ProblemKind.FORBIDDEN, "you hold no jurisdiction served here")
    return await found.contact_choices.record(given, caller.subject)
