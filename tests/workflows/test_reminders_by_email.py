"""A case's reminder by email, end to end: the case's own template through the real
SMTP notifier to an aiosmtpd server running in the test. What arrives names the item
and its due time in the jurisdiction's time, carries the opt-out line, and holds none
of the words, names or details a participant must never be sent."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from activities.notification_activities import EMAIL_OPT_OUT
from domain.agreement import Agreement, Obligation
from domain.enums import ConferenceResult, ObligationKind
from domain.local_time import local_time
from domain.message_kinds import FORBIDDEN_FOR_PARTICIPANT
from domain.message_log import PARTICIPANT
from domain.notifications import DeliveryStatus
from tests.notifications.examples import smtp_jurisdiction
from tests.notifications.servers import smtp_server, text_of
from tests.workflows.harness import Harness, demo_referral
from tests.workflows.steps import hold_conference, through_preparation

PARTICIPANT_EMAIL = "d.okafor@mail.example"


async def test_a_reminder_by_email_reads_local_and_says_nothing_it_must_not(
    harness: Harness,
) -> None:
    with smtp_server() as (mailbox, port):
        harness.configure(smtp_jurisdiction(port).model_copy(update={"staff": []}))
        referral = demo_referral()
        referral.participant.phone, referral.participant.email = None, PARTICIPANT_EMAIL
        case = await harness.start(referral)
        await through_preparation(case)
        timezone = harness.jurisdiction.timezone
        day = (await case.now()).astimezone(ZoneInfo(timezone)).date() + timedelta(days=30)
        due = datetime.combine(day, time(17, 30), tzinfo=ZoneInfo(timezone)).astimezone(UTC)
        item = Obligation(kind=ObligationKind.COUNSELLING, description="Counselling", first_due=due)
        await hold_conference(case, ConferenceResult.AGREEMENT, Agreement(obligations=[item]))
        await case.advance(due - timedelta(days=3) - await case.now())
        view = await case.view()

    [logged] = [m for m in view.messages if m.to == PARTICIPANT]
    assert logged.status is DeliveryStatus.SENT and logged.channel == "email"
    [email] = [m for m in mailbox.received if m["To"] == PARTICIPANT_EMAIL]
    body = text_of(email)
    assert f"due {local_time(due, timezone)}" in body  # e.g. "… 17:30 CST", not UTC
    assert body.endswith(EMAIL_OPT_OUT) and "Reply STOP" not in body  # nobody reads replies
    victim = view.referral.victim
    secrets = [
        victim.given_name,
        victim.family_name,
        *(c.description for c in view.referral.charges),
    ]
    secrets += [v for v in victim.contact.model_dump().values() if v]
    said = f"{email['Subject']}\n{body}".casefold()
    assert not [s for s in secrets if s and s.casefold() in said]
    assert not [w for w in FORBIDDEN_FOR_PARTICIPANT if w in said]
