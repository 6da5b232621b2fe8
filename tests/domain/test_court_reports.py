"""Building a court report from a case (domain/court_reports.py), without a workflow:
what each kind says, the compliance level, the obligations table, the milestones, and
the victim's words only when shared and never beside "did not proceed"."""

from datetime import timedelta

import pytest

from domain.agreement import ObligationProgress
from domain.case import CaseState, Statement, TimelineEntry
from domain.court_reports import build_report, compliance_level
from domain.enums import (
    ComplianceLevel,
    NotProceededReason,
    ObligationKind,
    ObligationStatus,
    ReportKind,
    Stage,
)
from tests.domain.factories import T0, make_case

NOW = T0 + timedelta(days=90)


def with_obligations(*progress: dict[str, object]) -> CaseState:
    case = make_case()
    case.obligations = [
        ObligationProgress(
            index=n, kind=ObligationKind.COUNSELLING, description=f"item {n}", **fields
        )
        for n, fields in enumerate(progress)
    ]
    return case


@pytest.mark.parametrize(
    ("progress", "level"),
    [
        ([{"status": ObligationStatus.MET, "met": 4}], ComplianceLevel.FULL),
        ([], ComplianceLevel.FULL),
        ([{"status": ObligationStatus.MET, "missed": 1}], ComplianceLevel.SUBSTANTIAL),
        ([{"status": ObligationStatus.MET, "excused": 1}], ComplianceLevel.SUBSTANTIAL),
        ([{"status": ObligationStatus.MET, "extensions": 1}], ComplianceLevel.SUBSTANTIAL),
        (
            [{"status": ObligationStatus.MET}, {"status": ObligationStatus.BREACHED}],
            ComplianceLevel.SIGNIFICANT_FAILURE,
        ),
        (
            [{"status": ObligationStatus.BREACHED, "missed": 0}],
            ComplianceLevel.SIGNIFICANT_FAILURE,
        ),
    ],
)
def test_compliance_level(progress: list[dict[str, object]], level: ComplianceLevel) -> None:
    assert compliance_level(with_obligations(*progress)) is level


def test_a_final_report_says_its_compliance_and_what_the_court_should_do() -> None:
    case = with_obligations({"status": ObligationStatus.MET, "missed": 1, "met": 3})
    report = build_report(case, ReportKind.FINAL, NOW)
    assert report.compliance is ComplianceLevel.SUBSTANTIAL
    assert report.summary == "The monitoring period has ended. Compliance: substantial."
    assert report.next_steps == "The program asks the court to record its disposition."
    assert report.kind is ReportKind.FINAL and report.generated_at == NOW
    assert report.sequence == len(case.reports) + 1 == 2
    assert report.participant_name == (
        f"{case.referral.participant.given_name} {case.referral.participant.family_name}"
    )
    assert (report.case_id, report.jurisdiction, report.stage) == (
        case.case_id,
        "demo",
        case.stage,
    )
    assert (report.court_id, report.court_case_number) == (
        case.referral.court.court_id,
        case.referral.court.case_number,
    )
    [row] = report.obligations
    assert (row.kind, row.description, row.status) == (
        ObligationKind.COUNSELLING,
        "item 0",
        ObligationStatus.MET,
    )
    assert (row.met, row.missed, row.excused) == (3, 1, 0)


def test_only_a_final_report_carries_a_compliance_level() -> None:
    report = build_report(with_obligations({"missed": 2}), ReportKind.PROGRESS, NOW)
    assert report.compliance is None
    assert report.summary == "Progress of the agreement to date."
    assert report.next_steps == ""


def test_a_not_proceeded_report_carries_its_reason_and_never_the_victims_words() -> None:
    case = make_case(statements=[Statement(text="I want him to hear this.", share_with_court=True)])
    report = build_report(
        case, ReportKind.NOT_PROCEEDED, NOW, NotProceededReason.PROCESS_DID_NOT_PROCEED
    )
    assert report.not_proceeded_reason is NotProceededReason.PROCESS_DID_NOT_PROCEED
    assert report.victim_statement is None
    assert report.summary == "The restorative process did not proceed."
    assert report.next_steps == "The case is returned to the court."


def test_shared_statements_only_joined_by_a_blank_line() -> None:
    case = make_case(
        statements=[
            Statement(text="First words.", share_with_court=True),
            Statement(text="Kept private.", share_with_court=False),
            Statement(text="Second words.", share_with_court=True),
        ]
    )
    report = build_report(case, ReportKind.PROGRESS, NOW)
    assert report.victim_statement == "First words.\n\nSecond words."
    unshared = make_case(statements=[Statement(text="Kept private.")])
    assert build_report(unshared, ReportKind.PROGRESS, NOW).victim_statement is None


def test_milestones_are_the_stages_entered_as_the_court_may_read_them() -> None:
    case = make_case(
        timeline=[
            TimelineEntry(at=T0, stage=Stage.REFERRED, event="referral received"),
            TimelineEntry(
                at=T0 + timedelta(days=1), stage=Stage.SCREENING, event="entered screening"
            ),
            TimelineEntry(
                at=T0 + timedelta(days=2),
                stage=Stage.ENGAGEMENT,
                event="entered engagement",
                audience="staff",
            ),
            TimelineEntry(
                at=T0 + timedelta(days=3), stage=Stage.MONITORING, event="entered monitoring"
            ),
        ]
    )
    report = build_report(case, ReportKind.PROGRESS, NOW)
    assert [(m.at, m.stage) for m in report.milestones] == [
        (T0 + timedelta(days=1), Stage.SCREENING),
        (T0 + timedelta(days=3), Stage.MONITORING),
    ]


@pytest.mark.parametrize(
    ("kind", "summary", "next_steps"),
    [
        (
            ReportKind.NON_COMPLIANCE,
            "An agreement item has not been met despite reminders and review.",
            "The program asks the court to direct whether the case continues.",
        ),
        (
            ReportKind.SAFETY_EVENT,
            "A safety concern was reported. The restorative process is suspended pending review.",
            "The program will report again after its safety review.",
        ),
        (
            ReportKind.SCREENING_OUTCOME,
            "The case was screened as suitable for a restorative process.",
            "",
        ),
    ],
)
def test_each_kind_says_its_own_words(kind: ReportKind, summary: str, next_steps: str) -> None:
    report = build_report(make_case(), kind, NOW)
    assert (report.summary, report.next_steps) == (summary, next_steps)
