"""The obligation ladder: reminders, grace, warning, review, and the court report."""

from datetime import timedelta

from domain.agreement import Agreement, Obligation
from domain.enums import (
    ComplianceLevel,
    ConferenceResult,
    DirectiveKind,
    DispositionKind,
    ObligationKind,
    ObligationStatus,
    Outcome,
    ReportKind,
    ReviewDecision,
    Stage,
    TaskKind,
)
from domain.task_payloads import ReviewMissedObligation, VerifyEvidence
from tests.workflows.harness import Case, Harness
from tests.workflows.steps import VICTIM_STATEMENT, hold_conference, through_preparation
from workflows.case import DiversionCase
from workflows.messages import CourtDirective, Disposition


async def agree(case: Case, obligation: Obligation) -> None:
    await through_preparation(case)
    await hold_conference(case, ConferenceResult.AGREEMENT, Agreement(obligations=[obligation]))
    await case.reach(Stage.MONITORING)


async def one_off(case: Case, due_in_days: int = 30) -> Obligation:
    return Obligation(
        kind=ObligationKind.RESTITUTION,
        description="Repay the broken phone",
        first_due=await case.now() + timedelta(days=10 + due_in_days),
    )


async def test_missed_obligation_climbs_the_ladder_to_a_court_report(harness: Harness) -> None:
    case = await harness.start()
    item = await one_off(case)
    await agree(case, item)
    await case.advance(timedelta(days=45))

    review = await case.task(TaskKind.REVIEW_MISSED_OBLIGATION)
    assert review.subject.startswith("missed: Repay the broken phone")
    to_participant = [n for n in case.notifications() if n.to_participant]
    ladder = harness.jurisdiction.policy.obligation_ladder
    reminders = [n for n in to_participant if n.subject == "Reminder"]
    assert [round((item.first_due - n.created_at).total_seconds() / 86400) for n in reminders] == [
        7,
        1,
    ]
    warning = next(n for n in to_participant if n.subject == "Warning")
    assert round((warning.created_at - item.first_due).total_seconds() / 86400) == ladder.grace_days

    await case.complete(ReviewMissedObligation(decision=ReviewDecision.BREACH), review.id)
    await case.filed(ReportKind.NON_COMPLIANCE)
    report = case.filings()[-1]
    assert report.kind is ReportKind.NON_COMPLIANCE
    assert [row.status for row in report.obligations] == [ObligationStatus.BREACHED]

    await case.handle.execute_update(
        DiversionCase.court_directive, CourtDirective(kind=DirectiveKind.TERMINATE)
    )
    assert await case.outcome() is Outcome.NONCOMPLIANT
    case.assert_court_never_sees_the_victim(VICTIM_STATEMENT)


async def test_court_may_continue_after_non_compliance(harness: Harness) -> None:
    case = await harness.start()
    await agree(case, await one_off(case))
    await case.advance(timedelta(days=45))
    review = await case.task(TaskKind.REVIEW_MISSED_OBLIGATION)
    await case.complete(ReviewMissedObligation(decision=ReviewDecision.BREACH), review.id)
    await case.filed(ReportKind.NON_COMPLIANCE)
    await case.handle.execute_update(
        DiversionCase.court_directive, CourtDirective(kind=DirectiveKind.CONTINUE)
    )
    await case.filed(ReportKind.FINAL)
    assert case.filings()[-1].compliance is ComplianceLevel.SIGNIFICANT_FAILURE
    view = await case.view()
    assert view.obligations[0].continued_by_court


async def test_extension_then_evidence_gives_substantial_compliance(harness: Harness) -> None:
    case = await harness.start()
    await agree(case, await one_off(case))
    await case.advance(timedelta(days=45))
    review = await case.task(TaskKind.REVIEW_MISSED_OBLIGATION)
    await case.complete(
        ReviewMissedObligation(decision=ReviewDecision.EXTEND, extend_days=14), review.id
    )
    verify = await case.task(TaskKind.VERIFY_EVIDENCE)
    await case.complete(VerifyEvidence(evidence_seen=True, reference="receipt 88"), verify.id)
    await case.filed(ReportKind.FINAL)
    final = case.filings()[-1]
    assert final.compliance is ComplianceLevel.SUBSTANTIAL
    assert ReportKind.NON_COMPLIANCE not in case.filed_kinds()
    await case.handle.execute_update(
        DiversionCase.record_disposition,
        Disposition(kind=DispositionKind.COMPLETED, decided_on=await case.now()),
    )
    assert await case.outcome() is Outcome.COMPLETED


async def test_recurring_obligation_tolerates_its_allowed_misses_then_goes_to_review(
    harness: Harness,
) -> None:
    case = await harness.start()
    weekly = Obligation(
        kind=ObligationKind.BEHAVIOUR_CHANGE_PROGRAMME,
        description="Weekly group session",
        first_due=await case.now() + timedelta(days=20),
        every_days=7,
        occurrences=6,
        allowed_misses=2,
    )
    await agree(case, weekly)
    await case.advance(timedelta(days=40))
    review = await case.task(TaskKind.REVIEW_MISSED_OBLIGATION)
    view = await case.view()
    progress = view.obligations[0]
    assert progress.missed == 3, "review opens on the miss past the two allowed"
    assert progress.status is ObligationStatus.UNDER_REVIEW
    warnings = [n for n in case.notifications() if n.to_participant and n.subject == "Warning"]
    assert len(warnings) == 3
    assert review.occurrence == 2
    await case.complete(ReviewMissedObligation(decision=ReviewDecision.BREACH), review.id)
    await case.filed(ReportKind.NON_COMPLIANCE)


async def test_progress_reports_follow_the_policy_cadence(harness: Harness) -> None:
    case = await harness.start()
    long_item = await one_off(case, due_in_days=75)
    await agree(case, long_item)
    verify = await case.task(TaskKind.VERIFY_EVIDENCE)
    await case.advance(timedelta(days=65))
    await case.complete(VerifyEvidence(evidence_seen=True), verify.id)
    await case.filed(ReportKind.FINAL)
    kinds = case.filed_kinds()
    assert kinds.count(ReportKind.PROGRESS) == 2
    progress = [r for r in case.filings() if r.kind is ReportKind.PROGRESS]
    gap = progress[1].generated_at - progress[0].generated_at
    cadence = timedelta(days=harness.jurisdiction.policy.progress_report_every_days)
    assert abs(gap - cadence) < timedelta(minutes=1), "the cadence does not drift"


async def test_victim_hears_of_progress_only_through_the_advocate_and_only_if_asked(
    harness: Harness,
) -> None:
    from domain.enums import Role
    from domain.task_payloads import SafetyPlan
    from tests.workflows import steps

    for asked in (True, False):
        case = await harness.start()
        await steps.through_screening(case)
        await case.complete(steps.victim_consent(wants_progress_updates=asked))
        await case.complete(steps.participant_consent())
        await case.complete(steps.FACILITATORS)
        await steps.pre_meetings(case)
        await case.complete(SafetyPlan(in_place=True))
        item = (await one_off(case)).model_copy(update={"victim_informed": True})
        await hold_conference(case, ConferenceResult.AGREEMENT, Agreement(obligations=[item]))
        await case.complete(VerifyEvidence(evidence_seen=True))
        await case.filed(ReportKind.FINAL)
        told = [n for n in case.notifications() if n.subject.startswith("Progress the victim")]
        assert [n.to_role for n in told] == ([Role.VICTIM_ADVOCATE] if asked else [])
        assert not any(n.to_role is None and not n.to_participant for n in case.notifications())
