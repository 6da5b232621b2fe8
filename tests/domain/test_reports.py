"""Which filing a court's later answer is about (`FiledReport.answered_by`,
domain/reports.py): the court's own reference for it, or the filing's idempotency key,
which a folder court echoes; never an empty reference, and never another filing's."""

from datetime import timedelta

from domain.court_reports import build_report
from domain.enums import ReportKind
from domain.reports import FiledReport, FilingReceipt
from tests.domain.factories import T0, make_case

FILED_AT = T0 + timedelta(days=31)


def filed(court_reference: str | None = None, key: str | None = None) -> FiledReport:
    receipt = None
    if key is not None:
        receipt = FilingReceipt(
            idempotency_key=key,
            document_hash="0" * 64,
            court_reference=court_reference or "",
            filed_at=FILED_AT,
            status="received",
        )
    return FiledReport(
        kind=ReportKind.PROGRESS,
        sequence=2,
        document_hash="0" * 64,
        court_reference=court_reference,
        filed_at=FILED_AT,
        status="received",
        receipt=receipt,
    )


def test_an_answer_naming_the_courts_reference_or_the_key_is_about_the_filing() -> None:
    report = filed("LAKE-2026-0042", key="lakeshore-cr-2026-00417:report:2")
    assert report.answered_by("LAKE-2026-0042")
    assert report.answered_by("lakeshore-cr-2026-00417:report:2")
    assert not report.answered_by("LAKE-2026-0043")
    assert not report.answered_by("lakeshore-cr-2026-00417:report:1")
    assert not report.answered_by("")


def test_a_filing_without_a_receipt_is_known_by_its_reports_key() -> None:
    case = make_case()
    report = build_report(case, ReportKind.PROGRESS, FILED_AT)
    staff_filed = FiledReport(
        kind=ReportKind.PROGRESS,
        sequence=report.sequence,
        document_hash="0" * 64,
        court_reference="DEMO-FILE-2",
        report=report,
    )
    assert staff_filed.answered_by(report.idempotency_key)
    assert staff_filed.answered_by("DEMO-FILE-2")
    assert not staff_filed.answered_by(f"{report.idempotency_key}:v2")


def test_a_filing_the_court_gave_no_reference_is_answered_only_by_its_key() -> None:
    report = filed(None, key="k-2")
    assert report.answered_by("k-2")
    assert not report.answered_by("")
    assert not report.answered_by("None")


def test_an_empty_reference_names_no_filing() -> None:
    report = filed("", key="")  # as a transport that gave nothing back would record it
    assert not report.answered_by("")
    assert not filed().answered_by("")
