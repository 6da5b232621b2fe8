"""Report PDFs rendered in a process of their own (rendering/pdf_processes.py): the same
bytes as a render here, a refusal told as here, kept per content in the asking process,
and a rendering process that dies fails only the renders it held."""

import asyncio
import os
import select
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from domain.enums import ReportKind
from domain.report_page import ReportPage
from domain.reports import CourtReport
from rendering import kept_pdfs, pdf
from rendering.errors import ReportRenderError
from rendering.pdf_processes import PARENT_CHECK_SECONDS, PdfProcesses, RenderingProcessLost
from tests.rendering.samples import sample_report

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def nothing_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kept_pdfs, "KEPT", kept_pdfs.KeptPdfs())


@pytest.fixture
def no_render_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """A render in this process fails: what comes back was rendered elsewhere."""

    def refused(page: ReportPage) -> bytes:
        raise AssertionError("rendered in the test's own process")

    monkeypatch.setattr(pdf, "render_page_pdf", refused)


@pytest.fixture
async def renderer() -> AsyncIterator[PdfProcesses]:
    processes = PdfProcesses(1)
    yield processes
    processes.close()


async def test_a_pdf_rendered_apart_is_the_one_rendered_here(renderer: PdfProcesses) -> None:
    report = sample_report(ReportKind.AGREEMENT_REACHED)
    apart = await renderer.pdf(report)
    assert apart == pdf.render_pdf_afresh(report)


@pytest.mark.usefixtures("no_render_here")
async def test_the_render_happens_in_another_process(renderer: PdfProcesses) -> None:
    assert (await renderer.pdf(sample_report(ReportKind.PROGRESS))).startswith(b"%PDF-")


async def test_a_refusal_comes_back_as_a_refusal(renderer: PdfProcesses) -> None:
    unprintable = sample_report(ReportKind.PROGRESS).model_copy(update={"participant_name": "李"})
    with pytest.raises(ReportRenderError, match="李"):
        await renderer.pdf(unprintable)
    assert (await renderer.pdf(sample_report(ReportKind.PROGRESS))).startswith(b"%PDF-")


async def test_the_same_content_is_not_rendered_again(renderer: PdfProcesses) -> None:
    report = sample_report(ReportKind.FINAL)
    first = await renderer.pdf(report)
    renderer.close()
    renderer.processes = 0  # a render now would be here, where it is refused
    again = CourtReport.model_validate_json(report.model_dump_json())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "render_page_pdf", lambda page: b"rendered again")
        assert await renderer.pdf(again) == first


async def test_no_processes_renders_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "render_page_pdf", lambda page: b"%PDF- here")
    assert await PdfProcesses(0).pdf(sample_report(ReportKind.PROGRESS)) == b"%PDF- here"


async def test_a_process_that_dies_fails_only_what_it_held(renderer: PdfProcesses) -> None:
    rendering = asyncio.create_task(renderer.pdf(sample_report(ReportKind.NON_COMPLIANCE)))
    await asyncio.sleep(0)  # submitted: the pool's process is started
    for pid in _processes(renderer):
        os.kill(pid, signal.SIGKILL)
    with pytest.raises(RenderingProcessLost, match="retried"):
        await rendering
    report = sample_report(ReportKind.SAFETY_EVENT)
    assert await renderer.pdf(report) == pdf.render_pdf_afresh(report)


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        PdfProcesses(-1)


def _processes(renderer: PdfProcesses) -> list[int]:
    pool = renderer._pool
    assert pool is not None
    return list(pool._processes)


STARTS_A_RENDERER = """
import asyncio
from rendering.pdf_processes import PdfProcesses
from tests.rendering.samples import sample_report
from domain.enums import ReportKind

async def main():
    renderer = PdfProcesses(1)
    await renderer.pdf(sample_report(ReportKind.PROGRESS))
    print(*renderer._pool._processes, flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""


def test_a_worker_killed_outright_leaves_no_renderer_behind() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", STARTS_A_RENDERER],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert parent.stdout is not None
        (child,) = (int(pid) for pid in parent.stdout.readline().split())
        # Readable once the renderer ends (not our child: no waitpid for it).
        ended = os.pidfd_open(child)
    finally:
        parent.kill()
        parent.wait()
    try:
        readable, _, _ = select.select([ended], [], [], 10 * PARENT_CHECK_SECONDS)
    finally:
        os.close(ended)
    assert readable, "the renderer outlived its killed parent"
