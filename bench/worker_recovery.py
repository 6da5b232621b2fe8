"""Bench: how long staff wait after a worker is killed, with the SDK's sticky queue timeout
and with ours (`DIVERSION_STICKY_QUEUE_TIMEOUT_SECONDS`).

One Temporal dev server (a temporary data dir on a free port), and per timeout: worker A
in its own process (`diversion worker`, as deployed) opens the screening task of a few
cases, so it holds them in its cache; one task is completed while A lives; then A gets
SIGKILL, worker B starts, and each other screening task is completed through the
`complete_task` update, one at a time, timed. The server first offers each case's next
workflow task to A's sticky queue; only after the sticky timeout may B take it.

A measurement, printed; nothing here fails on a figure.

    .venv/bin/python bench/worker_recovery.py [--cases 3] [--timeouts 10,2]
"""

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.jurisdictions is not an installed package

import httpx
from http_api_parts.harness import Bench, BenchFailure, Handle
from http_api_parts.tasks import SCREENING

from diversion.dev_server import dev_server, free_port, scratch_dir, stop_process
from diversion.settings import Settings
from diversion.temporal_client import connect
from domain.enums import TaskKind
from domain.tasks import TaskCompletion
from tests.jurisdictions import HOME, two_jurisdictions_file
from workflows.case import DiversionCase

SDK_DEFAULT = 10.0


@asynccontextmanager
async def worker_process(settings: Settings, sticky: float, name: str) -> AsyncIterator[int]:
    """`diversion worker` in its own process, once it says it polls; yields its pid."""
    env = os.environ | {
        "DIVERSION_DATA_DIR": str(settings.data_dir),
        "DIVERSION_TEMPORAL_ADDRESS": settings.temporal_address,
        "DIVERSION_JURISDICTIONS_FILE": str(settings.jurisdictions_file),
        "DIVERSION_STICKY_QUEUE_TIMEOUT_SECONDS": str(sticky),
    }
    log = (settings.data_dir / f"worker-{name}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "diversion.cli", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.to_thread(process.stdout.readline)
        if not line.startswith(b"Worker polling"):
            raise BenchFailure(f"worker {name} did not start: {line!r}; see {log.name}")
        yield process.pid
    finally:
        await stop_process(process, grace=10.0)  # a no-op once it was killed
        log.close()


async def screening_open(bench: Bench, handle: Handle) -> None:
    task_id = f"{handle.id}.t1"
    await bench.until(
        handle,
        "its screening task",
        lambda v: any(t.id == task_id and t.kind is TaskKind.SCREEN_CASE for t in v.open_tasks()),
    )


async def complete(handle: Handle) -> float:
    """Seconds the screening task's completion took, as staff would wait for it."""
    started = time.perf_counter()
    await handle.execute_update(
        DiversionCase.complete_task, TaskCompletion(task_id=f"{handle.id}.t1", payload=SCREENING)
    )
    return time.perf_counter() - started


async def one_kill(bench: Bench, sticky: float, cases: int) -> list[float]:
    """Completion times after worker A is killed; the first is on a live worker."""
    settings = bench.settings
    async with worker_process(settings, sticky, f"a-{sticky:g}") as pid:
        handles = [await bench.start(bench.referral(HOME)) for _ in range(cases + 1)]
        for handle in handles:
            await screening_open(bench, handle)
        live = await complete(handles[0])
        os.kill(pid, signal.SIGKILL)
    async with worker_process(settings, sticky, f"b-{sticky:g}"):
        after = [await complete(handle) for handle in handles[1:]]
    return [live, *after]


async def run(cases: int, timeouts: list[float]) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-recovery-", dir=scratch_dir()) as tmp:
        data = Path(tmp)
        settings = Settings(
            data_dir=data,
            temporal_address=f"127.0.0.1:{free_port()}",
            jurisdictions_file=two_jurisdictions_file(data),
        )
        async with dev_server(settings, headless=True):
            client = await connect(settings)
            async with httpx.AsyncClient() as unused:  # the harness's HTTP side, not used here
                bench = Bench(settings, client, unused)
                firsts: dict[float, float] = {}
                for sticky in timeouts:
                    times = await one_kill(bench, sticky, cases)
                    firsts[sticky] = times[1]
                    after = " ".join(f"{t:5.2f}" for t in times[1:])
                    print(
                        f"sticky timeout {sticky:4g} s: completion on the live worker "
                        f"{times[0]:5.2f} s; after the kill, one case at a time: {after} s",
                        flush=True,
                    )
    ours = Settings().sticky_queue_timeout_seconds
    if ours in firsts:
        sdk = f"; {firsts[SDK_DEFAULT]:.1f} s with the SDK's 10 s" if SDK_DEFAULT in firsts else ""
        print(
            f"bench worker_recovery: first_completion_s {firsts[ours]:.1f} "
            f"(sticky_queue_timeout {ours:g} s{sdk})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=3, help="cases held by the killed worker")
    parser.add_argument(
        "--timeouts",
        default=f"{SDK_DEFAULT:g},{Settings().sticky_queue_timeout_seconds:g}",
        help="sticky queue timeouts to try, in seconds (default: the SDK's, then ours)",
    )
    args = parser.parse_args()
    timeouts = [float(t) for t in args.timeouts.split(",")]
    print(f"worker recovery bench: {args.cases} cases held by a killed worker, timeouts {timeouts}")
    try:
        asyncio.run(run(args.cases, timeouts))
    except BenchFailure as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
