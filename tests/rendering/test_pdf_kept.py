"""A report's PDF is rendered once per process: the same content again (a filing retried,
the API's PDF of a filed report) takes the bytes rendered first; other content, and a
report that cannot be rendered, are rendered every time."""

import pytest

from domain.enums import ReportKind
from domain.report_page import ReportPage
from domain.reports import CourtReport
from rendering import kept_pdfs, pdf
from rendering.errors import ReportRenderError
from tests.rendering.samples import sample_report


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the pages actually rendered, through a fresh store of PDFs."""
    done: list[str] = []
    real = pdf.render_page_pdf

    def counting(page: ReportPage) -> bytes:
        done.append(page.text()[:80])
        return real(page)

    monkeypatch.setattr(pdf, "render_page_pdf", counting)
    monkeypatch.setattr(kept_pdfs, "KEPT", kept_pdfs.KeptPdfs(size=2))
    return done


def retried(report: CourtReport) -> CourtReport:
    """The report as a retried activity receives it: decoded again from its JSON."""
    return CourtReport.model_validate_json(report.model_dump_json())


def test_the_same_report_again_is_not_rendered_again(renders: list[str]) -> None:
    report = sample_report(ReportKind.PROGRESS)
    first = pdf.render_pdf(report)
    assert pdf.render_pdf(retried(report)) == first
    assert len(renders) == 1


def test_other_content_is_rendered(renders: list[str]) -> None:
    report = sample_report(ReportKind.PROGRESS)
    later = report.model_copy(update={"sequence": report.sequence + 1})
    assert pdf.render_pdf(later) != pdf.render_pdf(report)
    assert len(renders) == 2


def test_only_the_latest_are_kept(renders: list[str]) -> None:
    reports = [sample_report(kind) for kind in (ReportKind.PROGRESS, ReportKind.FINAL)]
    reports.append(sample_report(ReportKind.NOT_PROCEEDED))
    for report in reports:
        pdf.render_pdf(report)
    pdf.render_pdf(reports[2])  # kept
    pdf.render_pdf(reports[0])  # the oldest of three with room for two: rendered again
    assert len(renders) == 4


def test_a_report_that_cannot_be_rendered_is_refused_each_time(renders: list[str]) -> None:
    report = sample_report(ReportKind.PROGRESS).model_copy(update={"participant_name": "李"})
    for _ in range(2):
        with pytest.raises(ReportRenderError):
            pdf.render_pdf(report)
