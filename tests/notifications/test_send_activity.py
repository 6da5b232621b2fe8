"""The send activity through Temporal (time-skipping server): addressing, the opt-out
ledger checked just before each send, retries of temporary failures, refusals."""

import logging
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from activities.notification_activities import EMAIL_OPT_OUT
from diversion.opt_out_ledgers import OptOutLedgers
from domain.contacts import Contact, ContactKind
from domain.enums import Role
from domain.notifications import DeliveryStatus
from domain.opt_outs import Choice, ChoiceMade, ChoiceSource
from tests.notifications.driver import sending
from tests.notifications.examples import (
    DEMO,
    OPT_OUT,
    OUR_NUMBER,
    PARTICIPANT_NUMBER,
    STAFF,
    sms_jurisdiction,
    smtp_jurisdiction,
    to_participant,
    to_staff,
)
from tests.notifications.servers import FakeTwilio, Mailbox, text_of
from tests.workflows.conftest import TEST_CONTACT_KEY

PARTICIPANT = Contact(ContactKind.PHONE, PARTICIPANT_NUMBER)


def ledgers(env: WorkflowEnvironment, task_queue: str) -> OptOutLedgers:
    return OptOutLedgers(env.client, TEST_CONTACT_KEY, task_queue)


async def test_a_participant_is_texted_with_the_opt_out_line(
    env: WorkflowEnvironment, twilio: FakeTwilio, tmp_path: Path
) -> None:
    notification = to_participant()
    async with sending(
        env.client, sms_jurisdiction(twilio.base_url), tmp_path, TEST_CONTACT_KEY
    ) as run:
        outcome = await run.send(notification)
        await run.replay_everything([ledgers(env, run.task_queue).workflow_id(PARTICIPANT)])
    assert outcome.status is DeliveryStatus.SENT and outcome.channel == "sms"
    assert outcome.provider_id == f"SM{1:032d}"
    assert twilio.sent == [
        {"To": PARTICIPANT_NUMBER, "From": OUR_NUMBER, "Body": f"{notification.body}\n\n{OPT_OUT}"}
    ]


async def test_a_temporary_failure_is_retried_and_sends_once(
    env: WorkflowEnvironment, twilio: FakeTwilio, tmp_path: Path
) -> None:
    twilio.replies.append((503, {"code": 20500, "message": "Service Unavailable"}))
    async with sending(
        env.client, sms_jurisdiction(twilio.base_url), tmp_path, TEST_CONTACT_KEY
    ) as run:
        outcome = await run.send(to_participant())
    assert outcome.status is DeliveryStatus.SENT
    assert twilio.requests == 2
    assert len(twilio.sent) == 1


async def test_an_outage_is_logged_in_a_line_a_try_fewer_as_it_lasts_never_a_traceback(
    env: WorkflowEnvironment, twilio: FakeTwilio, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    twilio.replies.extend([(503, {"code": 20500, "message": "Service Unavailable"})] * 4)
    with caplog.at_level(logging.WARNING):
        async with sending(
            env.client, sms_jurisdiction(twilio.base_url), tmp_path, TEST_CONTACT_KEY
        ) as run:
            outcome = await run.send(to_participant())
    assert outcome.status is DeliveryStatus.SENT and twilio.requests == 5
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage().split("(try ")[1].split(";")[0] for r in warnings] == ["1", "2", "4"]
    assert all(r.exc_info is None and "HTTP 503" in r.getMessage() for r in warnings)
    assert PARTICIPANT_NUMBER not in caplog.text


async def test_a_retry_does_not_text_again_those_already_texted(
    env: WorkflowEnvironment, twilio: FakeTwilio, tmp_path: Path
) -> None:
    # Two coordinators: the first is texted, Twilio is down for the second, the activity
    # is retried; the ledger's record of sent ids spares the first a second text.
    twilio.replies.extend([None, (503, {"code": 20500, "message": "down"})])
    async with sending(
        env.client, sms_jurisdiction(twilio.base_url), tmp_path, TEST_CONTACT_KEY
    ) as run:
        outcome = await run.send(to_staff(Role.COORDINATOR))
    assert outcome.status is DeliveryStatus.SENT and outcome.detail == ""
    assert twilio.requests == 3
    assert sorted(m["To"] for m in twilio.sent) == ["+15550100201", "+15550100203"]


async def test_a_number_that_cannot_be_texted_is_refused_with_a_reason(
    env: WorkflowEnvironment, twilio: FakeTwilio, tmp_path: Path
) -> None:
    twilio.replies.append((400, {"code": 21211, "message": "The 'To' number is not valid"}))
    async with sending(
        env.client, sms_jurisdiction(twilio.base_url), tmp_path, TEST_CONTACT_KEY
    ) as run:
        outcome = await run.send(to_participant())
    assert outcome.status is DeliveryStatus.REFUSED
    assert outcome.detail == "the number is not a valid phone number (Twilio 21211)"
    assert twilio.requests == 1  # permanent: not retried


async def test_nobody_to_send_to_is_said_never_dropped(
    env: WorkflowEnvironment, twilio: FakeTwilio, tmp_path: Path
) -> None:
    no_advocate = [m for m in STAFF if Role.VICTIM_ADVOCATE not in m.roles]
    async with sending(
        env.client, sms_jurisdiction(twilio.base_url, no_advocate), tmp_path, TEST_CONTACT_KEY
    ) as run:
        no_phone = await run.send(to_participant(phone=None, email="kwame@mail.example"))
        local_only = await run.send(to_participant(phone="555 0100"))
        nobody = await run.send(to_staff(Role.VICTIM_ADVOCATE))
    assert no_phone.status is local_only.status is nobody.status is DeliveryStatus.NO_ADDRESS
    assert no_phone.detail == (
        "the referral gave no usable mobile number in international form for the participant"
    )
    assert nobody.detail == "nobody in the staff directory is a victim advocate"
    assert twilio.requests == 0


async def test_stop_suppresses_participant_messages_until_start(
    env: WorkflowEnvironment, twilio: FakeTwilio, tmp_path: Path
) -> None:
    async with sending(
        env.client, sms_jurisdiction(twilio.base_url), tmp_path, TEST_CONTACT_KEY
    ) as run:
        ledger = ledgers(env, run.task_queue)
        await ledger.record_choice(
            PARTICIPANT, ChoiceMade(choice=Choice.STOP, source=ChoiceSource.TEXT)
        )
        held = await run.send(to_participant())
        await ledger.record_choice(
            PARTICIPANT, ChoiceMade(choice=Choice.START, source=ChoiceSource.TEXT)
        )
        resumed = await run.send(to_participant())
        await run.replay_everything([ledger.workflow_id(PARTICIPANT)])
    assert held.status is DeliveryStatus.SUPPRESSED_OPT_OUT and held.channel is None
    assert resumed.status is DeliveryStatus.SENT
    assert len(twilio.sent) == 1


async def test_staff_alerts_are_not_subject_to_opt_out_and_carry_no_opt_out_line(
    env: WorkflowEnvironment, twilio: FakeTwilio, tmp_path: Path
) -> None:
    advocate = Contact(ContactKind.PHONE, "+15550100202")
    async with sending(
        env.client, sms_jurisdiction(twilio.base_url), tmp_path, TEST_CONTACT_KEY
    ) as run:
        await ledgers(env, run.task_queue).record_choice(
            advocate, ChoiceMade(choice=Choice.STOP, source=ChoiceSource.TEXT)
        )
        alert = to_staff(Role.VICTIM_ADVOCATE, urgent=True)
        outcome = await run.send(alert)
    assert outcome.status is DeliveryStatus.SENT
    assert sorted(m["To"] for m in twilio.sent) == ["+15550100202", "+15550100203"]
    assert all(m["Body"] == alert.body for m in twilio.sent)  # no "Reply STOP"


async def test_an_unsubscribed_number_is_recorded_as_an_opt_out(
    env: WorkflowEnvironment, twilio: FakeTwilio, tmp_path: Path
) -> None:
    twilio.replies.append((400, {"code": 21610, "message": "unsubscribed recipient"}))
    async with sending(
        env.client, sms_jurisdiction(twilio.base_url), tmp_path, TEST_CONTACT_KEY
    ) as run:
        first = await run.send(to_participant())
        state = await ledgers(env, run.task_queue).state(PARTICIPANT)
        second = await run.send(to_participant())
    assert first.status is second.status is DeliveryStatus.SUPPRESSED_OPT_OUT
    assert state.opted_out and state.last_choice is not None
    assert state.last_choice.source is ChoiceSource.PROVIDER
    assert twilio.requests == 1  # the second was held by our ledger, not sent to be refused


async def test_email_to_staff_has_no_opt_out_line_and_to_the_participant_has_one(
    env: WorkflowEnvironment, smtp: tuple[Mailbox, int], tmp_path: Path
) -> None:
    mailbox, port = smtp
    alert = to_staff(Role.COORDINATOR)
    reminder = to_participant(phone=None, email="Kwame.Mensah@Mail.example")
    async with sending(env.client, smtp_jurisdiction(port), tmp_path, TEST_CONTACT_KEY) as run:
        staff_outcome = await run.send(alert)
        participant_outcome = await run.send(reminder)
    assert staff_outcome.status is participant_outcome.status is DeliveryStatus.SENT
    by_address = {str(m["To"]): text_of(m) for m in mailbox.received}
    assert by_address == {
        "mariana@demo-rj.example": alert.body,
        "bjorn@demo-rj.example": alert.body,
        "kwame.mensah@mail.example": f"{reminder.body}\n\n{EMAIL_OPT_OUT}",
    }


async def test_the_outbox_honours_a_recorded_stop(env: WorkflowEnvironment, tmp_path: Path) -> None:
    async with sending(env.client, DEMO, tmp_path, TEST_CONTACT_KEY) as run:
        await ledgers(env, run.task_queue).record_choice(
            PARTICIPANT,
            ChoiceMade(choice=Choice.STOP, source=ChoiceSource.STAFF, by="coordinator-1"),
        )
        held = await run.send(to_participant())
        staff = await run.send(to_staff())
        # As with a real notifier: nobody to send it to, and staff are told why.
        anonymous = await run.send(to_participant(phone=None))
    assert held.status is DeliveryStatus.SUPPRESSED_OPT_OUT
    assert staff.status is DeliveryStatus.SENT
    assert anonymous.status is DeliveryStatus.NO_ADDRESS
    assert anonymous.detail == "the referral gave no usable address for the participant"
    written = sorted(p.name for p in (tmp_path / "notifications").glob("*.json"))
    assert len(written) == 1, "only the staff message was written"
