"""Bench: what the HTTP API costs on top of Temporal, and the inbox with 5,000 open cases.

One Temporal dev server (diversion.dev_server, in a temporary data dir on a free port; on
tmpfs when there is one), one worker in its own process as deployed (`diversion worker`;
`--worker inline` builds it in this process instead, where it competes with the API for the
interpreter lock), and the real app (api.app.create_app, its lifespan run here) served by
uvicorn over a socket on a free port, in this process and event loop; httpx drives the app
as a client would.

1. Ingest: `POST /v1/referrals` (a clerk's token) against `diversion.cases.start_case`, the
   call the route itself ends in, so the ratio of throughputs is the price of HTTP, JSON
   validation, token checks and the route's own extra reads (the client's share included:
   it runs in this process too). `--referrals` each way, split into `--rounds` batches,
   16 requests in flight; rounds alternate which path goes first (direct, http / http,
   direct / ...), and before each batch the worker finishes the cases the last one started
   (visibility counts their screening tasks open), so no batch pays for another's backlog.
   The worker still works during a batch, more of it during a slower one; hence also the
   rate up to every task open, which charges both paths for the whole worker's work.
   Ratio of the medians over rounds.
2. Task completion: screening tasks completed one at a time, alternately through
   `POST /v1/tasks/{id}/complete` (a coordinator's token) and through the `complete_task`
   update that route sends, the baseline. Latency, not throughput; after each completion
   the case settles (its victim consent task opens) before the next one is timed.
3. Inbox: `--cases` cases started directly into one jurisdiction (the ingest and task
   cases go to another, so this inbox holds exactly these); once visibility counts them all
   with an open coordinator task, `GET /v1/tasks?limit=25` as a coordinator, timed (after
   one untimed request), and a deeper page (the cursor followed twice). No baseline: the
   target is absolute. The pages are then read in-process with count calls, list calls and
   memo decoding timed apart, to show where an inbox page spends its time.

    .venv/bin/python bench/http_api.py [--referrals 300] [--rounds 3] [--tasks 60] [--cases 5000]
        [--worker process|inline]

The file is not `bench/api.py`: bench/ is no package, so mypy would take that file for the
`api` package (a duplicate module), and run as a script it would shadow that package.
"""

import argparse
import asyncio
import contextlib
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.jurisdictions is not an installed package

import httpx
import uvicorn
from temporalio.client import (
    Client,
    CountWorkflowsInput,
    Interceptor,
    ListWorkflowsInput,
    OutboundInterceptor,
    WorkflowExecution,
    WorkflowExecutionAsyncIterator,
    WorkflowExecutionCount,
    WorkflowHandle,
)

from api.app import create_app
from api.dev_tokens import dev_token
from api.gateway import CaseGateway
from api.inbox import Cursor, Inbox
from api.schemas import InboxItem
from diversion.cases import start_case
from diversion.dev_server import dev_server, free_port, scratch_dir
from diversion.settings import Settings
from diversion.temporal_client import connect
from diversion.worker import build_worker
from domain.case import CaseState
from domain.enums import Outcome, Plea, Role, TaskKind
from domain.policy import Jurisdiction
from domain.referral import Referral
from domain.tasks import RiskAssessment, ScreenCase, TaskCompletion
from tests.jurisdictions import HOME, OTHER, two_jurisdictions_file
from workflows import search_attributes as sa
from workflows.case import DiversionCase

REFERRAL_FIXTURE = ROOT / "tests" / "fixtures" / "referrals" / "demo-referral.json"
INBOX_HOME = HOME  # the inbox cases, and the inbox caller's only jurisdiction; OTHER's
# cases (ingest and task completion) are kept out of the inbox being measured
TARGET_INGEST = 0.6
TARGET_TASK = 0.5
TARGET_INBOX_MS = 300.0
INGEST_CONCURRENCY = 16
WARMUP = 16
START_CONCURRENCY = 50
INBOX_LIMIT = 25
INBOX_REQUESTS = 50
INBOX_BUDGET = 60.0  # seconds: fewer requests (at least INBOX_MIN_REQUESTS) if slower
INBOX_MIN_REQUESTS = 10
MAX_PER_LIST = 100  # api.inbox.Inbox's default: a window holding more cases is halved
PROFILED_PAGES = 3
# Seconds between visibility counts while waiting for the index: a count over thousands of
# cases costs the dev server tens of ms, taken from the worker on a small machine.
POLL_EVERY = 0.1
POLL_EVERY_LARGE = 1.0
DRAIN_LIMIT = 600.0  # seconds the worker may take to open the tasks of started cases
SCREENING = ScreenCase(
    plea=Plea.GUILTY,
    responsibility_accepted=True,
    risk=RiskAssessment(instrument="ODARA", score=2),
)
SCREENING_BODY = json.dumps(
    {
        "kind": "screen_case",
        "plea": "guilty",
        "responsibility_accepted": True,
        "risk": {"instrument": "ODARA", "score": 2},
    }
).encode()

Handle = WorkflowHandle[DiversionCase, Outcome]


class BenchFailure(Exception):
    """The API answered wrongly: the bench reports it and exits non-zero."""


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


async def bounded(count: int, limit: int, one: Callable[[int], Awaitable[None]]) -> float:
    """Wall seconds to run `one(0) .. one(count - 1)`, at most `limit` at a time."""
    gate = asyncio.Semaphore(limit)

    async def run(n: int) -> None:
        async with gate:
            await one(n)

    started = time.perf_counter()
    await asyncio.gather(*(run(n) for n in range(count)))
    return time.perf_counter() - started


def open_coordinator_query(jurisdiction: str) -> str:
    return (
        f"{sa.OPEN_TASK_ROLES.name} IN ('coordinator') AND ExecutionStatus = 'Running'"
        f" AND {sa.JURISDICTION.name} = '{jurisdiction}'"
    )


@dataclass
class Bench:
    settings: Settings
    client: Client
    http: httpx.AsyncClient
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    serial: int = 0
    open_in: dict[str, int] = field(default_factory=dict)  # cases expected with a coordinator task
    template: dict[str, Any] = field(
        default_factory=lambda: json.loads(REFERRAL_FIXTURE.read_text(encoding="utf-8"))
    )

    def __post_init__(self) -> None:
        self.jurisdictions: dict[str, Jurisdiction] = self.settings.jurisdictions()

    # -- building requests ----------------------------------------------------------------

    def referral_data(self, jurisdiction: str) -> dict[str, Any]:
        """The demo referral with a case number never used before."""
        self.serial += 1
        data: dict[str, Any] = json.loads(json.dumps(self.template))
        data["jurisdiction"] = jurisdiction
        data["court"]["case_number"] = f"CR-API-{self.tag}-{self.serial:06d}"
        return data

    def referral(self, jurisdiction: str) -> Referral:
        return Referral.model_validate(self.referral_data(jurisdiction))

    def auth(self, role: Role, jurisdiction: str) -> dict[str, str]:
        token = dev_token(self.settings, role, [jurisdiction], subject=f"bench-{role.value}")
        return {"Authorization": f"Bearer {token}"}

    # -- starting cases, and waiting for the worker ---------------------------------------

    async def start(self, referral: Referral) -> Handle:
        handle, started = await start_case(
            self.client,
            referral,
            self.jurisdictions[referral.jurisdiction],
            self.settings.task_queue,
        )
        if not started:
            raise BenchFailure(f"{handle.id} already existed")
        self.open_in[referral.jurisdiction] = self.open_in.get(referral.jurisdiction, 0) + 1
        return handle

    async def drain(
        self, jurisdiction: str, *, report_every: float | None = None, poll: float = POLL_EVERY
    ) -> float:
        """Wait until visibility counts every case started in `jurisdiction` with its
        coordinator task open (the worker has caught up); the seconds it took."""
        started = time.perf_counter()
        expected = self.open_in.get(jurisdiction, 0)
        query = open_coordinator_query(jurisdiction)
        next_report = started + (report_every or math.inf)
        while (count := (await self.client.count_workflows(query)).count) < expected:
            now = time.perf_counter()
            if now - started > DRAIN_LIMIT:
                raise BenchFailure(f"only {count} of {expected} {jurisdiction} cases have tasks")
            if now >= next_report:
                print(f"  ... {count} of {expected} cases counted with an open task", flush=True)
                next_report = now + (report_every or math.inf)
            await asyncio.sleep(poll)
        if count > expected:
            raise BenchFailure(f"{count} {jurisdiction} cases have tasks, expected {expected}")
        return time.perf_counter() - started

    async def until(
        self, handle: Handle, what: str, found: Callable[[CaseState], bool]
    ) -> CaseState:
        """Wait, without polling, until the case's view satisfies `found`."""
        while True:
            view = await handle.query(DiversionCase.view)
            if found(view):
                return view
            if view.outcome is not None:
                raise BenchFailure(f"{handle.id} closed ({view.outcome}) before {what}")
            await asyncio.wait_for(
                handle.execute_update(DiversionCase.wait_for_change, view.version), 60
            )

    # -- 1. ingest --------------------------------------------------------------------------

    async def ingest_http(self, count: int) -> float:
        headers = self.auth(Role.CLERK, OTHER) | {"Content-Type": "application/json"}
        bodies = [json.dumps(self.referral_data(OTHER)).encode() for _ in range(count)]

        async def one(n: int) -> None:
            response = await self.http.post("/v1/referrals", content=bodies[n], headers=headers)
            if response.status_code != 201:
                raise BenchFailure(f"POST /v1/referrals: {response.status_code} {response.text}")

        seconds = await bounded(count, INGEST_CONCURRENCY, one)
        self.open_in[OTHER] = self.open_in.get(OTHER, 0) + count
        return seconds

    async def ingest_direct(self, count: int) -> float:
        referrals = [self.referral(OTHER) for _ in range(count)]

        async def one(n: int) -> None:
            await self.start(referrals[n])

        return await bounded(count, INGEST_CONCURRENCY, one)

    async def ingest(self, total: int, rounds: int) -> float:
        count = max(1, total // rounds)
        print(
            f"\n[1] ingest: {count * rounds} referrals each way, in {rounds} rounds of one batch "
            f"of {count} each way (alternating which goes first), {INGEST_CONCURRENCY} in flight",
            flush=True,
        )
        await self.ingest_direct(WARMUP)
        await self.ingest_http(WARMUP)
        await self.drain(OTHER)
        rates: dict[str, list[float]] = {"direct": [], "http": []}
        settled: dict[str, list[float]] = {"direct": [], "http": []}
        for r in range(1, rounds + 1):
            order = ["direct", "http"] if r % 2 else ["http", "direct"]
            for name in order:
                run = self.ingest_direct if name == "direct" else self.ingest_http
                seconds = await run(count)
                drained = await self.drain(OTHER)
                rates[name].append(count / seconds)
                settled[name].append(count / (seconds + drained))
                print(
                    f"  round {r} {name:<6} {count} referrals in {seconds:6.2f} s "
                    f"= {count / seconds:6.1f} referrals/s; every task open {drained:4.1f} s later "
                    f"({count / (seconds + drained):5.1f} cases/s to an open task)",
                    flush=True,
                )
        direct, http = statistics.median(rates["direct"]), statistics.median(rates["http"])
        print(f"ingest direct (start_case): median {direct:6.1f} referrals/s")
        print(f"ingest http (POST /v1/referrals): median {http:6.1f} referrals/s")
        direct_open = statistics.median(settled["direct"])
        http_open = statistics.median(settled["http"])
        print(
            f"to an open screening task (the worker's work included): direct {direct_open:5.1f}/s,"
            f" http {http_open:5.1f}/s, ratio {http_open / direct_open:.2f}"
        )
        ratio = http / direct
        print(f"bench api_ingest: ratio {ratio:.2f}", flush=True)
        return ratio

    # -- 2. task completion -----------------------------------------------------------------

    async def task_latency(self, count: int) -> float:
        print(f"\n[2] task completion: {count} screening tasks, one at a time", flush=True)
        handles: list[Handle] = []

        async def one(n: int) -> None:
            handles.append(await self.start(self.referral(OTHER)))

        await bounded(count, INGEST_CONCURRENCY, one)

        async def ready(n: int) -> None:
            task_id = f"{handles[n].id}.t1"
            await self.until(
                handles[n],
                "its screening task",
                lambda v: any(
                    t.id == task_id and t.kind is TaskKind.SCREEN_CASE for t in v.open_tasks()
                ),
            )

        await bounded(count, INGEST_CONCURRENCY, ready)
        headers = self.auth(Role.COORDINATOR, OTHER) | {"Content-Type": "application/json"}
        latencies: dict[str, list[float]] = {"direct": [], "http": []}
        for n, handle in enumerate(handles):
            # Pairs alternate which goes first: http, direct, direct, http, http, direct ...
            via = "http" if (n + n // 2) % 2 == 0 else "direct"
            task_id = f"{handle.id}.t1"
            started = time.perf_counter()
            if via == "http":
                response = await self.http.post(
                    f"/v1/tasks/{task_id}/complete", content=SCREENING_BODY, headers=headers
                )
                if response.status_code != 200 or response.json().get("id") != task_id:
                    raise BenchFailure(
                        f"POST /v1/tasks/{task_id}/complete: {response.status_code} {response.text}"
                    )
            else:
                done = await handle.execute_update(
                    DiversionCase.complete_task,
                    TaskCompletion(task_id=task_id, payload=SCREENING),
                )
                if done.id != task_id:
                    raise BenchFailure(f"complete_task answered {done.id}, not {task_id}")
            latencies[via].append(time.perf_counter() - started)
            self.open_in[OTHER] -= 1
            # Untimed: let the case finish its screening, so no work spills into the next.
            await self.until(
                handle,
                "its victim consent task",
                lambda v: any(t.kind is TaskKind.VICTIM_CONSENT for t in v.open_tasks()),
            )
        for via in ("direct", "http"):
            values = latencies[via]
            print(
                f"task {via:<6} n={len(values):3d}  p50 {ms(percentile(values, 50))}  "
                f"p99 {ms(percentile(values, 99))}  max {ms(max(values))}"
            )
        p50 = percentile(latencies["direct"], 50) / percentile(latencies["http"], 50)
        print(f"p50 ratio (direct/http) {p50:.2f}; p99 of {count // 2} samples is their maximum")
        ratio = percentile(latencies["direct"], 99) / percentile(latencies["http"], 99)
        print(f"bench api_task: ratio {ratio:.2f}", flush=True)
        return ratio

    # -- 3. the inbox -----------------------------------------------------------------------

    async def fill_inbox(self, count: int) -> None:
        print(
            f"\n[3] inbox: starting {count} cases in {INBOX_HOME!r}, "
            f"{START_CONCURRENCY} starts in flight",
            flush=True,
        )
        referrals = [self.referral(INBOX_HOME) for _ in range(count)]
        started = time.perf_counter()
        step = max(1, count // 5)

        async def one(n: int) -> None:
            await self.start(referrals[n])
            done = self.open_in[INBOX_HOME]
            if done % step == 0 or done == count:
                elapsed = time.perf_counter() - started
                print(
                    f"  started {done} cases in {elapsed:5.1f} s ({done / elapsed:5.1f}/s)",
                    flush=True,
                )

        await bounded(count, START_CONCURRENCY, one)
        waited = await self.drain(INBOX_HOME, report_every=20.0, poll=POLL_EVERY_LARGE)
        print(
            f"  all {count} cases counted with an open coordinator task "
            f"{waited:.1f} s after the last start ({time.perf_counter() - started:.1f} s in all)",
            flush=True,
        )

    async def inbox_page(
        self, headers: dict[str, str], cursor: str | None = None
    ) -> tuple[float, list[InboxItem], str | None]:
        params: dict[str, str | int] = {"limit": INBOX_LIMIT}
        if cursor is not None:
            params["cursor"] = cursor
        started = time.perf_counter()
        response = await self.http.get("/v1/tasks", params=params, headers=headers)
        seconds = time.perf_counter() - started
        if response.status_code != 200:
            raise BenchFailure(f"GET /v1/tasks: {response.status_code} {response.text}")
        body = response.json()
        items = [InboxItem.model_validate(item) for item in body["items"]]
        return seconds, items, body.get("next_cursor")

    async def inbox(self, count: int) -> float:
        await self.fill_inbox(count)
        headers = self.auth(Role.COORDINATOR, INBOX_HOME)
        _, first, cursor = await self.inbox_page(headers)  # untimed: warms the caches
        check_page("the first page", first, count)
        times: list[float] = []
        budget = time.perf_counter() + INBOX_BUDGET
        while len(times) < INBOX_REQUESTS and (
            len(times) < INBOX_MIN_REQUESTS or time.perf_counter() < budget
        ):
            seconds, items, _ = await self.inbox_page(headers)
            if [i.task.id for i in items] != [i.task.id for i in first]:
                raise BenchFailure("the first page changed between requests")
            times.append(seconds)
        if len(times) < INBOX_REQUESTS:
            print(f"  (only {len(times)} requests: they took over {INBOX_BUDGET:.0f} s)")
        print(
            f"inbox first page (limit {INBOX_LIMIT}, {count} cases), {len(times)} requests: "
            f"p50 {ms(percentile(times, 50))}  p95 {ms(percentile(times, 95))}  "
            f"max {ms(max(times))}"
        )
        if cursor is None:
            raise BenchFailure("the first page has no next_cursor")
        second_s, second, cursor = await self.inbox_page(headers, cursor)
        check_page("the second page", second, count, after=first[-1])
        if cursor is None:
            raise BenchFailure("the second page has no next_cursor")
        third_s, third, _ = await self.inbox_page(headers, cursor)
        check_page("the third page", third, count, after=second[-1])
        seen = [i.task.id for i in first + second + third]
        if len(set(seen)) != len(seen):
            raise BenchFailure("a task shows on two pages")
        print(f"inbox second page (cursor once):  {ms(second_s)}")
        print(f"inbox third page (cursor twice):  {ms(third_s)}")
        await self.profile_inbox(first, cursor_after(first), cursor_after(second))
        p95 = percentile(times, 95) * 1000
        print(f"bench api_inbox: p95 {p95:.0f} ms (target <= {TARGET_INBOX_MS:.0f} ms)", flush=True)
        return p95

    async def profile_inbox(self, first: list[InboxItem], second: Cursor, third: Cursor) -> None:
        """The same pages read in-process, with counts, lists and memo decoding timed."""
        timings = Timings()
        config = self.client.config()
        config["interceptors"] = [*config["interceptors"], timings]
        inbox = ProfiledInbox(Client(**config), timings)
        roles, places = frozenset({Role.COORDINATOR}), [INBOX_HOME]
        print(f"inbox breakdown, in-process Inbox.page (mean of {PROFILED_PAGES} reads):")
        for name, after in (("first", None), ("second", second), ("third", third)):
            timings.reset()
            for _ in range(PROFILED_PAGES):
                started = time.perf_counter()
                items, _ = await inbox.page(
                    roles, places, limit=INBOX_LIMIT, after=after, now=datetime.now(UTC)
                )
                timings.total_s += time.perf_counter() - started
            if after is None and [i.task.id for i in items] != [i.task.id for i in first]:
                raise BenchFailure("the in-process first page differs from the HTTP one")
            print(f"  {name:<6} page: {timings.describe(PROFILED_PAGES)}")
        # The list calls alone (memos left encoded), to split the list time from the rest.
        listed = Timings()
        for query in timings.list_queries[-10:]:
            started = time.perf_counter()
            rows = [e async for e in self.client.list_workflows(query)]
            listed.total_s += time.perf_counter() - started
            listed.listed_cases += len(rows)
        if timings.list_queries[-10:]:
            n = len(timings.list_queries[-10:])
            print(
                f"  one list RPC alone (no memo decoded): {ms(listed.total_s / n)} for "
                f"{listed.listed_cases / n:.0f} cases"
            )


def cursor_after(page: list[InboxItem]) -> Cursor:
    return Cursor(page[-1].task.due_at, page[-1].task.id)


def check_page(
    name: str, items: list[InboxItem], cases: int, *, after: InboxItem | None = None
) -> None:
    """Full, for coordinators only, and in (due_at, task id) order, after the last page."""
    if len(items) != min(INBOX_LIMIT, cases):
        raise BenchFailure(f"{name} has {len(items)} items, not {INBOX_LIMIT}")
    keys = [(i.task.due_at or datetime.max.replace(tzinfo=UTC), i.task.id) for i in items]
    if any(i.task.due_at is None for i in items):
        raise BenchFailure(f"{name} has a task without due_at (screening tasks have one)")
    if keys != sorted(keys):
        raise BenchFailure(f"{name} is not sorted by task.due_at: {[str(k[0]) for k in keys]}")
    previous = (after.task.due_at, after.task.id) if after and after.task.due_at else None
    if previous is not None and keys[0] <= previous:
        raise BenchFailure(f"{name} does not start after the previous page's last task")
    if any(Role.COORDINATOR not in i.task.roles for i in items):
        raise BenchFailure(f"{name} lists a task that is not for coordinators")
    print(
        f"{name}: {len(items)} tasks, due {items[0].task.due_at:%Y-%m-%d %H:%M:%S.%f} .. "
        f"{items[-1].task.due_at:%Y-%m-%d %H:%M:%S.%f}, sorted"
    )


class Timings(Interceptor):
    """Times an inbox's count calls and notes its list queries (a client interceptor)."""

    def __init__(self) -> None:
        self.list_queries: list[str] = []
        self.reset()

    def reset(self) -> None:
        self.total_s = self.count_s = self.items_s = 0.0
        self.lists = self.listed_cases = 0
        self.counted: list[int] = []  # what each count call answered

    def describe(self, pages: int) -> str:
        rest = self.total_s - self.count_s - self.items_s
        over = sum(1 for c in self.counted if c > MAX_PER_LIST)
        empty = sum(1 for c in self.counted if c == 0)
        return (
            f"total {ms(self.total_s / pages)}\n"
            f"    {len(self.counted) / pages:5.1f} count RPCs {ms(self.count_s / pages)} "
            f"({ms(self.count_s / max(1, len(self.counted)))} each; per page "
            f"{over / pages:.1f} over {MAX_PER_LIST} cases, so halved, {empty / pages:.1f} empty)\n"
            f"    {self.lists / pages:5.1f} list RPCs and the rest {ms(rest / pages)}\n"
            f"    memo decoding of {self.listed_cases / pages:5.1f} cases "
            f"{ms(self.items_s / pages)}"
        )

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        return _Timed(next, self)


class _Timed(OutboundInterceptor):
    def __init__(self, next: OutboundInterceptor, timings: Timings) -> None:
        super().__init__(next)
        self.timings = timings

    async def count_workflows(self, input: CountWorkflowsInput) -> WorkflowExecutionCount:
        started = time.perf_counter()
        counted = await super().count_workflows(input)
        self.timings.count_s += time.perf_counter() - started
        self.timings.counted.append(counted.count)
        return counted

    def list_workflows(self, input: ListWorkflowsInput) -> WorkflowExecutionAsyncIterator:
        self.timings.lists += 1
        if input.query is not None:
            self.timings.list_queries.append(input.query)
        return super().list_workflows(input)


class ProfiledInbox(Inbox):
    """The app's inbox, timing the memo decoding of each listed case."""

    def __init__(self, client: Client, timings: Timings) -> None:
        super().__init__(client)
        self.timings = timings

    async def _items(
        self, execution: WorkflowExecution, roles: frozenset[Role], now: datetime
    ) -> list[InboxItem]:
        started = time.perf_counter()
        try:
            return await super()._items(execution, roles, now)
        finally:
            self.timings.items_s += time.perf_counter() - started
            self.timings.listed_cases += 1


@contextlib.asynccontextmanager
async def worker_for(client: Client, settings: Settings, where: str) -> AsyncIterator[None]:
    """The worker in its own process, as deployed (`diversion worker`), or in this one."""
    if where == "inline":
        async with build_worker(client, settings):
            yield
        return
    env = os.environ | {
        "DIVERSION_DATA_DIR": str(settings.data_dir),
        "DIVERSION_TEMPORAL_ADDRESS": settings.temporal_address,
        "DIVERSION_JURISDICTIONS_FILE": str(settings.jurisdictions_file),
    }
    log = (settings.data_dir / "bench-worker.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "diversion.cli", "worker"], env=env, stdout=log, stderr=log
    )
    try:
        gateway = CaseGateway(client, {}, settings.task_queue)
        while not await gateway.worker_polling():
            if process.poll() is not None:
                raise BenchFailure(f"the worker exited ({process.returncode}); see {log.name}")
            await asyncio.sleep(0.1)  # the worker process starting, not a workflow
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=45)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-api-", dir=scratch_dir()) as tmp:
        data = Path(tmp)
        settings = Settings(
            data_dir=data,
            temporal_address=f"127.0.0.1:{free_port()}",
            jurisdictions_file=two_jurisdictions_file(data),
        )
        async with dev_server(settings, headless=True) as address:
            client = await connect(settings)
            async with worker_for(client, settings, args.worker):
                app = create_app(settings, client=client)
                async with app.router.lifespan_context(app):
                    port = free_port()
                    # lifespan "off": the lifespan already runs here, around the server.
                    config = uvicorn.Config(
                        app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
                    )
                    server = uvicorn.Server(config)
                    serving = asyncio.create_task(server.serve())
                    while not server.started:
                        if serving.done():
                            serving.result()
                            raise BenchFailure("uvicorn stopped while starting")
                        await asyncio.sleep(0.01)
                    print(f"dev server at {address}; API at http://127.0.0.1:{port}", flush=True)
                    try:
                        async with httpx.AsyncClient(
                            base_url=f"http://127.0.0.1:{port}", timeout=120.0
                        ) as http:
                            bench = Bench(settings, client, http)
                            if args.referrals:
                                await bench.ingest(args.referrals, args.rounds)
                            if args.tasks:
                                await bench.task_latency(args.tasks)
                            if args.cases:
                                await bench.inbox(args.cases)
                    finally:
                        server.should_exit = True
                        await serving


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--referrals", type=int, default=300, help="referrals each way (default 300)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="ingest rounds: the referrals are split into this many batches each way (default 3)",
    )
    parser.add_argument(
        "--tasks", type=int, default=60, help="screening tasks completed, half each way"
    )
    parser.add_argument(
        "--cases", type=int, default=5000, help="open cases in the inbox (default 5000)"
    )
    parser.add_argument(
        "--worker",
        choices=("process", "inline"),
        default="process",
        help="the worker in its own process as deployed (default), or in the bench's",
    )
    args = parser.parse_args()
    if 0 < args.cases < 3 * INBOX_LIMIT:
        parser.error(f"--cases: 0 (skip the inbox) or at least {3 * INBOX_LIMIT} (three pages)")
    if args.rounds < 1 or args.tasks == 1 or 0 < args.referrals < args.rounds:
        parser.error(
            "--rounds: at least 1; --tasks: 0 or at least 2; --referrals: 0 or >= --rounds"
        )
    print(
        f"api bench: ingest {args.referrals} referrals each way in {args.rounds} rounds, "
        f"{args.tasks} task completions, inbox over {args.cases} open cases, "
        f"worker {args.worker}"
    )
    print(
        f"targets: api_ingest ratio (http/direct throughput) >= {TARGET_INGEST}, "
        f"api_task ratio (direct p99 / http p99) >= {TARGET_TASK}, "
        f"api_inbox p95 <= {TARGET_INBOX_MS:.0f} ms"
    )
    started = time.monotonic()
    try:
        asyncio.run(run(args))
    except BenchFailure as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"\nwall time {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
