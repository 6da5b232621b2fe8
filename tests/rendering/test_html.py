"""The judge's HTML page of each kind of report, against a golden file: a change to what a
judge reads shows in review as a change to these files.

After an intended change: UPDATE_GOLDEN=1 .venv/bin/pytest tests/rendering/test_html.py
"""

import os
from pathlib import Path

import pytest

from domain.enums import ReportKind
from rendering.html import render_html
from tests.rendering.samples import sample_report

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("kind", list(ReportKind), ids=lambda k: k.value)
def test_the_page_of_each_kind_is_as_approved(kind: ReportKind) -> None:
    html = render_html(sample_report(kind))
    golden = GOLDEN / f"{kind.value}.html"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8"), f"{golden.name} differs"


def test_each_kind_has_its_own_page() -> None:
    pages = {render_html(sample_report(kind)) for kind in ReportKind}
    assert len(pages) == len(ReportKind)


def test_the_page_is_one_document_with_its_language_and_no_outside_resource() -> None:
    html = render_html(sample_report(ReportKind.AGREEMENT_REACHED))
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<link" not in html and "src=" not in html and "url(" not in html
