"""What staff and the advocate see of a case's filings (domain/staff_view.py): each one's
status as the court answered it, and the history of those answers, as the case keeps them."""

from datetime import timedelta

from domain.enums import ReportKind
from domain.filing_status import FilingStatusEntry
from domain.reports import FiledReport
from domain.staff_view import advocate_view, staff_view
from tests.domain.factories import T0, make_case

FILED_AT = T0 + timedelta(days=40)
HISTORY = [
    FilingStatusEntry(status="received", at=FILED_AT, reference="DEMO-FILE-2"),
    FilingStatusEntry(
        status="rejected",
        at=FILED_AT + timedelta(hours=26),
        reason="Pièce jointe illisible: page 2 manquante.",
        reference="DEMO-FILE-2",
        source="poll",
    ),
]


def test_staff_and_the_advocate_see_each_filings_status_and_its_history() -> None:
    case = make_case()
    case.reports.append(
        FiledReport(
            kind=ReportKind.PROGRESS,
            sequence=2,
            document_hash="2" * 64,
            court_reference="DEMO-FILE-2",
            filed_at=FILED_AT,
            status="rejected",
            status_history=HISTORY,
        )
    )
    for view in (staff_view(case), advocate_view(case)):
        assert [(r.sequence, r.status) for r in view.reports] == [(1, "accepted"), (2, "rejected")]
        assert view.reports[0].status_history == []
        assert view.reports[1].status_history == HISTORY


def test_a_filing_only_received_reads_as_received() -> None:
    case = make_case()
    case.reports[0].status = "received"
    case.reports[0].status_history = HISTORY[:1]
    view = staff_view(case)
    assert view.reports[0].status == "received"
    assert view.reports[0].status_history == HISTORY[:1]
