"""A provider down for longer than the policy's patience does not hold the case at one
message (DESIGN §3, every wait has an end): the send is retried with capped backoff for
`notifications.give_up_after_hours` (urgent alerts: `urgent_give_up_after_minutes`), then
logged `not_sent` and passed to staff in the task the case already uses. A shorter outage
only delays the message; a permanent refusal still opens its task at once. The send
activity is replaced at its boundary by one answering as a provider that is down."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.case import CaseState
from domain.court_view import court_view
from domain.enums import (
    DispositionKind,
    Outcome,
    ReportKind,
    SafetyEventKind,
    Stage,
    TaskKind,
)
from domain.message_kinds import MessageKind
from domain.message_log import PARTICIPANT
from domain.notifications import DeliveryOutcome, DeliveryStatus, NotificationSettings
from domain.quiet_hours import QuietHours
from domain.reports import Notification
from domain.task_payloads import ContactParticipant, PassOnMessage, VerifyEvidence
from tests.workflows.harness import Case, Harness
from tests.workflows.scripted_notifier import agreed
from workflows.case import DiversionCase
from workflows.messages import Disposition, SafetyEvent

UNAVAILABLE = "the provider is not answering (HTTP 503)"
REFUSAL = "invalid number (provider code 21211)"
PATIENCE = NotificationSettings()  # the defaults: a day, ten minutes for urgent alerts
NO_QUIET_HOURS = QuietHours(start=time(0), end=time(0))


@dataclass
class DownProvider:
    """The send activity as a provider answers while down: each message fails for
    `down_for` from its first try (None: for good), for the participant, for staff or both;
    `refuse` refuses the participant's messages for good instead. Each try is kept, at the
    server's time, by message id."""

    participant_down: bool = False
    staff_down: bool = False
    down_for: timedelta | None = None
    refuse: bool = False
    tries: dict[str, list[datetime]] = field(default_factory=dict)
    asked: dict[str, Notification] = field(default_factory=dict)

    @activity.defn(name="send_notification")
    async def send_notification(self, notification: Notification) -> DeliveryOutcome:
        now = activity.info().current_attempt_scheduled_time
        tries = self.tries.setdefault(notification.id, [])
        tries.append(now)
        self.asked[notification.id] = notification
        if self.refuse and notification.to_participant:
            return DeliveryOutcome(status=DeliveryStatus.REFUSED, channel="sms", detail=REFUSAL)
        down = self.participant_down if notification.to_participant else self.staff_down
        if down and (self.down_for is None or now - tries[0] < self.down_for):
            raise ApplicationError(UNAVAILABLE, type="NotifierUnavailable")
        return DeliveryOutcome(status=DeliveryStatus.SENT, channel="sms", provider_id="SM1")

    def tried(self, kind: MessageKind) -> list[list[datetime]]:
        return [self.tries[i] for i, n in self.asked.items() if n.kind == kind]


@pytest.fixture
def provider() -> DownProvider:
    return DownProvider()


async def completed(case: Case) -> None:
    """Staff pass it on; the item is met and the case completes (its history is kept)."""
    await case.complete(ContactParticipant(reached=True, how="phoned him at the office"))
    await case.complete(VerifyEvidence(evidence_seen=True, reference="counsellor's letter"))
    await case.reach(Stage.FINAL_REPORT)
    await case.handle.execute_update(
        DiversionCase.record_disposition,
        Disposition(kind=DispositionKind.COMPLETED, decided_on=await case.now()),
    )
    assert await case.outcome() is Outcome.COMPLETED


def assert_tried_until_patience(
    tries: list[datetime], gave_up: datetime, patience: timedelta, longest: timedelta
) -> None:
    """Tried again and again, never more than `longest` apart, and given up only near the
    end of the patience: the server stops short of a retry that the patience would cut."""
    gaps = [b - a for a, b in pairwise(tries)]
    assert len(tries) > 5 and max(gaps) <= longest + timedelta(seconds=1)
    assert tries[-1] - tries[0] < patience
    assert patience - 2 * longest <= gave_up - tries[0] <= patience + timedelta(seconds=5)


def assert_nothing_he_must_not_see(case: Case, *texts: str) -> None:
    """Staff text about his message: no address of his, nothing of the victim's."""
    victim = case.referral.victim
    participant = case.referral.participant
    secrets = [victim.given_name, victim.family_name, participant.phone, participant.email]
    secrets += [v for v in victim.contact.model_dump().values() if v]
    for secret in (s for s in secrets if s):
        assert all(secret not in text for text in texts), f"{secret!r} in staff text"


def no_message_words_for_the_court(view: CaseState, now: datetime) -> None:
    shown = court_view(view, now).model_dump_json()
    for word in ("not_sent", "provider", UNAVAILABLE, "Reminder"):
        assert word not in shown


async def test_an_outage_longer_than_the_patience_becomes_his_contact_task(
    answering: Harness, provider: DownProvider
) -> None:
    provider.participant_down = True
    case = await answering.start(quiet_hours=NO_QUIET_HOURS)  # tried the whole day through
    item = await agreed(case)
    # The first reminder (7 days before, perhaps held for quiet hours), then a day of tries.
    await case.advance(item.first_due - timedelta(days=5) - await case.now())

    task = await case.task(TaskKind.CONTACT_PARTICIPANT)
    view = await case.view()
    [logged] = [m for m in view.messages if m.to == PARTICIPANT]
    assert logged.kind == MessageKind.OBLIGATION_REMINDER
    assert logged.status is DeliveryStatus.NOT_SENT
    assert logged.detail == f"the provider could not be reached for 24 hours; last: {UNAVAILABLE}"
    assert task.subject.startswith(f"the message could not be sent ({logged.detail}); pass on: ")
    assert "Reminder" in task.subject and "Counselling" in task.subject
    assert task.obligation_index == 0 and abs(task.opened_at - logged.at) < timedelta(minutes=1)
    [tries] = provider.tried(MessageKind.OBLIGATION_REMINDER)
    longest = PATIENCE.longest_pause(urgent=False)
    assert_tried_until_patience(tries, logged.at, PATIENCE.patience(urgent=False), longest)
    assert_nothing_he_must_not_see(case, task.subject, logged.detail)
    no_message_words_for_the_court(view, await case.now())
    assert not [t for t in view.tasks if t.kind is TaskKind.PASS_ON_MESSAGE]

    await completed(case)


async def test_an_outage_shorter_than_the_patience_only_delays_the_message(
    answering: Harness, provider: DownProvider
) -> None:
    provider.participant_down, provider.down_for = True, timedelta(hours=6)
    case = await answering.start()
    item = await agreed(case)
    await case.advance(item.first_due - timedelta(days=5) - await case.now())

    view = await case.view()
    [logged] = [m for m in view.messages if m.to == PARTICIPANT]
    assert logged.status is DeliveryStatus.SENT
    [tries] = provider.tried(MessageKind.OBLIGATION_REMINDER)
    assert len(tries) > 2 and tries[-1] - tries[0] >= timedelta(hours=6)
    assert logged.at >= tries[-1]
    assert not [t for t in view.tasks if t.kind is TaskKind.CONTACT_PARTICIPANT]
    assert not [t for t in view.tasks if t.kind is TaskKind.PASS_ON_MESSAGE]


async def test_a_permanent_refusal_opens_its_task_at_once(
    answering: Harness, provider: DownProvider
) -> None:
    provider.refuse = True
    case = await answering.start()
    item = await agreed(case)
    await case.advance(item.first_due - timedelta(days=6) - await case.now())

    task = await case.task(TaskKind.CONTACT_PARTICIPANT)
    [logged] = [m for m in (await case.view()).messages if m.to == PARTICIPANT]
    assert logged.status is DeliveryStatus.REFUSED
    [tries] = provider.tried(MessageKind.OBLIGATION_REMINDER)
    assert len(tries) == 1 and task.opened_at - tries[0] < timedelta(minutes=1)
    assert task.subject.startswith(f"the message was refused ({REFUSAL}); pass on: ")


async def test_staff_alerts_give_up_to_a_pass_on_task_and_a_safety_alert_within_minutes(
    answering: Harness, provider: DownProvider
) -> None:
    provider.staff_down = True
    case = await answering.start()
    await case.advance(timedelta(days=11))  # the screening reminder (day 9), then a day of tries

    task = await case.task(TaskKind.PASS_ON_MESSAGE)
    view = await case.view()
    [reminder] = [m for m in view.messages if m.kind == MessageKind.TASK_REMINDER]
    assert reminder.status is DeliveryStatus.NOT_SENT
    assert task.subject.startswith(
        "a message to the coordinator reached nobody (the provider could not be reached "
        f"for 24 hours; last: {UNAVAILABLE}); pass on: Reminder: screen_case"
    )
    assert not task.urgent
    await case.complete(PassOnMessage(passed_on=True, how="told at the team meeting"))

    # A safety alert gives up within minutes, not a day: an urgent task, and the court's
    # report, which follows the alert, is filed within the quarter hour skipped.
    await case.handle.execute_update(
        DiversionCase.report_safety_event, SafetyEvent(kind=SafetyEventKind.ADVOCATE_ALERT)
    )
    await case.advance(timedelta(minutes=15))
    urgent = await case.until(
        "an urgent pass-on task",
        lambda v: next((t for t in v.open_tasks() if t.kind is TaskKind.PASS_ON_MESSAGE), None),
    )
    assert urgent.urgent and "URGENT: safety event" in urgent.subject
    assert "could not be reached for 10 minutes" in urgent.subject
    await case.filed(ReportKind.SAFETY_EVENT)
    [alert] = provider.tried(MessageKind.SAFETY_EVENT)
    view = await case.view()
    [logged] = [m for m in view.messages if m.kind == MessageKind.SAFETY_EVENT]
    patience, longest = PATIENCE.patience(urgent=True), PATIENCE.longest_pause(urgent=True)
    assert_tried_until_patience(alert, logged.at, patience, longest)
    await case.complete(PassOnMessage(passed_on=True, how="phoned the duty advocate"), urgent.id)


async def test_a_stage_deadline_is_kept_while_its_reminders_are_still_retried(
    answering: Harness, provider: DownProvider
) -> None:
    """The messages go beside the flow: the screening deadline (day 14) ends the case on
    time although its reminder (day 9) and escalation (day 12) are still being retried
    under a ten-day patience, each apart; the case closes once both have given up."""
    provider.staff_down = True
    patience = NotificationSettings(give_up_after_hours=240)
    case = await answering.start(notifications=patience)
    await case.advance(timedelta(days=15))

    view = await case.view()
    assert view.stop is not None and view.outcome is None  # closing waits for its messages
    assert [r.kind for r in view.reports] == [ReportKind.NOT_PROCEEDED]
    assert provider.tried(MessageKind.TASK_REMINDER) and provider.tried(
        MessageKind.STAGE_ESCALATION
    )
    assert not view.messages  # neither has given up yet

    assert await case.outcome() is Outcome.NOT_PROCEEDED
    view = await case.view()
    assert {m.kind: m.status for m in view.messages} == {
        MessageKind.TASK_REMINDER: DeliveryStatus.NOT_SENT,
        MessageKind.STAGE_ESCALATION: DeliveryStatus.NOT_SENT,
        MessageKind.CASE_CLOSED: DeliveryStatus.NOT_SENT,
    }
    assert all("could not be reached for 10 days" in m.detail for m in view.messages)


@pytest.mark.parametrize(
    ("reminded_at", "first_try_at"),
    [
        # Tried from 15:00: the 36 hours run out at 03:00, in quiet hours: given up then.
        (time(15), time(15)),
        # Due at 06:30, in quiet hours: held to 08:00, given up at 20:00 the next day.
        (time(6, 30), time(8)),
    ],
)
async def test_his_message_is_not_tried_in_quiet_hours_and_goes_on_after_them(
    answering: Harness, provider: DownProvider, reminded_at: time, first_try_at: time
) -> None:
    """A provider back at night must not text him then: tries stop when quiet hours
    (21:00 to 08:00 in the demo's Chicago) begin and go on in the morning, within the
    patience (36 hours here, so the tries span two days), which quiet hours never stretch.
    The reminder's hour is set, not the hour the test runs."""
    provider.participant_down = True
    case = await answering.start(notifications=NotificationSettings(give_up_after_hours=36))
    quiet, zone = answering.jurisdiction.policy.quiet_hours, answering.jurisdiction.timezone
    item = await agreed(case, reminded_at, zone)
    await case.advance(item.first_due - timedelta(days=4) - await case.now())

    task = await case.task(TaskKind.CONTACT_PARTICIPANT)
    [tries] = provider.tried(MessageKind.OBLIGATION_REMINDER)
    assert tries[0].astimezone(ZoneInfo(zone)).time().replace(second=0, microsecond=0) == (
        first_try_at
    )
    assert not [t for t in tries if quiet.holds(t, zone)]
    nights = [b - a for a, b in pairwise(tries) if b - a > timedelta(hours=10)]
    assert len(nights) == 1  # one night without tries, then the morning's
    assert tries[-1] - tries[0] > timedelta(hours=20)
    [logged] = [m for m in (await case.view()).messages if m.to == PARTICIPANT]
    assert logged.status is DeliveryStatus.NOT_SENT
    assert logged.detail.startswith("the provider could not be reached for 36 hours")
    assert logged.at - tries[0] <= timedelta(hours=36, seconds=5)
    assert task.subject.startswith(f"the message could not be sent ({logged.detail})")
    await completed(case)
