"""Text messages through Twilio's Messages REST API (httpx), and the settings the inbound
webhook verifies Twilio's signature with.

[jurisdictions.<id>.notifier]
kind = "sms"
settings = { account_sid_env = "DEMO_TWILIO_SID", auth_token_env = "DEMO_TWILIO_TOKEN",
             from_number = "+15550100999" }

A send is `POST {base_url}/2010-04-01/Accounts/{sid}/Messages.json`. Rate limits (429),
Twilio's own outages (5xx), timeouts and connection errors are temporary; Twilio's error
codes for a number that can never be texted are permanent, and 21610 (the recipient
texted STOP to Twilio) is an opt-out the send activity records in our ledger.
"""

from typing import Any, ClassVar

import httpx
from pydantic import Field, ValidationInfo, field_validator

from adapters.http.settings import checked_url, insecure_allowed
from adapters.notifiers.base import (
    Channel,
    Notifier,
    OutgoingMessage,
    PermanentFailure,
    RecipientOptedOut,
    SentReceipt,
    TemporaryFailure,
)
from adapters.notifiers.secrets import checked_env_name, read_secret
from adapters.registry import PluginSettings
from domain.contacts import normal_phone

TWILIO_API = "https://api.twilio.com"
UNSUBSCRIBED = 21610
# Twilio's codes for a number no retry will reach: invalid, not a mobile, not routable,
# a region we may not text. (https://www.twilio.com/docs/api/errors)
NEVER_REACHABLE = {
    21211: "the number is not a valid phone number",
    21214: "the number is not a valid phone number",
    21217: "the number is not a valid phone number",
    21401: "the number is not a valid phone number",
    21407: "texts to this country are not supported",
    21408: "texts to this region are not enabled for our account",
    21612: "the number cannot be reached by text",
    21614: "the number is not a mobile number",
}


class SmsSettings(PluginSettings):
    allow_insecure_http: bool = Field(
        default=False, description="Permit an http:// base_url; for local fakes in tests only."
    )
    account_sid_env: str
    auth_token_env: str
    from_number: str = Field(description="Our Twilio number, in E.164 (+ and country code).")
    base_url: str = TWILIO_API
    default_country_code: str | None = Field(
        default=None,
        pattern=r"^[1-9]\d{0,2}$",
        description="Given to a referral's phone number written without one (e.g. 1).",
    )
    inbound_url: str | None = Field(
        default=None,
        description="The webhook's address as Twilio calls it, when a proxy in front of the "
        "API changes it (the signature covers the URL).",
    )
    timeout_seconds: float = Field(default=15, gt=0)

    @field_validator("account_sid_env")
    @classmethod
    def _sid_set(cls, name: str) -> str:
        return checked_env_name(name, "the Twilio account SID")

    @field_validator("auth_token_env")
    @classmethod
    def _token_set(cls, name: str) -> str:
        return checked_env_name(name, "the Twilio auth token")

    @field_validator("from_number")
    @classmethod
    def _e164(cls, value: str) -> str:
        number = normal_phone(value)
        if number is None:
            raise ValueError("must be a phone number in international form (+ and country code)")
        return number

    @field_validator("base_url")
    @classmethod
    def _https(cls, url: str, info: ValidationInfo) -> str:
        return checked_url(url, insecure_allowed(info), field="base_url").rstrip("/")

    def auth_token(self) -> str:
        return read_secret(self.auth_token_env, "the Twilio auth token")


class TwilioSmsNotifier(Notifier):
    name: ClassVar[str] = "sms"
    channels: ClassVar[frozenset[Channel]] = frozenset({Channel.SMS})
    Settings = SmsSettings

    def __init__(self, settings: SmsSettings) -> None:
        super().__init__(settings)
        self.settings: SmsSettings = settings

    async def send(self, message: OutgoingMessage) -> SentReceipt:
        s = self.settings
        sid = read_secret(s.account_sid_env, "the Twilio account SID")
        url = f"{s.base_url}/2010-04-01/Accounts/{sid}/Messages.json"
        form = {"To": message.address, "From": s.from_number, "Body": message.body}
        try:
            async with httpx.AsyncClient(timeout=s.timeout_seconds) as http:
                response = await http.post(url, data=form, auth=(sid, s.auth_token()))
        except httpx.TransportError as e:  # timeouts included
            raise TemporaryFailure(f"Twilio could not be reached ({type(e).__name__})") from e
        if response.status_code in (200, 201):
            return SentReceipt(provider_id=_json(response).get("sid"))
        raise _refusal(response)


def _refusal(response: httpx.Response) -> Exception:
    status = response.status_code
    answer = _json(response)
    code = answer.get("code")
    if status == 429 or status >= 500:
        return TemporaryFailure(f"Twilio is busy or down (HTTP {status})")
    if status in (401, 403) and code not in NEVER_REACHABLE:
        # Our credentials, not the number: retried while an operator fixes them.
        return TemporaryFailure(f"Twilio refused our credentials (HTTP {status}, code {code})")
    if code == UNSUBSCRIBED:
        return RecipientOptedOut("the number has unsubscribed from our texts (Twilio 21610)")
    if isinstance(code, int) and code in NEVER_REACHABLE:
        return PermanentFailure(f"{NEVER_REACHABLE[code]} (Twilio {code})")
    return PermanentFailure(f"Twilio refused the message (HTTP {status}, code {code})")


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        found = response.json()
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
