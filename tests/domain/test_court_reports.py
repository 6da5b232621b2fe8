"""What each kind of report tells the judge (DESIGN §8): the case reference, the agreed
terms with how they stand, police incidents during the program, the recommendation,
next steps and next hearing; neutral when the case did not proceed."""

import hashlib
import json
from datetime import date, timedelta

import pytest

from domain.agreement import Obligation
from domain.case import CaseState, Statement, StopRecord
from domain.court_reports import agreed_items, build_report, incidents_during_program
from domain.enums import (
    ComplianceLevel,
    NotProceededReason,
    ObligationKind,
    ObligationStatus,
    Outcome,
    ReportKind,
    Stage,
)
from domain.referral import Incident
from domain.reports import ReportSettings
from tests.domain.factories import CASE_NUMBER, T0, make_case

NOW = T0 + timedelta(days=50)


def apology() -> Obligation:
    return Obligation(
        kind=ObligationKind.APOLOGY,
        description="Written apology through the program",
        first_due=T0 + timedelta(days=45),
        evidence_required="the letter, read by the coordinator",
    )


def with_agreement(case: CaseState) -> CaseState:
    assert case.agreement is not None
    case.agreement.obligations.append(apology())
    return case


@pytest.mark.parametrize("kind", list(ReportKind))
def test_every_report_names_the_case_the_court_and_the_participant(kind: ReportKind) -> None:
    case = make_case()
    case.jurisdiction = case.jurisdiction.model_copy(
        update={"reports": ReportSettings(court_names={"demo-circuit-3": "Demo Circuit Court"})}
    )
    report = build_report(case, kind, NOW, NotProceededReason.PROCESS_DID_NOT_PROCEED)
    assert report.court_case_number == CASE_NUMBER
    assert report.court_name == "Demo Circuit Court"
    assert report.judge == "Hon. Lorraine Vasquez-Whitfield"
    assert report.participant_name == "Darnell Okafor"
    assert report.program_name == case.jurisdiction.name
    assert report.timezone == "America/Chicago"
    assert report.page_size == "letter"
    assert report.summary and report.next_steps
    assert report.next_hearing is not None and report.next_hearing.purpose == "status"


def test_a_court_without_a_configured_name_has_none() -> None:
    assert build_report(make_case(), ReportKind.PROGRESS, NOW).court_name is None


def test_the_agreement_reached_report_lists_the_agreed_terms_before_monitoring() -> None:
    case = with_agreement(make_case(stage=Stage.CONFERENCE))
    case.obligations = []  # the obligations start after the report is filed
    report = build_report(case, ReportKind.AGREEMENT_REACHED, T0 + timedelta(days=30))
    first, second = report.obligations
    assert first.kind is ObligationKind.BEHAVIOUR_CHANGE_PROGRAMME
    assert first.provider == "Lakeside Men's Programme"
    assert (first.occurrences, first.every_days, first.allowed_misses) == (24, 7, 2)
    assert first.first_due == T0 + timedelta(days=40)
    assert first.evidence_required == "provider confirmation"
    assert first.status is ObligationStatus.PENDING
    assert second.kind is ObligationKind.APOLOGY
    assert second.first_due == T0 + timedelta(days=45) and second.occurrences == 1
    assert second.evidence_required == "the letter, read by the coordinator"


def test_rows_carry_how_each_item_stands_once_monitoring_has_started() -> None:
    case = make_case()
    case.obligations[0].met, case.obligations[0].missed = 5, 1
    case.obligations[0].status = ObligationStatus.UNDER_REVIEW
    [row] = agreed_items(case)
    assert (row.met, row.missed, row.excused, row.status) == (5, 1, 0, "under_review")
    assert row.next_due == case.obligations[0].next_due


def test_no_agreement_no_rows() -> None:
    case = make_case(stage=Stage.ENGAGEMENT)
    case.agreement = None
    assert build_report(case, ReportKind.SCREENING_OUTCOME, NOW).obligations == []


def test_a_progress_report_counts_the_items_met() -> None:
    case = with_agreement(make_case())
    case.obligations[0].status = ObligationStatus.MET
    assert "1 of 2 agreed items are met." in build_report(case, ReportKind.PROGRESS, NOW).summary


@pytest.mark.parametrize(
    ("breached", "missed", "level", "recommends"),
    [
        (False, 0, ComplianceLevel.FULL, "completed"),
        (False, 1, ComplianceLevel.SUBSTANTIAL, "completed"),
        (True, 3, ComplianceLevel.SIGNIFICANT_FAILURE, "not completed"),
    ],
)
def test_the_final_report_gives_the_compliance_level_and_recommends_by_it(
    breached: bool, missed: int, level: ComplianceLevel, recommends: str
) -> None:
    case = make_case(stage=Stage.FINAL_REPORT)
    case.obligations[0].missed = missed
    case.obligations[0].status = ObligationStatus.BREACHED if breached else ObligationStatus.MET
    report = build_report(case, ReportKind.FINAL, NOW)
    assert report.compliance is level
    assert recommends in report.recommendation


def test_the_structured_data_filed_beside_the_pdf_is_json_indented_by_two() -> None:
    """Its hash is what a case keeps for a report filed by hand, so its layout is fixed:
    a change would make every such hash unreproducible."""
    report = build_report(make_case(stage=Stage.FINAL_REPORT), ReportKind.FINAL, NOW)
    data = report.structured_data()
    assert data == json.dumps(json.loads(data), indent=2, ensure_ascii=False).encode()
    assert data.startswith(b'{\n  "kind": "final",\n  "case_id": "case-demo-cr-2026-00417",\n')
    assert report.structured_hash() == hashlib.sha256(data).hexdigest()


def test_only_the_final_report_carries_a_compliance_level() -> None:
    kinds = [k for k in ReportKind if k is not ReportKind.FINAL]
    assert all(build_report(make_case(), k, NOW).compliance is None for k in kinds)


def test_a_not_proceeded_report_is_neutral_and_carries_no_statement() -> None:
    case = make_case(
        stage=Stage.CLOSED,
        statements=[Statement(text="I am glad it is over.", share_with_court=True)],
        stop=StopRecord(
            outcome=Outcome.NOT_PROCEEDED,
            reason=NotProceededReason.PROCESS_DID_NOT_PROCEED,
            cause="victim declined on the phone",
        ),
    )
    report = build_report(
        case, ReportKind.NOT_PROCEEDED, NOW, NotProceededReason.PROCESS_DID_NOT_PROCEED
    )
    text = report.model_dump_json(exclude={"victim_statement"}).lower()
    assert report.victim_statement is None
    assert "glad" not in text and "declined" not in text and "victim" not in text
    assert "nothing about either party should be inferred" in report.next_steps
    assert report.obligations == [] and report.incidents == []


def test_police_incidents_during_the_program_by_number_and_date_only() -> None:
    case = make_case()
    case.incidents = [
        Incident(incident_number="DPD-2025-0042", occurred_on=date(2025, 11, 2), flags=["weapon"]),
        Incident(incident_number="DPD-2026-0311", occurred_on=date(2026, 4, 1), flags=["injury"]),
        Incident(incident_number="DPD-2026-0107", occurred_on=date(2026, 3, 10)),
        Incident(incident_number="DPD-UNDATED"),
    ]
    found = incidents_during_program(case)
    assert [(i.incident_number, i.occurred_on) for i in found] == [
        ("DPD-2026-0107", date(2026, 3, 10)),
        ("DPD-2026-0311", date(2026, 4, 1)),
    ]
    report = build_report(case, ReportKind.SAFETY_EVENT, NOW)
    assert report.incidents == found
    assert "weapon" not in report.model_dump_json() and "injury" not in report.model_dump_json()


def test_the_timeline_is_the_court_s_milestones_with_their_events() -> None:
    report = build_report(make_case(), ReportKind.PROGRESS, NOW)
    assert [(m.event, m.stage) for m in report.milestones] == [
        ("referral received", Stage.REFERRED)
    ]


def test_a_hearing_already_held_is_not_the_next_one() -> None:
    later = T0 + timedelta(days=61)
    assert build_report(make_case(), ReportKind.PROGRESS, later).next_hearing is None


def test_next_steps_give_the_jurisdiction_s_progress_cadence() -> None:
    report = build_report(make_case(), ReportKind.AGREEMENT_REACHED, NOW)
    assert "every 30 days" in report.next_steps


def test_a_victim_detail_in_an_agreed_term_is_withheld() -> None:
    from domain.referral import VictimContact

    case = make_case(contact=VictimContact(address="14 Kōwhai Street, Demo City"))
    assert case.agreement is not None
    case.agreement.obligations[0].provider = "meets near 14 Kōwhai Street, Demo City"
    report = build_report(case, ReportKind.AGREEMENT_REACHED, NOW)
    assert "Kōwhai" not in report.model_dump_json()
    assert report.obligations[0].provider == "meets near [withheld]"


def test_a_jurisdiction_s_report_settings_are_checked_with_the_file() -> None:
    from domain.policy import DEMO_FILE, PolicyError, parse_jurisdictions

    text = DEMO_FILE.read_text(encoding="utf-8").replace(
        'page_size = "letter"', 'page_size = "legal"'
    )
    with pytest.raises(PolicyError, match=r"jurisdiction 'demo': reports\.page_size"):
        parse_jurisdictions(text)
    a4 = parse_jurisdictions(DEMO_FILE.read_text(encoding="utf-8").replace('"letter"', '"a4"'))
    assert a4["demo"].reports.page_size == "a4"
    assert a4["demo"].reports.court_names["demo-county-district-court"] == (
        "Demo County District Court"
    )
