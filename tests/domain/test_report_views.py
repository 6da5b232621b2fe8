"""Which filed reports a caller may read, and what of them: through the caller's view,
with what the victim has since taken back withheld."""

from datetime import timedelta

import pytest

from domain.case import CaseState, Statement
from domain.court_reports import build_report
from domain.enums import ReportKind, Role
from domain.report_views import ReportNotKept, report_for, reports_for
from domain.reports import FiledReport
from tests.domain.factories import T0, make_case

NOW = T0 + timedelta(days=50)
WORDS = "I feel safer since he started the programme."
EVERY_READER = [
    [Role.CLERK],
    [Role.JUDGE],
    [Role.INTEGRATOR],
    [Role.COORDINATOR],
    [Role.FACILITATOR],
    [Role.VICTIM_ADVOCATE],
    [Role.ADMIN],
]


def with_filed_report(case: CaseState) -> CaseState:
    report = build_report(case, ReportKind.PROGRESS, NOW)
    case.reports.append(
        FiledReport(
            kind=report.kind,
            sequence=report.sequence,
            document_hash="a" * 64,
            court_reference="DEMO-FILE-2",
            filed_at=NOW,
            report=report,
        )
    )
    return case


@pytest.mark.parametrize("roles", EVERY_READER)
def test_every_reader_lists_the_filed_reports(roles: list[Role]) -> None:
    listed = reports_for(with_filed_report(make_case()), roles, NOW)
    assert [(r.sequence, r.kind, r.filed_at, r.court_reference, r.status) for r in listed] == [
        (1, "agreement_reached", T0 + timedelta(days=31), "DEMO-FILE-1", "filed"),
        (2, "progress", NOW, "DEMO-FILE-2", "filed"),
    ]


def test_the_report_reads_as_filed() -> None:
    case = with_filed_report(make_case())
    assert report_for(case, [Role.JUDGE], NOW, 2) == case.reports[1].report


def test_a_report_not_listed_is_not_found() -> None:
    assert report_for(with_filed_report(make_case()), [Role.JUDGE], NOW, 3) is None


def test_a_filing_from_before_reports_were_kept_is_listed_but_not_readable() -> None:
    case = make_case()
    assert [r.sequence for r in reports_for(case, [Role.CLERK], NOW)] == [1]
    with pytest.raises(ReportNotKept) as not_kept:
        report_for(case, [Role.CLERK], NOW, 1)
    assert str(not_kept.value) == (
        "report 1 was filed before the case kept the reports it filed; the court holds it"
    )


def test_words_the_victim_took_back_are_withheld_from_a_report_already_filed() -> None:
    case = with_filed_report(make_case(statements=[Statement(text=WORDS, share_with_court=True)]))
    first = report_for(case, [Role.JUDGE], NOW, 2)
    assert first is not None and first.victim_statement == WORDS
    case.victim_statements[0].share_with_court = False
    again = report_for(case, [Role.JUDGE], NOW, 2)
    assert again is not None and WORDS not in again.model_dump_json()
    assert again.victim_statement == "[withheld]"


def test_a_report_staff_filed_by_hand_says_so() -> None:
    case = with_filed_report(make_case())
    filed = case.reports[1]
    assert filed.report is not None
    filed.document_hash = filed.report.structured_hash()
    assert reports_for(case, [Role.CLERK], NOW)[1].status == "filed by staff"
