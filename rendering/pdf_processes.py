"""Court report PDFs rendered in processes of their own, for the worker and the API.

WeasyPrint is Python: a report's layout takes a tenth of a second of CPU or more, and in
a thread it holds the interpreter lock all that time. In the worker that stalls every
workflow task and activity of every other case behind the render (a sticky task past its
timeout, a heartbeat late); in the API, every request. A process of its own renders while
they run, on another core when there is one, and keeps WeasyPrint's memory out of theirs.

The processes start with `spawn`, never `fork`: the worker's Temporal client runs threads
of its own, which a forked child would inherit in whatever state they were. They start at
the first render (or at `warm_up`), load WeasyPrint once each, and render any number of
reports; a process that dies (killed, out of memory) fails the renders it held, which
their activities retry, and the next render starts a new one.

The PDF kept for a report's content (rendering/kept_pdfs.py) is kept in the asking process,
so a retried filing, or the API's PDF of a filed report, does not render again. The bytes
are the same as a render in this process would give: the same fonts, the same library.

`processes=0` renders in a thread of this process instead, as before.
"""

import asyncio
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from domain.reports import CourtReport
from rendering import kept_pdfs

DEFAULT_PROCESSES = 1


class RenderingProcessLost(RuntimeError):
    """The rendering process ended during a render (killed, out of memory): the filing's
    activity fails and is retried, and the next render starts a new process."""


class PdfProcesses:
    def __init__(self, processes: int = DEFAULT_PROCESSES) -> None:
        if processes < 0:
            raise ValueError(f"PDF rendering processes: 0 or more, not {processes}")
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None

    async def pdf(self, report: CourtReport) -> bytes:
        """The report's PDF: the one kept for its content, else rendered apart and kept.
        A report that cannot be rendered raises `ReportRenderError`, as in this process."""
        key = kept_pdfs.content_key(report)
        pdf = kept_pdfs.KEPT.kept(key)
        if pdf is None:
            pdf = await self._render(report)
            kept_pdfs.KEPT.keep(key, pdf)
        return pdf

    def warm_up(self) -> None:
        """Start the processes and load WeasyPrint in them now, so that the first filing
        does not wait for it. Does nothing when rendering in this process."""
        if self.processes:
            for _ in range(self.processes):
                self._executor().submit(_load_renderer)

    def close(self) -> None:
        """Stop the processes without waiting for renders in progress (their activities are
        retried, as after any stop)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    async def _render(self, report: CourtReport) -> bytes:
        if not self.processes:
            return await asyncio.to_thread(_render_here, report)
        pool = self._executor()
        try:
            future: Future[bytes] = pool.submit(_render_here, report)
        except BrokenProcessPool:
            future = self._renew(pool).submit(_render_here, report)
        try:
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            self._renew(pool)
            raise RenderingProcessLost(
                f"the process rendering report {report.idempotency_key} ended; "
                "the filing is retried in a new one"
            ) from None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_end_with_parent,
                initargs=(os.getpid(),),
            )
        return self._pool

    def _renew(self, broken: ProcessPoolExecutor) -> ProcessPoolExecutor:
        """A new pool in place of a broken one (once, however many renders saw it break)."""
        if self._pool is broken:
            broken.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        return self._executor()


def _render_here(report: CourtReport) -> bytes:
    from rendering.pdf import render_pdf_afresh  # WeasyPrint loads where reports render

    return render_pdf_afresh(report)


PARENT_CHECK_SECONDS = 1.0


def _end_with_parent(parent: int) -> None:
    """In a rendering process: end within a second of the process that started it. A
    worker killed with SIGKILL cannot stop its pool, and the pool's queue never tells its
    processes (each holds both ends of it), so without this every `kill -9` of a worker
    would leave a renderer behind."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def _load_renderer() -> None:
    from rendering import pdf

    pdf.check_subsetter()


_SHARED: PdfProcesses | None = None


def use_processes(processes: int) -> PdfProcesses:
    """This process's renderer, with `processes` rendering processes (settings'
    `pdf_processes`): set by the worker and the API at start."""
    global _SHARED
    if _SHARED is not None and _SHARED.processes != processes:
        _SHARED.close()
        _SHARED = None
    if _SHARED is None:
        _SHARED = PdfProcesses(processes)
    return _SHARED


def shared() -> PdfProcesses:
    """This process's renderer: as set by `use_processes`, else `DEFAULT_PROCESSES`."""
    return _SHARED if _SHARED is not None else use_processes(DEFAULT_PROCESSES)
