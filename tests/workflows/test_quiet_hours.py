"""A participant's reminder due in the jurisdiction's quiet hours waits, by a durable
timer, until they end (issue 15), and reads in the jurisdiction's own time: a case in
Tonga (UTC+13) and one in Honolulu (UTC-10) hear at 08:00 their own morning."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.agreement import Agreement, Obligation
from domain.enums import (
    ConferenceResult,
    DispositionKind,
    ObligationKind,
    Outcome,
    SafetyEventKind,
    Stage,
)
from domain.local_time import local_time
from domain.message_kinds import MessageKind
from domain.message_log import PARTICIPANT
from domain.notifications import DeliveryStatus
from domain.task_payloads import SafetyReview, VerifyEvidence
from tests.workflows.harness import Harness
from tests.workflows.steps import hold_conference, through_preparation
from workflows.case import DiversionCase
from workflows.messages import Disposition, SafetyEvent


@pytest.mark.parametrize(
    ("timezone", "abbreviation"), [("Pacific/Tongatapu", "UTC+13"), ("Pacific/Honolulu", "HST")]
)
async def test_a_reminder_due_at_two_in_the_morning_waits_until_eight(
    harness: Harness, timezone: str, abbreviation: str
) -> None:
    harness.configure(harness.jurisdiction.model_copy(update={"timezone": timezone}))
    case = await harness.start()
    await through_preparation(case)
    zone = ZoneInfo(timezone)
    # Due at 02:00 local: its reminders, a week and a day before, fall at 02:00 too.
    day = (await case.now()).astimezone(zone).date() + timedelta(days=40)
    due = datetime.combine(day, time(2, 0), tzinfo=zone).astimezone(UTC)
    item = Obligation(kind=ObligationKind.COUNSELLING, description="Counselling", first_due=due)
    await hold_conference(case, ConferenceResult.AGREEMENT, Agreement(obligations=[item]))
    await case.advance(due - timedelta(hours=12) - await case.now())

    told = [n for n in case.notifications() if n.to_participant]
    assert [n.kind for n in told] == [MessageKind.OBLIGATION_REMINDER] * 2
    for reminder, days_before in zip(told, (7, 1), strict=True):
        # The timer fires at 08:00, give or take the milliseconds a workflow task takes.
        sent = reminder.created_at.astimezone(zone).replace(second=0, microsecond=0)
        assert (sent.date(), sent.time()) == (day - timedelta(days=days_before), time(8, 0))
        assert f"is due {local_time(due, timezone)}." in reminder.body
        assert local_time(due, timezone).endswith(f"02:00 {abbreviation}")
        # The outbox keeps no address; the opt-out line is part of what was sent.
        assert reminder.participant_phone is None
        assert "STOP" in reminder.body

    log = [m for m in (await case.view()).messages if m.to == PARTICIPANT]
    assert [m.status for m in log] == [DeliveryStatus.SENT] * 2
    for logged, reminder in zip(log, told, strict=True):
        assert logged.held_until is not None
        assert reminder.created_at - timedelta(seconds=1) < logged.held_until <= logged.at
    assert [m.id for m in log] == [n.id for n in told]

    await case.complete(VerifyEvidence(evidence_seen=True, reference="counsellor's letter"))
    await case.reach(Stage.FINAL_REPORT)
    await case.handle.execute_update(
        DiversionCase.record_disposition,
        Disposition(kind=DispositionKind.COMPLETED, decided_on=await case.now()),
    )
    assert await case.outcome() is Outcome.COMPLETED  # its history is kept for replay


async def test_a_reminder_due_in_the_day_goes_at_once_and_staff_never_wait(
    harness: Harness,
) -> None:
    timezone = "Pacific/Tongatapu"
    harness.configure(harness.jurisdiction.model_copy(update={"timezone": timezone}))
    case = await harness.start()
    await case.advance(timedelta(days=10))  # past the screening reminder, at whatever hour
    [staff] = [n for n in case.notifications() if n.kind == MessageKind.TASK_REMINDER]
    deadline = (await case.view()).stage_deadline
    assert deadline is not None
    ladder = harness.jurisdiction.policy.stage_ladder
    # Reminded on the ladder's own moment, even if that was the middle of the night.
    assert abs(staff.created_at - (deadline - timedelta(days=ladder.remind_before_days))) < (
        timedelta(minutes=1)
    )

    await through_preparation(case)
    zone = ZoneInfo(timezone)
    day = (await case.now()).astimezone(zone).date() + timedelta(days=40)
    due = datetime.combine(day, time(14, 0), tzinfo=zone).astimezone(UTC)
    item = Obligation(kind=ObligationKind.COUNSELLING, description="Counselling", first_due=due)
    await hold_conference(case, ConferenceResult.AGREEMENT, Agreement(obligations=[item]))
    await case.advance(due - timedelta(days=6) - await case.now())
    [reminder] = [n for n in case.notifications() if n.to_participant]
    assert abs(reminder.created_at - (due - timedelta(days=7))) < timedelta(minutes=1)
    [logged] = [m for m in (await case.view()).messages if m.to == PARTICIPANT]
    assert logged.held_until is None


async def test_a_held_reminder_waits_out_a_suspension_and_names_the_moved_date(
    harness: Harness,
) -> None:
    timezone = "Pacific/Honolulu"
    harness.configure(harness.jurisdiction.model_copy(update={"timezone": timezone}))
    case = await harness.start()
    await through_preparation(case)
    zone = ZoneInfo(timezone)
    day = (await case.now()).astimezone(zone).date() + timedelta(days=40)
    due = datetime.combine(day, time(2, 0), tzinfo=zone).astimezone(UTC)
    item = Obligation(kind=ObligationKind.COUNSELLING, description="Counselling", first_due=due)
    await hold_conference(case, ConferenceResult.AGREEMENT, Agreement(obligations=[item]))
    # 03:00 a week before: the first reminder waits for the morning...
    await case.advance(due - timedelta(days=7, hours=-1) - await case.now())
    await case.handle.execute_update(
        DiversionCase.report_safety_event, SafetyEvent(kind=SafetyEventKind.ADVOCATE_ALERT)
    )
    await case.advance(timedelta(hours=12))  # ...and past it, the case suspended
    assert not [n for n in case.notifications() if n.to_participant]

    resuming = await case.now()  # 15:00: the morning long past
    await case.complete(SafetyReview(safe_to_resume=True))
    await case.until(
        "the reminder", lambda v: [m for m in v.messages if m.to == PARTICIPANT] or None
    )
    [reminder] = [n for n in case.notifications() if n.to_participant]
    assert reminder.created_at >= resuming
    # The item's dates moved on by the suspension: the reminder names the new one.
    assert f"is due {local_time(due, timezone)}" not in reminder.body
    assert "is due " in reminder.body and "HST." in reminder.body
