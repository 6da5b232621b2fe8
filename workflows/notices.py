"""Sending a message from a workflow, for the case and its obligations alike: the
notification the send activity receives, and the record of what became of it.

Deterministic: the moment comes from the workflow's clock, passed in by the caller.
"""

from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, CancelledError

with workflow.unsafe.imports_passed_through():
    from activities.notification_activities import NotificationActivities
    from domain.case import CaseState
    from domain.enums import Role
    from domain.message_kinds import URGENT_KINDS, MessageKind, staff_context
    from domain.message_log import NO_CONTACT_ON_FILE, PARTICIPANT, MessageRecord
    from domain.notifications import DeliveryOutcome, DeliveryStatus, NotificationSettings
    from domain.reports import Notification
    from rendering.message_text import MessageText, render_message

NOTIFY_TIMEOUT = timedelta(seconds=30)
# Cases and obligations started before it retry a send without end, holding their flow at
# a message while the provider is down (tests/histories).
NOTIFY_GIVE_UP_PATCH = "notify-give-up"


def to_staff(
    case: CaseState, kind: MessageKind, role: Role, facts: dict[str, str | int], at: datetime
) -> Notification:
    """The case's next staff message (numbered by `notifications_sent`), its words filled
    from `facts` with her contact details withheld (`staff_context`), never from the case."""
    return notification(
        f"{case.case_id}.n{case.notifications_sent}",
        case.case_id,
        case.jurisdiction.id,
        kind,
        render_message(kind, staff_context(case, **facts)),
        at,
        role=role,
    )


def notification(
    id: str,
    case_id: str,
    jurisdiction: str,
    kind: MessageKind,
    text: MessageText,
    at: datetime,
    *,
    role: Role | None = None,
    phone: str | None = None,
    email: str | None = None,
) -> Notification:
    """To staff by `role`, or (role None) to the participant at the phone and email the
    referral gave. Only a participant's message carries the opt-out text (issue 15)."""
    message = Notification(
        id=id,
        case_id=case_id,
        jurisdiction=jurisdiction,
        to_role=role,
        to_participant=role is None,
        participant_phone=phone if role is None else None,
        participant_email=email if role is None else None,
        urgent=kind in URGENT_KINDS and role is not None,
        kind=kind,
        subject=text.subject,
        body=text.body,
        created_at=at,
    )
    if role is not None:
        message.opt_out = ""
    return message


async def send(
    message: Notification,
    patience: NotificationSettings | None = None,
    within: timedelta | None = None,
) -> DeliveryOutcome | None:
    """Retried with backoff while the provider is unavailable: for the policy's `patience`
    (or only `within`, a part of it), then NOT_SENT (for staff to send another way), or
    without end in workflows started before `notify-give-up` (patience None). None only in
    histories recorded before the activity answered with an outcome."""
    if patience is None:
        return await workflow.execute_activity_method(
            NotificationActivities.send_notification,
            message,
            start_to_close_timeout=NOTIFY_TIMEOUT,
        )
    limit = patience.patience(message.urgent)
    try:
        return await workflow.execute_activity_method(
            NotificationActivities.send_notification,
            message,
            start_to_close_timeout=NOTIFY_TIMEOUT,
            schedule_to_close_timeout=within or limit,
            retry_policy=RetryPolicy(maximum_interval=patience.longest_pause(message.urgent)),
        )
    except ActivityError as e:
        if isinstance(e.cause, CancelledError):
            raise  # the workflow is being stopped: not a provider's failure
        return DeliveryOutcome(status=DeliveryStatus.NOT_SENT, detail=given_up(limit, e))


def given_up(limit: timedelta, error: ActivityError) -> str:
    """Why staff must send it, in their words. The last failure is named only when it is
    the notifier's own temporary failure, whose text is written for staff and holds no
    address (docs/notifiers.md); anything else is named by its kind alone."""
    why = f"the provider could not be reached for {span(limit)}"
    last: BaseException | None = error.cause
    while last is not None and not isinstance(last, ApplicationError):
        last = last.__cause__  # a timeout carries the last attempt's failure as its cause
    if isinstance(last, ApplicationError):
        reason = last.message if last.type == "NotifierUnavailable" else last.type
        if reason:
            why = f"{why}; last: {reason}"
    return why


def delivery_record(
    message: Notification,
    outcome: DeliveryOutcome | None,
    at: datetime,
    held_until: datetime | None = None,
) -> MessageRecord:
    # A send recorded before outcomes were returned answered None: it was written.
    outcome = outcome or DeliveryOutcome(status=DeliveryStatus.SENT)
    return MessageRecord(
        id=message.id,
        kind=message.kind,
        to=message.to_role or PARTICIPANT,
        status=outcome.status,
        at=at,
        channel=outcome.channel,
        held_until=held_until,
        detail=outcome.detail,
    )


def unsent_record(id: str, kind: MessageKind, at: datetime) -> MessageRecord:
    """A message for a participant with no phone or email on file: never sent."""
    return MessageRecord(
        id=id,
        kind=kind,
        to=PARTICIPANT,
        status=DeliveryStatus.NO_ADDRESS,
        at=at,
        detail=NO_CONTACT_ON_FILE,
    )


def pass_on_subject(record: MessageRecord, about: str) -> str:
    """A staff message that reached nobody, as the coordinator's task names it."""
    why = record.detail or record.status.value.replace("_", " ")
    return f"a message to the {record.to} reached nobody ({why}); pass on: {about}"


def span(limit: timedelta) -> str:
    """A patience as staff say it: 10 minutes, 24 hours, 3 days."""
    if limit >= timedelta(days=2):
        return f"{limit / timedelta(days=1):g} days"
    if limit >= timedelta(hours=1):
        return f"{limit / timedelta(hours=1):g} hours"
    return f"{limit / timedelta(minutes=1):g} minutes"
