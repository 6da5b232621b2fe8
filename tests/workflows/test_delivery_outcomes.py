"""What the case does with what became of a message (issue 15): a participant's message
refused or without a usable address becomes a staff task, an opt-out is logged for staff
and nothing more, a staff alert that reached nobody opens a coordinator task. The send
activity is replaced at its boundary by one answering as a provider would."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from temporalio import activity

from domain.enums import (
    DispositionKind,
    Outcome,
    Role,
    SafetyEventKind,
    Stage,
    TaskKind,
)
from domain.message_kinds import MessageKind
from domain.message_log import PARTICIPANT
from domain.notifications import DeliveryOutcome, DeliveryStatus
from domain.reports import Notification
from domain.task_payloads import ContactParticipant, PassOnMessage, VerifyEvidence
from tests.workflows.harness import Harness
from tests.workflows.scripted_notifier import agreed
from workflows.case import DiversionCase
from workflows.messages import Disposition, SafetyEvent

REFUSAL = "invalid number (provider code 21211)"


@dataclass
class Provider:
    """The send activity as the delivery side answers: `to_participant` and `to_staff`
    are the answers it gives, each message it was asked to send is kept."""

    to_participant: DeliveryStatus = DeliveryStatus.SENT
    to_staff: DeliveryStatus = DeliveryStatus.SENT
    asked: list[Notification] = field(default_factory=list)

    @activity.defn(name="send_notification")
    async def send_notification(self, notification: Notification) -> DeliveryOutcome:
        self.asked.append(notification)
        status = self.to_participant if notification.to_participant else self.to_staff
        if status is DeliveryStatus.SENT:
            return DeliveryOutcome(status=status, channel="sms", provider_id="SM1")
        detail = {DeliveryStatus.REFUSED: REFUSAL, DeliveryStatus.NO_ADDRESS: "nobody listed"}
        return DeliveryOutcome(status=status, detail=detail.get(status, ""))


@pytest.fixture
def provider() -> Provider:
    return Provider()


@pytest.mark.parametrize(
    ("status", "task_says"),
    [
        (DeliveryStatus.REFUSED, f"the message was refused ({REFUSAL}); pass on: Reminder: "),
        (
            DeliveryStatus.NO_ADDRESS,
            "no usable phone or email (nobody listed); pass on: Reminder: ",
        ),
    ],
    ids=["refused", "no-address"],
)
async def test_a_reminder_that_cannot_reach_him_becomes_a_staff_task(
    answering: Harness, provider: Provider, status: DeliveryStatus, task_says: str
) -> None:
    provider.to_participant = status
    case = await answering.start()
    item = await agreed(case)
    await case.advance(item.first_due - timedelta(days=6) - await case.now())  # first reminder

    task = await case.task(TaskKind.CONTACT_PARTICIPANT)
    assert task.roles == [Role.COORDINATOR] and task.obligation_index == 0
    assert task.subject.startswith(task_says) and "Counselling" in task.subject
    [asked] = [n for n in provider.asked if n.to_participant]
    assert asked.participant_phone == case.referral.participant.phone
    [logged] = [m for m in (await case.view()).messages if m.to == PARTICIPANT]
    assert (logged.id, logged.kind, logged.status) == (asked.id, asked.kind, status)
    assert not [t for t in (await case.view()).tasks if t.kind is TaskKind.PASS_ON_MESSAGE]

    await case.complete(ContactParticipant(reached=True, how="letter posted to his address"))
    view = await case.view()
    assert any("participant reached: letter posted" in e.event for e in view.timeline)

    await case.complete(VerifyEvidence(evidence_seen=True, reference="counsellor's letter"))
    await case.reach(Stage.FINAL_REPORT)
    await case.handle.execute_update(
        DiversionCase.record_disposition,
        Disposition(kind=DispositionKind.COMPLETED, decided_on=await case.now()),
    )
    assert await case.outcome() is Outcome.COMPLETED  # its history is kept for replay


async def test_an_opt_out_is_shown_to_staff_and_opens_no_task(
    answering: Harness, provider: Provider
) -> None:
    provider.to_participant = DeliveryStatus.SUPPRESSED_OPT_OUT
    case = await answering.start()
    item = await agreed(case)
    await case.advance(item.first_due - timedelta(hours=12) - await case.now())

    view = await case.view()
    logged = [m for m in view.messages if m.to == PARTICIPANT]
    assert [m.status for m in logged] == [DeliveryStatus.SUPPRESSED_OPT_OUT] * 2  # both reminders
    assert [m.kind for m in logged] == [MessageKind.OBLIGATION_REMINDER] * 2
    assert not [t for t in view.open_tasks() if t.kind is TaskKind.CONTACT_PARTICIPANT]


async def test_a_staff_alert_that_reached_nobody_opens_one_coordinator_task(
    answering: Harness, provider: Provider
) -> None:
    provider.to_staff = DeliveryStatus.NO_ADDRESS
    case = await answering.start()
    await case.advance(timedelta(days=13))  # the screening reminder, then its escalation

    view = await case.view()
    staff = [m for m in view.messages if m.to != PARTICIPANT]
    assert [m.kind for m in staff] == [MessageKind.TASK_REMINDER, MessageKind.STAGE_ESCALATION]
    assert {m.status for m in staff} == {DeliveryStatus.NO_ADDRESS}
    [task] = [t for t in view.open_tasks() if t.kind is TaskKind.PASS_ON_MESSAGE]
    assert task.roles == [Role.COORDINATOR] and not task.urgent
    assert task.subject.startswith("a message to the coordinator reached nobody (nobody listed)")
    assert "Reminder: screen_case" in task.subject

    await case.complete(PassOnMessage(passed_on=True, how="told at the team meeting"))
    # An urgent safety alert nobody received: an urgent task, done while the case is held.
    await case.handle.execute_update(
        DiversionCase.report_safety_event, SafetyEvent(kind=SafetyEventKind.ADVOCATE_ALERT)
    )
    urgent = await case.until(
        "an urgent pass-on task",
        lambda v: next((t for t in v.open_tasks() if t.kind is TaskKind.PASS_ON_MESSAGE), None),
    )
    assert urgent.urgent and "URGENT: safety event" in urgent.subject
    assert "victim_advocate" in urgent.subject
    await case.complete(PassOnMessage(passed_on=True, how="phoned the duty advocate"), urgent.id)
    [alert] = [n for n in provider.asked if n.kind == MessageKind.SAFETY_EVENT]
    assert alert.urgent and alert.opt_out == "" and alert.to_role is Role.VICTIM_ADVOCATE
