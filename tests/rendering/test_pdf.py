"""Court reports as PDF/A-2u: every name spelled exactly, the shipped fonts embedded, the
case number and page n of N on every page, the jurisdiction's paper, the same bytes for
one report on any machine; nothing of the victim's contact details or unshared words."""

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from weasyprint import HTML

from domain.enums import ReportKind
from rendering.errors import ReportRenderError
from rendering.html import render_html
from rendering.pdf import FONTS, ShippedFilesOnly, render_pdf, render_pdf_afresh
from tests.rendering.pdfa import page_texts, pdfa_problems, reader
from tests.rendering.samples import (
    SHARED,
    UNSHARED,
    VICTIM_CONTACT,
    long_report,
    sample_report,
)

ROOT = Path(__file__).parent.parent.parent
KINDS = list(ReportKind)


@pytest.fixture(scope="module")
def pdfs() -> dict[ReportKind, bytes]:
    return {kind: render_pdf(sample_report(kind)) for kind in KINDS}


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    return render_pdf(long_report())


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_pdfa_2u(pdfs: dict[ReportKind, bytes], kind: ReportKind) -> None:
    assert pdfa_problems(pdfs[kind]) == []


def test_a_long_report_is_pdfa_2u_too(long_pdf: bytes) -> None:
    assert pdfa_problems(long_pdf) == []


def test_the_check_finds_what_plain_weasyprint_leaves_out() -> None:
    plain = HTML(string=render_html(sample_report(ReportKind.PROGRESS))).write_pdf()
    problems = pdfa_problems(plain)
    assert "no XMP metadata stream" in problems
    assert "no /OutputIntents" in problems


@pytest.mark.parametrize("kind", KINDS)
def test_names_are_spelled_exactly(pdfs: dict[ReportKind, bytes], kind: ReportKind) -> None:
    text = "\n".join(page_texts(pdfs[kind]))
    assert "Tāmati Ngāwhika" in text
    assert "Hon. Nguyễn Thị Mai" in text
    assert "CR-2026-00417" in text


@pytest.mark.parametrize("kind", KINDS)
def test_nothing_of_the_victim_reaches_the_pdf(
    pdfs: dict[ReportKind, bytes], kind: ReportKind
) -> None:
    # Without spaces: a line may wrap anywhere in what is looked for.
    text = "".join("".join(page_texts(pdfs[kind])).split())
    for secret in [v for v in VICTIM_CONTACT.model_dump().values() if v] + [UNSHARED]:
        assert "".join(secret.split()) not in text
    shared_appears = "".join(SHARED.split()) in text
    assert shared_appears is (kind is not ReportKind.NOT_PROCEEDED)


def test_the_agreed_terms_with_due_dates_and_outcome_in_words(
    pdfs: dict[ReportKind, bytes],
) -> None:
    agreement = " ".join(" ".join(page_texts(pdfs[ReportKind.AGREEMENT_REACHED])).split())
    assert "Behaviour-change programme" in agreement
    assert "24 sessions, weekly from Sat 11 Apr 2026" in agreement
    assert "Restitution" in agreement and "Due Sun 31 May 2026" in agreement
    final = " ".join(" ".join(page_texts(pdfs[ReportKind.FINAL])).split())
    assert "Substantial compliance" in final
    assert "That the court record the diversion as completed." in final
    not_proceeded = " ".join(" ".join(page_texts(pdfs[ReportKind.NOT_PROCEEDED])).split())
    assert "The restorative process did not proceed." in not_proceeded
    assert "process_did_not_proceed" not in not_proceeded


def test_every_page_carries_the_case_number_and_page_n_of_n(long_pdf: bytes) -> None:
    pages = page_texts(long_pdf)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "Case CR-2026-00417" in text, f"page {number}"
        assert f"Page {number} of {len(pages)}" in text, f"page {number}"


def test_paper_is_the_jurisdiction_s() -> None:
    letter = reader(render_pdf(long_report(items=2))).pages[0].mediabox
    a4 = reader(render_pdf(long_report(items=2, page_size="a4"))).pages[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)


def test_one_report_renders_to_the_same_bytes() -> None:
    # Rendered twice for real: render_pdf would give the first bytes again.
    report = sample_report(ReportKind.PROGRESS)
    assert render_pdf_afresh(report) == render_pdf_afresh(report)
    later = report.model_copy(update={"sequence": report.sequence + 1})
    assert render_pdf(later) != render_pdf(report)


def test_another_process_renders_the_same_bytes(pdfs: dict[ReportKind, bytes]) -> None:
    # A fresh process: nothing cached, fonts loaded again, as on another worker.
    script = (
        "import hashlib, sys\n"
        "from domain.enums import ReportKind\n"
        "from rendering.pdf import render_pdf\n"
        "from tests.rendering.samples import sample_report\n"
        "sys.stdout.write(hashlib.sha256(render_pdf(sample_report(ReportKind.FINAL))).hexdigest())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout == hashlib.sha256(pdfs[ReportKind.FINAL]).hexdigest()


def test_the_document_metadata_is_the_report_s_own(pdfs: dict[ReportKind, bytes]) -> None:
    info = reader(pdfs[ReportKind.PROGRESS]).metadata
    assert info is not None
    assert str(info["/Title"]) == "Progress report 2: CR-2026-00417"
    assert str(info["/CreationDate"]) == str(info["/ModDate"]) == "D:20260516150000Z"
    assert str(info["/Creator"]) == "Restorative Diversion"


def test_a_name_the_fonts_cannot_print_is_refused_with_the_character_named() -> None:
    report = sample_report(ReportKind.PROGRESS).model_copy(update={"participant_name": "李小龍"})
    with pytest.raises(ReportRenderError, match=r"'李' \(U\+674E CJK UNIFIED IDEOGRAPH-674E\)"):
        render_pdf(report)


def test_markup_in_a_name_is_text_not_markup() -> None:
    name = '<img src="http://example.invalid/x.png"> Ana <b>Silva</b>'
    report = sample_report(ReportKind.PROGRESS).model_copy(update={"participant_name": name})
    html = render_html(report)
    assert "<img" not in html and "&lt;img" in html
    unspaced = "".join("".join(page_texts(render_pdf(report))).split())
    assert "".join(name.split()) in unspaced  # printed as typed (lines may wrap anywhere)


def test_only_the_shipped_fonts_can_be_fetched() -> None:
    fetcher = ShippedFilesOnly()
    assert fetcher.fetch((FONTS / "DejaVuSans.ttf").as_uri()).read()[:4] == b"\x00\x01\x00\x00"
    for url in (
        "http://example.invalid/font.ttf",
        (FONTS / "LICENSE").as_uri().replace("LICENSE", "../pdf.py"),
        "file:///etc/passwd",
        (FONTS / "missing.ttf").as_uri(),
    ):
        with pytest.raises(BaseException, match="shipped font"):
            fetcher.fetch(url)


def test_no_script_in_the_page() -> None:
    for kind in KINDS:
        html = render_html(sample_report(kind)).lower()
        assert "<script" not in html and "javascript:" not in html


def test_a_machine_without_harfbuzz_subset_is_told_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from weasyprint.text import ffi

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    with pytest.raises(ReportRenderError, match="apt-get install libharfbuzz-subset0"):
        render_pdf_afresh(sample_report(ReportKind.PROGRESS))
