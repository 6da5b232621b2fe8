"""Edges of the views and rules that mutation testing found unpinned (docs/mutation.md):
the court's next hearing and filed reports, the staff view's suspension, the order in
which victim details are withheld, an age range's boundary, and one more step each in
referral comparison, court reports and follow-up months."""

import json
from datetime import timedelta

from domain.agreement import ObligationProgress
from domain.case import Statement, SuspendedStage
from domain.court_reports import build_report
from domain.court_view import court_view
from domain.diff import comparable
from domain.enums import ComplianceLevel, ObligationKind, ObligationStatus, ReportKind, Stage
from domain.incidents import PersonAge
from domain.recidivism import months_after
from domain.referral import Hearing, VictimContact
from domain.reports import FiledReport
from domain.staff_view import advocate_view, staff_view
from domain.withholding import WITHHELD, victim_secrets, withhold_victim_details
from tests.domain.factories import T0, make_case, make_referral

NOW = T0 + timedelta(days=60)


def test_the_court_sees_the_next_hearing_not_the_first_listed_nor_a_past_one() -> None:
    case = make_case()
    case.referral.court.judge = "Hon. Amara Osei"
    case.referral.court.hearings = [
        Hearing(at=NOW + timedelta(days=30), purpose="review"),
        Hearing(at=NOW - timedelta(days=1), purpose="past"),
        Hearing(at=NOW, purpose="today"),
        Hearing(at=NOW + timedelta(days=7), purpose="status"),
    ]
    view = court_view(case, NOW)
    assert view.next_hearing is not None
    assert (view.next_hearing.at, view.next_hearing.purpose) == (NOW, "today")
    later = court_view(case, NOW + timedelta(seconds=1)).next_hearing
    assert later is not None and later.purpose == "status"
    assert view.court.judge == "Hon. Amara Osei"


def test_the_court_sees_filed_reports_only_with_their_reference() -> None:
    case = make_case()
    case.reports.append(
        FiledReport(kind=ReportKind.PROGRESS, sequence=2, document_hash="1" * 64)  # not yet filed
    )
    view = court_view(case, NOW)
    assert [(r.sequence, r.court_reference) for r in view.reports] == [(1, "DEMO-FILE-1")]


def test_the_court_sees_each_items_next_due_date() -> None:
    case = make_case()
    due = case.obligations[0].next_due
    assert due is not None
    assert [o.next_due for o in court_view(case, NOW).obligations] == [due]


def test_staff_and_the_advocate_see_the_suspension_and_what_it_holds() -> None:
    case = make_case()
    assert staff_view(case).suspension is None
    case.suspension = SuspendedStage(stage=Stage.PREPARATION, at=NOW)
    for view in (staff_view(case), advocate_view(case)):
        assert view.suspension is not None
        assert (view.suspension.stage, view.suspension.since) == (Stage.PREPARATION, NOW)
    proposed = VictimContact(phone="+1 555 0144 120")
    case.proposed_victim_contact = proposed
    assert advocate_view(case).proposed_victim_contact == proposed


def test_a_longer_secret_is_withheld_whole_before_a_shorter_one_inside_it() -> None:
    # "Alder Row" sorts after "12 Alder Row" as text, and is inside it.
    case = make_case(contact=VictimContact(address="12 Alder Row", email="Alder Row"))
    case.victim_statements = [Statement(text="Alder")]  # under the shortest length kept
    assert victim_secrets(case) == ["12 Alder Row", "Alder Row"]
    report = build_report(case, ReportKind.PROGRESS, NOW)
    report.summary = "Seen at 12 Alder Row and at Alder Row."
    assert withhold_victim_details(report, case).summary == (
        f"Seen at {WITHHELD} and at {WITHHELD}."
    )


def test_a_secret_of_exactly_the_shortest_length_is_withheld() -> None:
    case = make_case(contact=VictimContact(phone="555-01"))  # six characters
    assert victim_secrets(case) == ["555-01"]


def test_withholding_keeps_dates_as_dates() -> None:
    case = make_case(contact=VictimContact(address="77 Quarry Lane"))
    report = build_report(case, ReportKind.PROGRESS, NOW)
    assert withhold_victim_details(report, case).generated_at == NOW


def test_an_age_range_starting_at_the_limit_is_not_under_it() -> None:
    assert not PersonAge(minimum=16, maximum=20).could_be_under(16)
    assert PersonAge(minimum=15, maximum=20).could_be_under(16)


def test_a_referral_is_compared_as_json() -> None:
    document = comparable(make_referral())
    assert isinstance(document["charges"][0]["offense_date"], str)
    json.dumps(document)  # a fingerprint is taken of it


def test_a_significant_failure_reads_in_words() -> None:
    case = make_case()
    case.obligations = [
        ObligationProgress(
            index=0,
            kind=ObligationKind.COUNSELLING,
            description="item",
            status=ObligationStatus.BREACHED,
        )
    ]
    report = build_report(case, ReportKind.FINAL, NOW)
    assert report.compliance is ComplianceLevel.SIGNIFICANT_FAILURE
    assert report.summary == "The monitoring period has ended."


def test_twelve_months_from_january_is_next_january() -> None:
    start = T0.replace(month=1, day=15)
    assert months_after(start, 12) == start.replace(year=start.year + 1)
