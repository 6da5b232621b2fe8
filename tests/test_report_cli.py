"""`diversion report render`: a report rendered offline exactly as the service files it."""

import json
from pathlib import Path

import pytest

from diversion.cli import main
from domain.enums import ReportKind
from rendering.pdf import render_pdf_afresh
from tests.rendering.pdfa import page_texts, reader
from tests.rendering.samples import sample_report


def written(tmp_path: Path, content: str, name: str = "report.json") -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_a_report_renders_to_the_pdf_the_service_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = sample_report(ReportKind.AGREEMENT_REACHED)
    path = written(tmp_path, report.model_dump_json(indent=2))
    assert main(["report", "render", str(path)]) == 0
    pdf = (tmp_path / "report.pdf").read_bytes()
    assert pdf == render_pdf_afresh(report)
    out = capsys.readouterr().out
    assert out.startswith(f"{tmp_path / 'report.pdf'}: PDF/A-2u, letter, {len(pdf)} bytes")


def test_html_and_another_paper(tmp_path: Path) -> None:
    report = sample_report(ReportKind.FINAL)
    path = written(tmp_path, report.model_dump_json())
    assert (
        main(["report", "render", str(path), "--format", "html", "-o", str(tmp_path / "f.html")])
        == 0
    )
    assert "Tāmati Ngāwhika" in (tmp_path / "f.html").read_text(encoding="utf-8")
    assert main(["report", "render", str(path), "--page-size", "a4"]) == 0
    box = reader((tmp_path / "report.pdf").read_bytes()).pages[0].mediabox
    assert round(float(box.width)) == 595


def test_a_json_filing_renders_its_report(tmp_path: Path) -> None:
    report = sample_report(ReportKind.PROGRESS)
    envelope = {"idempotency_key": report.idempotency_key, "report": report.model_dump(mode="json")}
    path = written(tmp_path, json.dumps(envelope), "filing.json")
    assert main(["report", "render", str(path)]) == 0
    assert "Progress report" in page_texts((tmp_path / "filing.pdf").read_bytes())[0]


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("{not json", "not valid JSON: Expecting property name"),
        ('{"kind": "progress"}', "not a court report: case_id: Field required"),
    ],
)
def test_a_file_that_is_not_a_report_is_refused_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, said: str
) -> None:
    path = written(tmp_path, content)
    assert main(["report", "render", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"diversion: error: {path}: ") and said in err
    assert not (tmp_path / "report.pdf").exists()


def test_a_name_the_fonts_cannot_print_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = sample_report(ReportKind.PROGRESS).model_copy(update={"participant_name": "王小明"})
    path = written(tmp_path, report.model_dump_json())
    assert main(["report", "render", str(path)]) == 1
    assert "its fonts cannot print: '王'" in capsys.readouterr().err


def test_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "render", str(tmp_path / "absent.json")]) == 1
    assert "No such file" in capsys.readouterr().err
