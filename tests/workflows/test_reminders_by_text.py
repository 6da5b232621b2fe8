"""A case's reminders through the real SMS notifier and opt-out ledger, end to end: the
case's obligation reminders reach a local fake of Twilio's API; a STOP recorded in the
participant's ledger suppresses the next one (staff see it in the case's messages), a
START lets the following one through; a number the provider refuses for good becomes a
staff task, never a silent drop."""

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from diversion.opt_out_ledgers import OptOutLedgers
from domain.agreement import Agreement, Obligation
from domain.contacts import Contact, ContactKind
from domain.enums import ConferenceResult, ObligationKind, TaskKind
from domain.message_log import PARTICIPANT
from domain.notifications import DeliveryStatus
from domain.opt_outs import Choice, ChoiceMade, ChoiceSource
from tests.notifications.conftest import SID_ENV, TOKEN_ENV
from tests.notifications.examples import PARTICIPANT_NUMBER, sms_jurisdiction
from tests.notifications.servers import TWILIO_SID, TWILIO_TOKEN, FakeTwilio, fake_twilio
from tests.workflows.conftest import TEST_CONTACT_KEY
from tests.workflows.harness import Case, Harness
from tests.workflows.steps import hold_conference, through_preparation

THE_PARTICIPANT = Contact(ContactKind.PHONE, PARTICIPANT_NUMBER)


@pytest.fixture
def twilio(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTwilio]:
    monkeypatch.setenv(SID_ENV, TWILIO_SID)
    monkeypatch.setenv(TOKEN_ENV, TWILIO_TOKEN)
    with fake_twilio() as fake:
        yield fake


async def texting_case(harness: Harness, twilio: FakeTwilio) -> tuple[Case, datetime]:
    """A case in monitoring whose jurisdiction texts, with one item due at noon local in
    about a month; nobody on the staff directory, so staff alerts become tasks and every
    text the fake receives is the participant's."""
    harness.configure(sms_jurisdiction(twilio.base_url, staff=[]))
    case = await harness.start()
    assert case.referral.participant.phone  # "+1 555 0100 418": texted as PARTICIPANT_NUMBER
    await through_preparation(case)
    zone = ZoneInfo(harness.jurisdiction.timezone)
    day = (await case.now()).astimezone(zone).date() + timedelta(days=30)
    due = datetime.combine(day, time(12, 0), tzinfo=zone).astimezone(UTC)
    item = Obligation(kind=ObligationKind.COUNSELLING, description="Counselling", first_due=due)
    await hold_conference(case, ConferenceResult.AGREEMENT, Agreement(obligations=[item]))
    return case, due


def texts_to_the_participant(twilio: FakeTwilio) -> list[dict[str, str]]:
    return [t for t in twilio.sent if t["To"] == PARTICIPANT_NUMBER]


async def test_stop_suppresses_a_reminder_shown_to_staff_and_start_lets_the_next_through(
    harness: Harness, twilio: FakeTwilio
) -> None:
    case, due = await texting_case(harness, twilio)
    ledgers = OptOutLedgers(harness.env.client, TEST_CONTACT_KEY, harness.task_queue)
    await ledgers.record_choice(
        THE_PARTICIPANT, ChoiceMade(choice=Choice.STOP, source=ChoiceSource.TEXT)
    )

    await case.advance(due - timedelta(days=3) - await case.now())  # past the week's reminder
    [suppressed] = [m for m in (await case.view()).messages if m.to == PARTICIPANT]
    assert suppressed.status is DeliveryStatus.SUPPRESSED_OPT_OUT
    assert texts_to_the_participant(twilio) == []
    open_kinds = {t.kind for t in (await case.view()).open_tasks()}
    assert TaskKind.CONTACT_PARTICIPANT not in open_kinds, "a choice to stop is not a failure"

    await ledgers.record_choice(
        THE_PARTICIPANT, ChoiceMade(choice=Choice.START, source=ChoiceSource.TEXT)
    )
    await case.advance(due - timedelta(hours=6) - await case.now())  # past the day's reminder
    logged = [m for m in (await case.view()).messages if m.to == PARTICIPANT]
    assert [m.status for m in logged] == [DeliveryStatus.SUPPRESSED_OPT_OUT, DeliveryStatus.SENT]
    [text] = texts_to_the_participant(twilio)
    assert "Reply STOP" in text["Body"] and "Counselling" not in text["Body"]


async def test_a_number_the_provider_refuses_for_good_becomes_a_staff_task(
    harness: Harness, twilio: FakeTwilio
) -> None:
    case, due = await texting_case(harness, twilio)
    twilio.replies.append((400, {"code": 21211, "message": "The 'To' number is not valid."}))

    await case.advance(due - timedelta(days=3) - await case.now())
    [refused] = [m for m in (await case.view()).messages if m.to == PARTICIPANT]
    assert refused.status is DeliveryStatus.REFUSED
    assert PARTICIPANT_NUMBER not in refused.detail and "555" not in refused.detail
    task = await case.task(TaskKind.CONTACT_PARTICIPANT)
    assert task.subject and PARTICIPANT_NUMBER not in task.subject
    assert texts_to_the_participant(twilio) == [], "the refused text was not sent again"
