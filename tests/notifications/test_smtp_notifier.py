"""The SMTP notifier against an aiosmtpd server running in the test."""

from datetime import UTC, datetime

import pytest

from adapters.notifiers.base import (
    Channel,
    OutgoingMessage,
    PermanentFailure,
    TemporaryFailure,
)
from adapters.notifiers.smtp import SmtpNotifier, SmtpSettings, message_id
from diversion.dev_server import free_port
from tests.notifications.servers import Mailbox, text_of

FROM = "reminders@demo-rj.example"


def notifier(port: int) -> SmtpNotifier:
    return SmtpNotifier(
        SmtpSettings(host="127.0.0.1", port=port, security="none", from_address=FROM)
    )


def message(address: str = "kwame.mensah@mail.example", **changes: object) -> OutgoingMessage:
    fields: dict[str, object] = {
        "id": "case-demo-cr-1.n3",
        "case_id": "case-demo-cr-1",
        "jurisdiction": "demo",
        "channel": Channel.EMAIL,
        "address": address,
        "subject": "Reminder: programme session",
        "body": "Your session is on Tuesday 9 March at 18:00.\n\nReply STOP to stop.",
        "created_at": datetime(2027, 3, 2, 15, 0, tzinfo=UTC),
    }
    return OutgoingMessage.model_validate({**fields, **changes})


async def test_the_server_receives_the_plain_text_message(smtp: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp
    sent = message()
    receipt = await notifier(port).send(sent)
    [received] = mailbox.received
    assert received["To"] == "kwame.mensah@mail.example"
    assert received["From"] == FROM
    assert received["Subject"] == "Reminder: programme session"
    assert received.get_content_type() == "text/plain"
    assert text_of(received) == sent.body
    # Derived from the message id, the same on every try, and no case number in it.
    assert received["Message-ID"] == message_id(sent, FROM) == receipt.provider_id
    assert "cr-1" not in received["Message-ID"]
    assert message_id(message(id="case-demo-cr-1.n4"), FROM) != received["Message-ID"]


async def test_names_in_any_script_arrive_intact(smtp: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp
    body = "Kia ora Whetū, ngā mihi. Ёлка, 東京, مرحبا — see you on Tuesday."
    await notifier(port).send(message(body=body, subject="Tēnā koe"))
    [received] = mailbox.received
    assert received.get_payload(decode=True).decode().strip() == body  # type: ignore[union-attr]
    assert str(received["Subject"]) == "Tēnā koe"


async def test_a_refused_mailbox_is_permanent(smtp: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp
    mailbox.refuse["gone@mail.example"] = "550 5.1.1 No such mailbox"
    with pytest.raises(PermanentFailure, match=r"refused the address \(550\)") as refused:
        await notifier(port).send(message("gone@mail.example"))
    assert "gone@" not in str(refused.value)  # staff read it; it holds no address
    assert mailbox.received == []


async def test_a_greylisted_mailbox_is_temporary(smtp: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp
    mailbox.refuse["busy@mail.example"] = "451 4.7.1 Greylisted, try again later"
    with pytest.raises(TemporaryFailure, match="451"):
        await notifier(port).send(message("busy@mail.example"))
    assert mailbox.received == []


async def test_a_server_that_does_not_answer_is_temporary() -> None:
    with pytest.raises(TemporaryFailure, match="could not be reached"):
        await notifier(free_port()).send(message())


def test_credentials_are_named_never_given(monkeypatch: pytest.MonkeyPatch) -> None:
    base = {"host": "smtp.example.org", "from_address": FROM}
    with pytest.raises(ValueError, match="name of an environment variable"):
        SmtpSettings.model_validate(
            {**base, "username_env": "rj", "password_env": "hunter2-password"}
        )
    with pytest.raises(ValueError, match=r"DEMO_SMTP_PASSWORD .* is not set"):
        SmtpSettings.model_validate(
            {**base, "username_env": "HOME", "password_env": "DEMO_SMTP_PASSWORD"}
        )
    monkeypatch.setenv("DEMO_SMTP_USER", "rj")
    monkeypatch.setenv("DEMO_SMTP_PASSWORD", "s3cret")
    with pytest.raises(ValueError, match="never sent without TLS"):
        SmtpSettings.model_validate(
            {
                **base,
                "security": "none",
                "username_env": "DEMO_SMTP_USER",
                "password_env": "DEMO_SMTP_PASSWORD",
            }
        )
    with pytest.raises(ValueError, match="given together"):
        SmtpSettings.model_validate({**base, "username_env": "DEMO_SMTP_USER"})
