"""Every kind of report, filed by real cases on the time-skipping server, read as the court
receives it: the PDF's text holds the case number, the participant's name spelled exactly
(macrons, Vietnamese diacritics), the agreed items with their due dates and the outcome in
words, and nothing of the victim's contact details or unshared words. The case keeps the
hash of the PDF filed, and the report it keeps renders to the same bytes."""

import hashlib
from datetime import datetime, timedelta

from domain.agreement import Agreement, Obligation
from domain.enums import (
    ConferenceResult,
    DirectiveKind,
    DispositionKind,
    ObligationKind,
    ReportKind,
    ReviewDecision,
    SafetyEventKind,
    Stage,
    TaskKind,
)
from domain.local_time import local_date
from domain.reports import CourtReport
from domain.task_payloads import ReviewMissedObligation, SafetyReview, VerifyEvidence
from rendering.html import render_html
from rendering.pdf import render_pdf_afresh
from tests.rendering.pdfa import page_texts, pdfa_problems
from tests.workflows.harness import Case, Harness, demo_referral
from tests.workflows.steps import (
    VICTIM_STATEMENT,
    hold_conference,
    participant_consent,
    prepare,
    through_preparation,
    through_screening,
    victim_consent,
)
from workflows.case import DiversionCase
from workflows.messages import CourtDirective, Disposition, SafetyEvent

TZ = "America/Chicago"
AFTER_AGREEMENT = {
    ReportKind.AGREEMENT_REACHED,
    ReportKind.PROGRESS,
    ReportKind.NON_COMPLIANCE,
    ReportKind.FINAL,
}
OUTCOME_WORDS: dict[ReportKind, str] = {
    ReportKind.SCREENING_OUTCOME: "found suitable for a restorative process",
    ReportKind.AGREEMENT_REACHED: "an agreement was reached",
    ReportKind.PROGRESS: "Progress of the agreement to date",
    ReportKind.NON_COMPLIANCE: "has not been met despite reminders and review",
    ReportKind.SAFETY_EVENT: "The restorative process is suspended",
    ReportKind.NOT_PROCEEDED: "The restorative process did not proceed.",
    ReportKind.FINAL: "Full compliance",
}


async def started(harness: Harness, given: str, family: str) -> Case:
    referral = demo_referral()
    referral.participant.given_name, referral.participant.family_name = given, family
    return await harness.start(referral)


def flat(text: str) -> str:
    """Without whitespace: lines wrap anywhere in a table cell."""
    return "".join(text.split())


def check_filed(case: Case, name: str, agreed: list[Obligation]) -> set[ReportKind]:
    victim = case.referral.victim
    secrets = [v for v in victim.contact.model_dump().values() if v] + [VICTIM_STATEMENT]
    seen = set()
    for report, pdf in case.filed_documents():
        text = "\n".join(page_texts(pdf))
        where = f"{report.kind} report {report.sequence}"
        assert case.referral.court.case_number in text, where
        assert name in text, f"{where}: {name!r} not spelled exactly"
        assert flat(OUTCOME_WORDS[report.kind]) in flat(text), where
        for secret in secrets:
            assert flat(secret) not in flat(text), f"{where}: {secret!r} reached the court"
        if report.kind in AFTER_AGREEMENT:
            for item in agreed:
                due = f"Due {local_date(item.first_due, TZ)}"
                assert flat(item.description) in flat(text), where
                assert flat(due) in flat(text), f"{where}: no {due!r}"
        html = render_html(report)
        assert name in html and flat(OUTCOME_WORDS[report.kind]) in flat(html), where
        seen.add(report.kind)
    return seen


async def check_kept(case: Case) -> None:
    """The case keeps the hash of the PDF filed and the report, which renders it again."""
    kept = {r.sequence: r for r in (await case.view()).reports}
    for report, pdf in case.filed_documents():
        filed = kept[report.sequence]
        assert filed.document_hash == hashlib.sha256(pdf).hexdigest()
        assert isinstance(filed.report, CourtReport)
        assert render_pdf_afresh(filed.report) == pdf


def restitution(due_in: timedelta, start: datetime) -> Obligation:
    return Obligation(
        kind=ObligationKind.RESTITUTION,
        description="Repay the broken phone",
        provider="Program office",
        first_due=start + due_in,
        evidence_required="receipt",
    )


async def test_a_completed_case_files_its_reports_as_the_judge_reads_them(
    harness: Harness,
) -> None:
    name = "Tāmati Ngāwhika"
    case = await started(harness, "Tāmati", "Ngāwhika")
    await through_preparation(case)
    item = restitution(timedelta(days=85), await case.now())
    await hold_conference(case, ConferenceResult.AGREEMENT, Agreement(obligations=[item]))
    await case.reach(Stage.MONITORING)
    verify = await case.task(TaskKind.VERIFY_EVIDENCE)
    await case.advance(timedelta(days=65))
    await case.complete(VerifyEvidence(evidence_seen=True), verify.id)
    await case.filed(ReportKind.FINAL)
    await case.handle.execute_update(
        DiversionCase.record_disposition,
        Disposition(kind=DispositionKind.COMPLETED, decided_on=await case.now()),
    )
    await case.outcome()

    seen = check_filed(case, name, [item])
    assert seen == {
        ReportKind.SCREENING_OUTCOME,
        ReportKind.AGREEMENT_REACHED,
        ReportKind.PROGRESS,
        ReportKind.FINAL,
    }
    await check_kept(case)
    _, final_pdf = case.filed_documents()[-1]
    assert pdfa_problems(final_pdf) == []


async def test_a_troubled_case_files_its_reports_as_the_judge_reads_them(
    harness: Harness,
) -> None:
    name = "Nguyễn Văn Đức"
    case = await started(harness, "Nguyễn Văn", "Đức")
    await through_screening(case)
    await case.handle.execute_update(
        DiversionCase.report_safety_event,
        SafetyEvent(kind=SafetyEventKind.ADVOCATE_ALERT, description="threat by text message"),
    )
    review = await case.task(TaskKind.SAFETY_REVIEW)
    await case.filed(ReportKind.SAFETY_EVENT)
    await case.complete(SafetyReview(safe_to_resume=True), review.id)
    await case.reach(Stage.ENGAGEMENT)
    await case.complete(victim_consent())
    await case.complete(participant_consent())
    await prepare(case)
    item = restitution(timedelta(days=40), await case.now())
    await hold_conference(case, ConferenceResult.AGREEMENT, Agreement(obligations=[item]))
    await case.reach(Stage.MONITORING)
    await case.advance(timedelta(days=45))
    missed = await case.task(TaskKind.REVIEW_MISSED_OBLIGATION)
    await case.complete(ReviewMissedObligation(decision=ReviewDecision.BREACH), missed.id)
    await case.filed(ReportKind.NON_COMPLIANCE)
    await case.handle.execute_update(
        DiversionCase.court_directive, CourtDirective(kind=DirectiveKind.TERMINATE)
    )
    await case.outcome()

    seen = check_filed(case, name, [item])
    assert {ReportKind.SAFETY_EVENT, ReportKind.NON_COMPLIANCE} <= seen
    assert "threat by text message" not in "".join(
        t for _, pdf in case.filed_documents() for t in page_texts(pdf)
    )
    await check_kept(case)


async def test_a_case_that_did_not_proceed_files_a_neutral_report(harness: Harness) -> None:
    name = "Tāmati Ngāwhika"
    case = await started(harness, "Tāmati", "Ngāwhika")
    await through_screening(case)
    await case.complete(victim_consent(consents=False))
    await case.outcome()

    assert check_filed(case, name, []) == {ReportKind.SCREENING_OUTCOME, ReportKind.NOT_PROCEEDED}
    _, pdf = case.filed_documents()[-1]
    text = flat("\n".join(page_texts(pdf))).lower()
    assert "victim" not in text and "declin" not in text and "consent" not in text
    await check_kept(case)
