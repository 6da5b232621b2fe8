"""A report as a person reads it: words for every code, dates in the court's zone."""

import re
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

import pytest

from domain.court_reports import build_report
from domain.enums import (
    ComplianceLevel,
    NotProceededReason,
    ObligationKind,
    ObligationStatus,
    ReportKind,
    Stage,
)
from domain.report_page import report_page, schedule_text
from domain.report_words import (
    COMPLIANCE,
    COMPLIANCE_MEANINGS,
    MILESTONES,
    NOT_PROCEEDED_REASONS,
    OBLIGATION_KINDS,
    OBLIGATION_STATUSES,
    REPORT_TITLES,
    STAGES,
    every_text,
)
from domain.reports import (
    CourtReport,
    ReportHearing,
    ReportIncident,
    ReportMilestone,
    ReportObligationRow,
)
from tests.domain.factories import T0, make_case

CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # an enum value such as under_review
ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")


@pytest.mark.parametrize(
    ("table", "codes"),
    [
        (REPORT_TITLES, ReportKind),
        (STAGES, Stage),
        (OBLIGATION_KINDS, ObligationKind),
        (OBLIGATION_STATUSES, ObligationStatus),
        (NOT_PROCEEDED_REASONS, NotProceededReason),
        (COMPLIANCE, ComplianceLevel),
        (COMPLIANCE_MEANINGS, ComplianceLevel),
    ],
)
def test_every_code_has_its_words(table: dict[object, str], codes: type[StrEnum]) -> None:
    assert set(table) == set(codes)
    assert not [w for w in table.values() if CODE.search(w)]


def test_every_milestone_event_has_its_words() -> None:
    from typing import get_args

    from domain.reports import MilestoneEvent

    assert set(MILESTONES) == set(get_args(MilestoneEvent))


@pytest.mark.parametrize("kind", list(ReportKind))
def test_no_code_reaches_the_page(kind: ReportKind) -> None:
    case = make_case()
    case.obligations[0].status = ObligationStatus.UNDER_REVIEW
    report = build_report(case, kind, T0 + timedelta(days=50), NotProceededReason.NOT_ELIGIBLE)
    page = report_page(report)
    shown = page.model_dump(exclude={"kind", "program_case_id", "page_size", "created"})
    text = "\n".join(str(v) for v in shown.values())
    assert not CODE.search(text), CODE.findall(text)
    assert not ISO_DATE.search(text), ISO_DATE.findall(text)


def test_dates_read_in_the_jurisdiction_s_zone() -> None:
    report = build_report(make_case(), ReportKind.PROGRESS, datetime(2026, 4, 11, 3, 5, tzinfo=UTC))
    page = report_page(report)
    assert page.generated == "Fri 10 Apr 2026, 22:05 CDT"
    assert page.created == "2026-04-11T03:05:00Z"  # the PDF's metadata stays UTC
    assert page.next_hearing is not None
    assert page.next_hearing.when == "Fri 1 May 2026, 10:00 CDT"
    assert page.timeline[0].when == "Mon 2 Mar 2026, 09:00 CST"
    [item] = page.items
    assert item.schedule == "24 sessions, weekly from Sat 11 Apr 2026; at most 2 may be missed"
    assert item.status == "Pending; next due Sat 11 Apr 2026"


def row(**changes: object) -> ReportObligationRow:
    fields: dict[str, object] = {
        "kind": ObligationKind.RESTITUTION,
        "description": "Repay the broken phone",
        "status": ObligationStatus.PENDING,
        "met": 0,
        "missed": 0,
        "excused": 0,
        "first_due": datetime(2026, 6, 1, 4, 0, tzinfo=UTC),
    }
    return ReportObligationRow.model_validate({**fields, **changes})


def test_a_one_off_item_reads_as_its_due_day_where_the_court_sits() -> None:
    assert schedule_text(row(), "America/Chicago") == "Due Sun 31 May 2026"
    assert schedule_text(row(), "UTC") == "Due Mon 1 Jun 2026"
    assert schedule_text(row(first_due=None), "UTC") == "No due date"


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (7, "weekly"),
        (14, "every 2 weeks"),
        (1, "daily"),
        (10, "every 10 days"),
        (3.5, "every 3.5 days"),
    ],
)
def test_how_often_in_words(days: float, words: str) -> None:
    assert every_text(days) == words


def test_a_not_proceeded_page_gives_the_neutral_reason_in_words() -> None:
    report = build_report(
        make_case(), ReportKind.NOT_PROCEEDED, T0, NotProceededReason.NOT_COMPLETED_IN_TIME
    )
    page = report_page(report)
    assert page.outcome == NOT_PROCEEDED_REASONS[NotProceededReason.NOT_COMPLETED_IN_TIME]
    assert page.title == "Report: restorative process did not proceed"


def test_the_final_page_says_what_the_compliance_level_means() -> None:
    case = make_case(stage=Stage.FINAL_REPORT)
    case.obligations[0].status = ObligationStatus.MET
    page = report_page(build_report(case, ReportKind.FINAL, T0 + timedelta(days=300)))
    assert page.compliance == "Full compliance"
    assert page.compliance_meaning == "Every agreed item was met, on time."


def test_the_page_is_built_from_the_report_alone() -> None:
    report = CourtReport(
        kind=ReportKind.SAFETY_EVENT,
        case_id="case-demo-x",
        sequence=2,
        jurisdiction="demo",
        court_id="court-7",
        court_case_number="CR-7",
        participant_name="Nguyễn Văn Đức",
        generated_at=datetime(2026, 5, 4, 16, 30, tzinfo=UTC),
        stage=Stage.SUSPENDED,
        summary="A safety concern was reported.",
        milestones=[ReportMilestone(at=T0, stage=Stage.SCREENING)],
    )
    page = report_page(report)
    assert page.court == "court-7"  # no name configured: the id
    assert page.program == "demo"
    assert page.participant == "Nguyễn Văn Đức"
    assert page.generated == "Mon 4 May 2026, 16:30 UTC"
    assert [(line.what) for line in page.timeline] == ["Screening"]
    assert page.document_title == "Safety event report 2: CR-7"
    assert "Nguyễn Văn Đức" in page.text()


def test_an_undated_incident_says_so() -> None:
    case = make_case()
    from domain.referral import Incident

    case.incidents = [Incident(incident_number="DPD-1", occurred_on=date(2026, 3, 3))]
    page = report_page(build_report(case, ReportKind.SAFETY_EVENT, T0 + timedelta(days=5)))
    assert [(i.when, i.what) for i in page.incidents] == [
        ("Tue 3 Mar 2026", "Police incident DPD-1")
    ]


# -- the whole page, word for word (docs/mutation.md) ------------------------------------------

TERMS = CourtReport(
    kind=ReportKind.AGREEMENT_REACHED,
    case_id="case-demo-cr-2026-00588",
    sequence=1,
    jurisdiction="demo",
    court_id="demo-circuit-3",
    court_case_number="CR-2026-00588",
    court_name="Demo Circuit Court",
    judge="Hon. Amara Nwosu-Lindgren",
    program_name="Demo County Restorative Justice Program",
    participant_name="Kofi Mensah-Bauer",
    generated_at=datetime(2026, 4, 11, 3, 5, tzinfo=UTC),
    timezone="America/Chicago",
    stage=Stage.MONITORING,
    summary="An agreement was reached at the conference.",
    obligations=[
        ReportObligationRow(
            kind=ObligationKind.COUNSELLING,
            description="Counselling sessions",
            status=ObligationStatus.PENDING,
            met=0,
            missed=0,
            excused=0,
            first_due=datetime(2026, 4, 20, 15, 0, tzinfo=UTC),
            every_days=14,
            occurrences=6,
        )
    ],
    victim_statement="I want him to understand what that night did to us.",
    recommendation="The program recommends the case continue in diversion.",
    next_steps="A progress report follows in 30 days.",
    next_hearing=ReportHearing(at=datetime(2026, 5, 1, 15, 0, tzinfo=UTC)),
    incidents=[ReportIncident(incident_number="DPD-26-0412")],
)


def test_the_page_of_agreed_terms_reads_in_full() -> None:
    page = report_page(TERMS)
    assert page.model_dump(exclude={"timeline"}) == {
        "kind": ReportKind.AGREEMENT_REACHED,
        "title": REPORT_TITLES[ReportKind.AGREEMENT_REACHED],
        "sequence": 1,
        "court_case_number": "CR-2026-00588",
        "court": "Demo Circuit Court",
        "judge": "Hon. Amara Nwosu-Lindgren",
        "program": "Demo County Restorative Justice Program",
        "program_case_id": "case-demo-cr-2026-00588",
        "participant": "Kofi Mensah-Bauer",
        "generated": "Fri 10 Apr 2026, 22:05 CDT",
        "stage": STAGES[Stage.MONITORING],
        "summary": "An agreement was reached at the conference.",
        "outcome": None,
        "compliance": None,
        "compliance_meaning": None,
        "items_heading": "Agreed terms",
        "items": [
            {
                "item": OBLIGATION_KINDS[ObligationKind.COUNSELLING],
                "description": "Counselling sessions",
                "provider": "not named",
                "schedule": "6 sessions, every 2 weeks from Mon 20 Apr 2026",
                "evidence": "none named",
                "status": OBLIGATION_STATUSES[ObligationStatus.PENDING],
                "met": 0,
                "missed": 0,
                "excused": 0,
            }
        ],
        "incidents": [{"when": "date not given", "what": "Police incident DPD-26-0412"}],
        "recommendation": "The program recommends the case continue in diversion.",
        "next_steps": "A progress report follows in 30 days.",
        "next_hearing": {"when": "Fri 1 May 2026, 10:00 CDT", "what": "Hearing"},
        "victim_statement": "I want him to understand what that night did to us.",
        "page_size": "letter",
        "lang": "en",
        "document_title": f"{REPORT_TITLES[ReportKind.AGREEMENT_REACHED]} 1: CR-2026-00588",
        "created": "2026-04-11T03:05:00Z",
    }


def test_items_are_agreed_items_once_the_agreement_is_under_way() -> None:
    progress = TERMS.model_copy(update={"kind": ReportKind.PROGRESS})
    assert report_page(progress).items_heading == "Agreed items"


def test_every_string_the_page_shows_is_in_its_text_one_per_line() -> None:
    lines = report_page(TERMS).text().split("\n")
    assert "Kofi Mensah-Bauer" in lines
    assert "Counselling sessions" in lines  # inside the list of items
    assert "Hearing" in lines and "Police incident DPD-26-0412" in lines


def test_the_neutral_reason_is_left_out_when_the_summary_already_says_it() -> None:
    reason = NotProceededReason.NOT_COMPLETED_IN_TIME
    said = TERMS.model_copy(
        update={
            "kind": ReportKind.NOT_PROCEEDED,
            "not_proceeded_reason": reason,
            "summary": NOT_PROCEEDED_REASONS[reason],
        }
    )
    assert report_page(said).outcome is None
    other = said.model_copy(update={"summary": "The process ended before a conference."})
    assert report_page(other).outcome == NOT_PROCEEDED_REASONS[reason]


@pytest.mark.parametrize(
    ("status", "next_due_shown"),
    [
        (ObligationStatus.PENDING, True),
        (ObligationStatus.MISSED, True),
        (ObligationStatus.UNDER_REVIEW, True),
        (ObligationStatus.EXCUSED, True),
        (ObligationStatus.MET, False),
        (ObligationStatus.BREACHED, False),
        (ObligationStatus.CANCELLED, False),
    ],
)
def test_an_item_still_due_says_when_next(status: ObligationStatus, next_due_shown: bool) -> None:
    due = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)
    report = TERMS.model_copy(
        update={"obligations": [row(status=status, next_due=due)], "timezone": "UTC"}
    )
    [item] = report_page(report).items
    words = OBLIGATION_STATUSES[status]
    assert item.status == (f"{words}; next due Mon 1 Jun 2026" if next_due_shown else words)


@pytest.mark.parametrize(
    ("occurrences", "every_days", "first_due", "schedule"),
    [
        (1, 7, datetime(2026, 6, 1, 4, 0, tzinfo=UTC), "Due Mon 1 Jun 2026"),
        (2, 7, datetime(2026, 6, 1, 4, 0, tzinfo=UTC), "2 sessions, weekly from Mon 1 Jun 2026"),
        (3, 7, None, "3 sessions, weekly"),
    ],
)
def test_a_schedule_reads_by_its_sessions(
    occurrences: int, every_days: float, first_due: datetime | None, schedule: str
) -> None:
    recurring = row(occurrences=occurrences, every_days=every_days, first_due=first_due)
    assert schedule_text(recurring, "UTC") == schedule
