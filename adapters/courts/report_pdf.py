"""A court report as a PDF, for formats whose courts file documents (ECF's lead document).

Plain PDF 1.4 written by hand: text only, the standard Helvetica font, A4 pages. No
dependency and no clock, so one report always renders to the same bytes, which is what
lets a transport recognise a resend of one filing. The standard fonts cover Latin-1;
other characters print as "?" (the structured report beside it keeps the exact text).
"""

import textwrap
from collections.abc import Iterator

from domain.reports import CourtReport

PAGE_WIDTH, PAGE_HEIGHT = 595, 842
MARGIN = 56
LEADING = 14
FONT_SIZE = 10
WRAP_COLUMNS = 92
LINES_PER_PAGE = (PAGE_HEIGHT - 2 * MARGIN) // LEADING


def render_report_pdf(report: CourtReport) -> bytes:
    lines = list(_report_lines(report))
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    return _pdf([_page_stream(page) for page in pages or [[]]], title=_title(report))


def _title(report: CourtReport) -> str:
    kind = report.kind.value.replace("_", " ")
    return f"{kind.capitalize()} report {report.sequence}: {report.court_case_number}"


def _report_lines(report: CourtReport) -> Iterator[str]:
    yield _title(report)
    yield ""
    yield f"Court: {report.court_id}    Case number: {report.court_case_number}"
    yield f"Program case: {report.case_id}    Jurisdiction: {report.jurisdiction}"
    yield f"Participant: {report.participant_name}"
    yield f"Generated: {report.generated_at.isoformat()}    Stage: {report.stage.value}"
    if report.not_proceeded_reason is not None:
        yield f"Did not proceed: {report.not_proceeded_reason.value.replace('_', ' ')}"
    if report.compliance is not None:
        yield f"Compliance: {report.compliance.value.replace('_', ' ')}"
    yield from _section("Summary", report.summary)
    if report.obligations:
        yield ""
        yield "Obligations"
        for row in report.obligations:
            yield from _wrapped(
                f"- {row.kind.value.replace('_', ' ')}: {row.description} "
                f"[{row.status.value}; met {row.met}, missed {row.missed}, excused {row.excused}]"
            )
    if report.milestones:
        yield ""
        yield "Timeline"
        for milestone in report.milestones:
            yield f"- {milestone.at.date().isoformat()}  {milestone.stage.value}"
    yield from _section("Next steps", report.next_steps)
    if report.victim_statement is not None:
        yield from _section("Statement (shared with the victim's consent)", report.victim_statement)


def _section(heading: str, text: str) -> Iterator[str]:
    if text:
        yield ""
        yield heading
        yield from _wrapped(text)


def _wrapped(text: str) -> Iterator[str]:
    for paragraph in text.splitlines() or [""]:
        yield from textwrap.wrap(paragraph, WRAP_COLUMNS) or [""]


def _escape(text: str) -> str:
    latin1 = text.encode("latin-1", errors="replace").decode("latin-1")
    return latin1.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _page_stream(lines: list[str]) -> bytes:
    ops = [f"BT /F1 {FONT_SIZE} Tf {LEADING} TL {MARGIN} {PAGE_HEIGHT - MARGIN} Td"]
    ops += [f"({_escape(line)}) '" for line in lines]
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def _pdf(streams: list[bytes], title: str) -> bytes:
    """Objects: 1 catalog, 2 page tree, 3 font, 4 info, then a page and its stream each."""
    first_page = 5
    page_ids = [first_page + 2 * i for i in range(len(streams))]
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] "
        f"/Count {len(page_ids)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< /Title ({_escape(title)}) /Producer (Restorative Diversion) >>".encode("latin-1"),
    ]
    for page_id, stream in zip(page_ids, streams, strict=True):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_id + 1} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 4 0 R >>\n"
        f"startxref\n{xref_at}\n%%EOF\n"
    ).encode()
    return bytes(out)
