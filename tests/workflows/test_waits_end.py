"""Every wait has an end (DESIGN §3): a court directive not given in the policy's days
becomes a chase task, an escalated review of a missed obligation is escalated again on
the policy's cadence for as long as it waits, and a participant with no phone or email
gets his reminders through staff, not silently none."""

from datetime import datetime, timedelta

from domain.enums import (
    ComplianceLevel,
    DirectiveKind,
    DispositionKind,
    ObligationStatus,
    Outcome,
    ReportKind,
    ReviewDecision,
    Role,
    Stage,
    TaskKind,
)
from domain.message_log import NO_CONTACT_ON_FILE
from domain.task_payloads import (
    ContactParticipant,
    RecordDirective,
    ReviewMissedObligation,
    VerifyEvidence,
)
from tests.workflows.harness import Case, Harness, demo_referral
from tests.workflows.steps import VICTIM_STATEMENT
from tests.workflows.test_obligations import agree, one_off
from workflows.case import DiversionCase
from workflows.messages import Disposition

# No progress report falls inside these tests: each reads what the wait itself does.
QUIET = 365


def days_after(case: Case, subject: str, start: datetime) -> list[float]:
    """When each notification with `subject` went out, in days after `start`."""
    return [
        round((n.created_at - start).total_seconds() / 86400, 1)
        for n in case.notifications()
        if n.subject == subject
    ]


async def dispose(case: Case, kind: DispositionKind) -> None:
    await case.reach(Stage.FINAL_REPORT)
    await case.handle.execute_update(
        DiversionCase.record_disposition, Disposition(kind=kind, decided_on=await case.now())
    )


async def test_a_directive_never_received_becomes_a_chase_task(harness: Harness) -> None:
    case = await harness.start(progress_report_every_days=QUIET)
    await agree(case, await one_off(case))
    await case.advance(timedelta(days=45))
    review = await case.task(TaskKind.REVIEW_MISSED_OBLIGATION)
    await case.complete(ReviewMissedObligation(decision=ReviewDecision.BREACH), review.id)
    await case.filed(ReportKind.NON_COMPLIANCE)
    reported = case.filings()[-1].generated_at

    await case.advance(timedelta(days=29))
    assert not any(t.kind is TaskKind.RECORD_DIRECTIVE for t in (await case.view()).tasks)
    await case.advance(timedelta(days=2))
    chase = await case.task(TaskKind.RECORD_DIRECTIVE)
    assert chase.roles == [Role.COORDINATOR]
    assert "no directive" in chase.subject
    # Not done in its week: reminded, then escalated every week after.
    await case.advance(timedelta(days=16))
    assert days_after(case, "Directive overdue", reported) == [30.0]
    assert days_after(case, "Reminder: record_directive", reported) == [37.0]
    assert days_after(case, "Escalation: record_directive overdue", reported) == [44.0]

    await case.complete(
        RecordDirective(directive=DirectiveKind.TERMINATE, note="said at the status hearing"),
        chase.id,
    )
    assert await case.outcome() is Outcome.NONCOMPLIANT
    view = await case.view()
    assert [d.kind for d in view.directives] == [DirectiveKind.TERMINATE]
    assert [(r.kind, r.sequence) for r in view.reports] == [
        (ReportKind.SCREENING_OUTCOME, 1),
        (ReportKind.AGREEMENT_REACHED, 2),
        (ReportKind.NON_COMPLIANCE, 3),
    ]
    assert [r.idempotency_key for r in case.filings()] == [
        f"{case.handle.id}:report:{n}" for n in (1, 2, 3)
    ]
    assert view.open_tasks() == []
    case.assert_court_never_sees_the_victim(VICTIM_STATEMENT)


async def test_the_courts_own_directive_closes_the_chase(harness: Harness) -> None:
    from workflows.messages import CourtDirective

    case = await harness.start(progress_report_every_days=QUIET)
    await agree(case, await one_off(case))
    await case.advance(timedelta(days=45))
    review = await case.task(TaskKind.REVIEW_MISSED_OBLIGATION)
    await case.complete(ReviewMissedObligation(decision=ReviewDecision.BREACH), review.id)
    await case.filed(ReportKind.NON_COMPLIANCE)
    await case.advance(timedelta(days=31))
    chase = await case.task(TaskKind.RECORD_DIRECTIVE)

    await case.handle.execute_update(
        DiversionCase.court_directive, CourtDirective(kind=DirectiveKind.CONTINUE)
    )
    await dispose(case, DispositionKind.NONCOMPLIANT)
    assert await case.outcome() is Outcome.NONCOMPLIANT
    view = await case.view()
    closed = next(t for t in view.tasks if t.id == chase.id)
    assert closed.cancelled, "the court gave it: nothing left to chase"
    assert [r.kind for r in view.reports][-1] is ReportKind.FINAL
    assert case.filings()[-1].compliance is ComplianceLevel.SIGNIFICANT_FAILURE


async def test_an_escalated_review_left_a_month_keeps_escalating(harness: Harness) -> None:
    case = await harness.start(progress_report_every_days=QUIET)
    item = await one_off(case)
    await agree(case, item)
    await case.advance(item.first_due + timedelta(days=4) - await case.now())
    review = await case.task(TaskKind.REVIEW_MISSED_OBLIGATION)

    await case.advance(timedelta(days=31))
    view = await case.view()
    assert [t.id for t in view.open_tasks()] == [review.id], "nothing dropped"
    assert view.obligations[0].status is ObligationStatus.UNDER_REVIEW
    escalations = [
        n for n in case.notifications() if n.subject == "Escalation" and n.to_role is not None
    ]
    assert {n.to_role for n in escalations} == {Role.COORDINATOR}
    assert [
        round((n.created_at - review.opened_at).total_seconds() / 86400) for n in escalations
    ] == [7, 14, 21, 28]
    assert "escalation 4" in escalations[-1].body

    await case.complete(ReviewMissedObligation(decision=ReviewDecision.EXCUSE), review.id)
    await dispose(case, DispositionKind.COMPLETED)
    assert await case.outcome() is Outcome.COMPLETED
    assert case.filed_kinds() == [
        ReportKind.SCREENING_OUTCOME,
        ReportKind.AGREEMENT_REACHED,
        ReportKind.FINAL,
    ]
    assert [r.idempotency_key for r in case.filings()] == [
        f"{case.handle.id}:report:{n}" for n in (1, 2, 3)
    ]
    assert case.filings()[-1].compliance is ComplianceLevel.SUBSTANTIAL


async def test_a_participant_with_no_phone_or_email_gets_his_reminders_through_staff(
    harness: Harness,
) -> None:
    referral = demo_referral()
    unreachable = referral.participant.model_copy(update={"phone": None, "email": None})
    case = await harness.start(demo_referral(participant=unreachable))
    item = await one_off(case)
    await agree(case, item)
    # Past both reminders (a week and a day before), not yet due.
    await case.advance(item.first_due - timedelta(hours=12) - await case.now())

    view = await case.view()
    contacts = [t for t in view.tasks if t.kind is TaskKind.CONTACT_PARTICIPANT]
    assert len(contacts) == 2, "one for each reminder"
    first, second = contacts
    assert first.cancelled, "the day-before reminder replaced the week-before one"
    assert second.done_at is None and second.roles == [Role.COORDINATOR]
    assert second.subject.startswith("no phone or email on file; pass on: Reminder: ")
    assert item.description in second.subject
    assert second.due_at is not None and second.due_at >= item.first_due
    # Staff read both as never sent, and why.
    unsent = [(m.kind, m.to, m.status, m.detail) for m in view.messages if m.to == "participant"]
    assert unsent == [("obligation_reminder", "participant", "no_address", NO_CONTACT_ON_FILE)] * 2

    await case.complete(ContactParticipant(reached=True, how="phoned his lawyer's office"))
    await case.complete(VerifyEvidence(evidence_seen=True, reference="receipt 12"))
    await dispose(case, DispositionKind.COMPLETED)
    assert await case.outcome() is Outcome.COMPLETED
    assert not [n for n in case.notifications() if n.to_participant]
    assert case.filed_kinds() == [
        ReportKind.SCREENING_OUTCOME,
        ReportKind.AGREEMENT_REACHED,
        ReportKind.FINAL,
    ]
    assert [r.idempotency_key for r in case.filings()] == [
        f"{case.handle.id}:report:{n}" for n in (1, 2, 3)
    ]
    staff = [e.event for e in (await case.view()).timeline if e.audience == "staff"]
    assert "participant reached: phoned his lawyer's office" in staff
