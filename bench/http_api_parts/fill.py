"""Filling the inbox with open cases: real DiversionCases started directly with the client,
many starts in flight, and extra worker processes while they run to their screening task.

A case is open for the inbox once the worker has run its intake (the police check) and
opened its `screen_case` task; that work, not the start, is what a fill waits for, batch by
batch. A fill
into a kept data directory (`--data-dir`) only tops up: the cases already there count.
"""

import asyncio
import contextlib
import math
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from diversion.dev_server import stop_process
from diversion.settings import Settings
from workflows import search_attributes as sa

from .harness import DRAIN_LIMIT, Bench, BenchFailure, open_coordinator_query
from .timing import bounded

# Seconds between the counts that wait for thousands of cases: each such count is slower
# than harness.POLL_EVERY's, and takes the dev server from the workers.
POLL_EVERY_LARGE = 3.0
# Cases started before the next batch waits for the workers to open them all. Starting far
# ahead of the workers only queues their workflow tasks in the server's store (slower than
# handing them over at once) and makes each start take seconds.
BATCH = 1000
IN_FLIGHT = 200  # case starts in flight at once, by default


async def fill(
    bench: Bench,
    jurisdiction: str,
    count: int,
    *,
    in_flight: int,
    workers: int,
    minutes: float | None = None,
) -> int:
    """Until `count` cases in `jurisdiction` have an open coordinator task, or no new batch
    after `minutes`; prints the rate, returns how many cases are open."""
    existing = (await bench.client.count_workflows(open_coordinator_query(jurisdiction))).count
    bench.open_in[jurisdiction] = existing
    missing = max(0, count - existing)
    print(
        f"\n[3] inbox: {existing} open cases in {jurisdiction!r} already; starting {missing}, "
        f"{in_flight} starts in flight, {workers} extra worker processes",
        flush=True,
    )
    if not missing:
        return existing
    started = time.perf_counter()
    stop_at = started + minutes * 60 if minutes is not None else math.inf
    async with extra_workers(bench.settings, workers):
        done = 0
        while done < missing and time.perf_counter() < stop_at:
            batch = min(BATCH, missing - done)
            batch_started = time.perf_counter()
            since = datetime.now(UTC)
            await bounded(batch, in_flight, lambda _: one_case(bench, jurisdiction))
            await until_screening(bench, jurisdiction, since, batch)
            done += batch
            now = time.perf_counter()
            print(
                f"  {existing + done} open: this batch {batch / (now - batch_started):5.1f} "
                f"cases/s, all {done / (now - started):5.1f} cases/s; load {load_average()}",
                flush=True,
            )
    # Once, every case with its coordinator task open. More than started: an earlier fill
    # into this directory was stopped mid-batch, and its last cases opened since.
    opened = (await bench.client.count_workflows(open_coordinator_query(jurisdiction))).count
    if opened < existing + done:
        raise BenchFailure(f"{opened} {jurisdiction} cases have tasks, not {existing + done}")
    bench.open_in[jurisdiction] = opened
    total = time.perf_counter() - started
    print(
        f"  fill rate {done / total:.1f} cases/s: {done} cases in {total:.0f} s, "
        f"load average {load_average()}" + ("" if done == missing else "; out of time"),
        flush=True,
    )
    return opened


async def one_case(bench: Bench, jurisdiction: str) -> None:
    await bench.start(bench.referral(jurisdiction))


async def until_screening(bench: Bench, jurisdiction: str, since: datetime, count: int) -> None:
    """Wait until the `count` cases started since `since` are in screening (their
    `screen_case` task opens in the same workflow task). Counted by start time, which SQL
    visibility finds through its status index: counting by `OpenTaskRoles` reads the
    full-text index of every open case, a second of the server's time at 20,000 cases,
    taken from the workers it serves."""
    query = (
        f"ExecutionStatus = 'Running' AND StartTime >= '{since.isoformat()}'"
        f" AND {sa.STAGE.name} = 'screening' AND {sa.JURISDICTION.name} = '{jurisdiction}'"
    )
    deadline = time.perf_counter() + DRAIN_LIMIT
    while (found := (await bench.client.count_workflows(query)).count) < count:
        if time.perf_counter() > deadline:
            raise BenchFailure(f"only {found} of {count} cases started since {since} screen")
        await asyncio.sleep(POLL_EVERY_LARGE)


@contextlib.asynccontextmanager
async def extra_workers(settings: Settings, count: int) -> AsyncIterator[None]:
    """`count` more `diversion worker` processes, stopped in order on exit. The bench's own
    worker keeps running beside them, so the cases they cached move to it afterwards."""
    env = os.environ | {
        "DIVERSION_DATA_DIR": str(settings.data_dir),
        "DIVERSION_TEMPORAL_ADDRESS": settings.temporal_address,
        "DIVERSION_JURISDICTIONS_FILE": str(settings.jurisdictions_file),
    }
    processes: list[subprocess.Popen[bytes]] = []
    with contextlib.ExitStack() as logs:
        try:
            for n in range(count):
                log = logs.enter_context((settings.data_dir / f"fill-worker-{n}.log").open("wb"))
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "diversion.cli", "worker"],
                        env=env,
                        stdout=log,
                        stderr=log,
                    )
                )
            yield
        finally:
            for process in processes:
                await stop_process(process, grace=45.0)


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} {five:.1f} {fifteen:.1f}"
