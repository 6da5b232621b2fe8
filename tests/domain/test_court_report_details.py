"""What a court report carries, to the boundary: the agreed items before and during
monitoring, which incidents fall in the program and in what order, which hearing is
next, the recommendation and the jurisdiction's page (mutation testing found these
unpinned; docs/mutation.md). Invented people only."""

from datetime import date, timedelta

import pytest

from domain.case import CaseState, Statement, TimelineEntry
from domain.court_reports import build_report, incidents_during_program, next_hearing
from domain.enums import NotProceededReason, ObligationStatus, ReportKind, Stage
from domain.referral import Hearing, Incident
from domain.reports import ReportSettings
from tests.domain.factories import T0, make_case
from tests.domain.test_court_reports import with_agreement

NOW = T0 + timedelta(days=50)
REFERRED = date(2026, 2, 27)  # the factory's referral


def test_agreed_items_before_monitoring_read_from_the_agreement() -> None:
    case = make_case(stage=Stage.CONFERENCE)
    case.obligations = []
    [row] = build_report(case, ReportKind.AGREEMENT_REACHED, NOW).obligations
    assert case.agreement is not None
    term = case.agreement.obligations[0]
    assert (row.description, row.status, row.met, row.missed, row.excused, row.next_due) == (
        term.description,
        ObligationStatus.PENDING,
        0,
        0,
        0,
        term.first_due,
    )


def test_agreed_items_during_monitoring_read_how_each_stands() -> None:
    case = make_case()
    progress = case.obligations[0]
    progress.description = "Weekly behaviour-change group (evening session)"
    progress.met, progress.missed, progress.excused = 5, 1, 2
    progress.next_due = T0 + timedelta(days=96)
    [row] = build_report(case, ReportKind.PROGRESS, NOW).obligations
    assert (row.description, row.met, row.missed, row.excused, row.next_due) == (
        "Weekly behaviour-change group (evening session)",
        5,
        1,
        2,
        T0 + timedelta(days=96),
    )


def test_a_progress_report_counts_only_the_items_met() -> None:
    case = with_agreement(with_agreement(make_case()))  # three items, the last two unstarted
    case.obligations[0].status = ObligationStatus.MET
    summary = build_report(case, ReportKind.PROGRESS, NOW).summary
    assert summary.endswith(" 1 of 3 agreed items are met.")


def incidents(case: CaseState, *dated: tuple[str, date]) -> CaseState:
    case.incidents = [Incident(incident_number=n, occurred_on=on) for n, on in dated]
    return case


def test_incidents_from_the_day_of_referral_are_listed_by_date() -> None:
    case = incidents(
        make_case(),
        ("DPD-2026-0100", REFERRED + timedelta(days=20)),
        ("DPD-2026-0200", REFERRED),
        ("DPD-2026-0050", REFERRED - timedelta(days=1)),
    )
    assert [(i.incident_number, i.occurred_on) for i in incidents_during_program(case)] == [
        ("DPD-2026-0200", REFERRED),
        ("DPD-2026-0100", REFERRED + timedelta(days=20)),
    ]


def test_without_a_referral_date_the_program_starts_at_the_first_timeline_entry() -> None:
    case = incidents(make_case(), ("DPD-1", date(2026, 3, 1)), ("DPD-2", date(2026, 3, 5)))
    case.referral.referred_on = None
    case.timeline = [
        TimelineEntry(at=T0 + timedelta(days=2), stage=Stage.REFERRED, event="received"),
        TimelineEntry(at=T0 + timedelta(days=30), stage=Stage.CONFERENCE, event="conference"),
    ]
    assert [i.incident_number for i in incidents_during_program(case)] == ["DPD-2"]  # 4 March on
    case.timeline = []
    assert incidents_during_program(case) == []


def test_a_not_proceeded_report_lists_no_incident_even_during_the_program() -> None:
    case = incidents(make_case(), ("DPD-2026-0100", REFERRED + timedelta(days=20)))
    assert build_report(case, ReportKind.PROGRESS, NOW).incidents != []
    neutral = build_report(
        case, ReportKind.NOT_PROCEEDED, NOW, NotProceededReason.PROCESS_DID_NOT_PROCEED
    )
    assert neutral.incidents == []


def test_the_next_hearing_is_the_earliest_still_to_come_one_at_this_moment_included() -> None:
    case = make_case()
    case.referral.court.hearings = [
        Hearing(at=NOW + timedelta(days=40), purpose="review"),
        Hearing(at=NOW + timedelta(days=10), purpose="status"),
        Hearing(at=NOW - timedelta(days=3), purpose="plea"),
    ]
    hearing = next_hearing(case, NOW)
    assert hearing is not None and (hearing.at, hearing.purpose) == (
        NOW + timedelta(days=10),
        "status",
    )
    case.referral.court.hearings.append(Hearing(at=NOW, purpose="mention"))
    assert next_hearing(case, NOW) == type(hearing)(at=NOW, purpose="mention")


@pytest.mark.parametrize(
    ("kind", "recommendation"),
    [
        (ReportKind.PROGRESS, "That the case remain with the program while the agreement is met."),
        (ReportKind.NON_COMPLIANCE, "That the court direct whether the case continues."),
    ],
)
def test_each_report_recommends_by_its_kind(kind: ReportKind, recommendation: str) -> None:
    assert build_report(make_case(), kind, NOW).recommendation == recommendation


def test_shared_statements_are_set_apart_by_a_blank_line() -> None:
    case = make_case(
        statements=[
            Statement(text="I am ready to move on.", share_with_court=True),
            Statement(text="This one stays with the program.", share_with_court=False),
            Statement(text="Our children feel safe again.", share_with_court=True),
        ]
    )
    report = build_report(case, ReportKind.PROGRESS, NOW)
    assert report.victim_statement == "I am ready to move on.\n\nOur children feel safe again."


def test_the_report_takes_the_jurisdictions_page_size() -> None:
    case = make_case()
    a4 = ReportSettings(page_size="a4")
    case.jurisdiction = case.jurisdiction.model_copy(update={"reports": a4})
    assert build_report(case, ReportKind.PROGRESS, NOW).page_size == "a4"
