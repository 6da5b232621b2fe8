"""A contact's choice about our messages, as it reaches the API: by text (Twilio's
inbound webhook, signed) or recorded by staff. Both go to the contact's opt-out ledger.

The webhook is authenticated by Twilio's signature alone (no bearer token): the
`X-Twilio-Signature` over the URL and the posted fields, with the auth token of the
jurisdiction whose number the text was sent to. A bad or missing signature changes
nothing and answers 403.
"""

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field
from twilio.request_validator import RequestValidator

from adapters.notifiers.base import Notifier
from adapters.notifiers.sms import SmsSettings, TwilioSmsNotifier
from api.problems import ProblemError, ProblemKind
from diversion.opt_out_ledgers import OptOutLedgers
from domain.contacts import Contact, ContactKind, normal_phone, parse_contact
from domain.opt_outs import Choice, ChoiceMade, ChoiceSource, keyword_choice

# Twilio reads this as "send no reply" (Twilio itself confirms a STOP to the sender).
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


class ContactChoice(BaseModel):
    """A choice a person made by phone or in person, recorded by staff."""

    model_config = ConfigDict(extra="forbid")

    address: str = Field(
        min_length=3,
        max_length=254,
        description="The phone number (international form: + and country code) or email "
        "address the choice is about.",
        examples=["+15550100418"],
    )
    choice: Choice
    note: str = Field(default="", max_length=500, description="How and when they told us.")


class ContactChoiceRecorded(BaseModel):
    choice: Choice
    contact: ContactKind = Field(description="Whether the address was a phone or an email.")


class ContactChoices:
    def __init__(self, ledgers: OptOutLedgers, notifiers: Mapping[str, Notifier]) -> None:
        self.ledgers = ledgers
        # Each of our texting numbers and the settings (auth token) of its jurisdiction.
        self.senders: dict[str, SmsSettings] = {
            n.settings.from_number: n.settings
            for n in notifiers.values()
            if isinstance(n, TwilioSmsNotifier)
        }

    async def record(self, given: ContactChoice, staff_subject: str) -> ContactChoiceRecorded:
        contact = parse_contact(given.address)
        if contact is None:
            raise ProblemError(
                ProblemKind.VALIDATION,
                "address: not an email address, nor a phone number in international form "
                "(+ and the country code)",
                errors=[{"location": "body.address", "message": "not a usable address"}],
            )
        made = ChoiceMade(
            choice=given.choice, source=ChoiceSource.STAFF, by=staff_subject, note=given.note
        )
        await self.ledgers.record_choice(contact, made)
        return ContactChoiceRecorded(choice=given.choice, contact=contact.kind)

    async def text_received(
        self, url: str, form: Mapping[str, str], signature: str | None
    ) -> Choice | None:
        """Verify the text's signature, then record a STOP or START; any other text is
        for people, not for us, and changes nothing."""
        settings = self.senders.get(normal_phone(form.get("To", "")) or "")
        if settings is None or not signature:
            raise ProblemError(
                ProblemKind.SIGNATURE_REFUSED,
                "not a signed text to one of our numbers (X-Twilio-Signature)",
            )
        validator = RequestValidator(settings.auth_token())
        if not validator.validate(settings.inbound_url or url, dict(form), signature):
            raise ProblemError(
                ProblemKind.SIGNATURE_REFUSED, "the X-Twilio-Signature does not match"
            )
        choice = keyword_choice(form.get("Body", ""))
        sender = normal_phone(form.get("From", ""))
        if choice is None or sender is None:
            return None
        made = ChoiceMade(choice=choice, source=ChoiceSource.TEXT)
        await self.ledgers.record_choice(Contact(ContactKind.PHONE, sender), made)
        return choice
