import re
from datetime import UTC, datetime

from adapters.courts.report_pdf import LINES_PER_PAGE, render_report_pdf
from domain.enums import ObligationKind, ObligationStatus
from domain.reports import ReportObligationRow
from tests.test_json_format import report


def objects_by_offset(pdf: bytes) -> dict[int, int]:
    """The xref table's offsets, each checked to point at its "N 0 obj" line."""
    xref_at = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", pdf)[1])  # type: ignore[index]
    table = pdf[xref_at:].split(b"trailer")[0].splitlines()[3:]
    found = {}
    for number, row in enumerate(table, start=1):
        offset = int(row[:10])
        assert pdf[offset:].startswith(f"{number} 0 obj\n".encode()), number
        found[number] = offset
    return found


def test_one_report_renders_to_the_same_bytes_every_time() -> None:
    assert render_report_pdf(report()) == render_report_pdf(report())
    assert render_report_pdf(report()) != render_report_pdf(report(sequence=3))


def test_the_cross_reference_table_points_at_every_object() -> None:
    pdf = render_report_pdf(report())
    assert pdf.startswith(b"%PDF-1.4\n")
    assert len(objects_by_offset(pdf)) == 6  # catalog, pages, font, info, one page + stream


def test_the_text_is_on_the_page_with_pdf_special_characters_escaped() -> None:
    pdf = render_report_pdf(report(summary="Attended (all) sessions \\ on time"))
    assert b"(Court: demo-county-district-court    Case number: CR-2026-00417) '" in pdf
    assert b"Attended \\(all\\) sessions \\\\ on time" in pdf


def test_a_long_report_flows_onto_more_pages() -> None:
    rows = [
        ReportObligationRow(
            kind=ObligationKind.COUNSELLING,
            description=f"Session {n}",
            status=ObligationStatus.MET,
            met=1,
            missed=0,
            excused=0,
        )
        for n in range(LINES_PER_PAGE * 2)
    ]
    pdf = render_report_pdf(report(obligations=rows))
    assert b"/Count 3 >>" in pdf
    assert len(objects_by_offset(pdf)) == 4 + 2 * 3


def test_a_victim_statement_appears_only_when_the_report_carries_one() -> None:
    assert b"Statement" not in render_report_pdf(report())
    shared = render_report_pdf(report(victim_statement="I want this to stop."))
    assert b"(I want this to stop.) '" in shared


def test_characters_outside_latin1_do_not_break_the_document() -> None:
    pdf = render_report_pdf(
        report(participant_name="Łukasz Żak", generated_at=datetime(2026, 1, 2, tzinfo=UTC))
    )
    assert b"(Participant: ?ukasz ?ak) '" in pdf
    objects_by_offset(pdf)
