"""The Twilio SMS notifier against a fake of Twilio's Messages API on a local port."""

import pytest

from adapters.notifiers.base import (
    Channel,
    OutgoingMessage,
    PermanentFailure,
    RecipientOptedOut,
    TemporaryFailure,
)
from adapters.notifiers.sms import SmsSettings, TwilioSmsNotifier
from diversion.dev_server import free_port
from tests.notifications.conftest import SID_ENV, TOKEN_ENV
from tests.notifications.servers import FakeTwilio

OUR_NUMBER = "+15550100999"


def sms_settings(base_url: str, **changes: object) -> SmsSettings:
    return SmsSettings.model_validate(
        {
            "account_sid_env": SID_ENV,
            "auth_token_env": TOKEN_ENV,
            "from_number": OUR_NUMBER,
            "base_url": base_url,
            "allow_insecure_http": True,
            **changes,
        }
    )


def text(to: str = "+15550100418") -> OutgoingMessage:
    return OutgoingMessage(
        id="case-demo-cr-1.n3",
        case_id="case-demo-cr-1",
        jurisdiction="demo",
        channel=Channel.SMS,
        address=to,
        subject="Reminder",
        body="Your session is on Tuesday at 18:00.\n\nReply STOP to stop.",
    )


async def test_a_text_reaches_the_provider(twilio: FakeTwilio) -> None:
    receipt = await TwilioSmsNotifier(sms_settings(twilio.base_url)).send(text())
    assert twilio.sent == [
        {"To": "+15550100418", "From": OUR_NUMBER, "Body": text().body},
    ]
    assert receipt.provider_id == f"SM{1:032d}"


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_busy_or_down_is_temporary(twilio: FakeTwilio, status: int) -> None:
    twilio.replies.append((status, {"code": 20429, "message": "Too Many Requests"}))
    with pytest.raises(TemporaryFailure, match=f"HTTP {status}"):
        await TwilioSmsNotifier(sms_settings(twilio.base_url)).send(text())
    assert twilio.sent == []


@pytest.mark.parametrize(
    ("code", "words"),
    [(21211, "not a valid phone number"), (21614, "not a mobile number")],
)
async def test_a_number_never_reachable_is_permanent(
    twilio: FakeTwilio, code: int, words: str
) -> None:
    twilio.replies.append((400, {"code": code, "message": "The 'To' number +1555 is not valid"}))
    with pytest.raises(PermanentFailure, match=words) as refused:
        await TwilioSmsNotifier(sms_settings(twilio.base_url)).send(text())
    assert "+1555" not in str(refused.value)  # Twilio's words hold the number; ours do not


async def test_an_unsubscribed_number_is_an_opt_out(twilio: FakeTwilio) -> None:
    twilio.replies.append((400, {"code": 21610, "message": "Attempt to send to unsubscribed"}))
    with pytest.raises(RecipientOptedOut):
        await TwilioSmsNotifier(sms_settings(twilio.base_url)).send(text())


async def test_wrong_credentials_are_temporary_for_an_operator_to_fix(
    twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    notifier = TwilioSmsNotifier(sms_settings(twilio.base_url))
    monkeypatch.setenv(TOKEN_ENV, "rotated-but-not-here")
    with pytest.raises(TemporaryFailure, match="HTTP 401"):
        await notifier.send(text())


async def test_no_answer_is_temporary(twilio_env: None) -> None:
    notifier = TwilioSmsNotifier(sms_settings(f"http://127.0.0.1:{free_port()}"))
    with pytest.raises(TemporaryFailure, match="could not be reached"):
        await notifier.send(text())


def test_settings_refuse_what_would_leak_or_misfire(twilio_env: None) -> None:
    with pytest.raises(ValueError, match="must use https"):
        sms_settings("http://api.twilio.example", allow_insecure_http=False)
    with pytest.raises(ValueError, match="international form"):
        sms_settings("https://api.twilio.com", from_number="555 0100")
    with pytest.raises(ValueError, match="name of an environment variable"):
        sms_settings("https://api.twilio.com", auth_token_env="a1b2c3d4e5")
    assert sms_settings("https://api.twilio.com/").base_url == "https://api.twilio.com"
