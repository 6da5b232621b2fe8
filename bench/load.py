"""Load: the fault run's driver at a steady rate for a fixed time, nothing killed.

The same stack as bench/faults.py (the dev server on a database file, two workers, two API
processes, the fake court) and the same clerks and staff (tests/faults/): `--rate`
referrals a second for `--seconds`, each walked through the API to its end (every walk in
turn), then every case must close. Measured: the referrals the API accepted per second,
each task completion's time through the API (from the first try to its answer), the errors
(5xx, refusals, cases not closed), and the workers' resident memory (VmRSS), sampled every
second over the whole run.

Before the load, in the same run and on the same stack, the direct-client figures of
bench/http_api.py: referrals started with `start_case` and posted through the API, 16 in
flight (the most each path takes), and screening tasks completed one at a time by the
`complete_task` update and through the API. The load's figures are printed beside them.

Ends with
    bench load: referrals_per_s <n> task_p99_ms <n> errors 0 worker_rss_mb <n>
(worker_rss_mb: the highest sample of any worker, its PDF rendering process included) and
exits 1 on any error.

    .venv/bin/python bench/load.py [--rate 0.4] [--seconds 90] [--baseline 48]
"""

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests package (tests/faults, tests/fakes) is not installed

import httpx
from http_api_parts.timing import bounded, percentile

from diversion.cases import start_case
from diversion.dev_server import scratch_dir
from domain.enums import Role
from domain.referral import Referral
from domain.tasks import TaskCompletion
from tests.faults.api_client import ApiPool
from tests.faults.court_clerk import docket_and_call_back
from tests.faults.ledger import check
from tests.faults.paths import PlannedCase, Walk
from tests.faults.run import plan_cases, refer
from tests.faults.stack import Stack
from tests.faults.staff import SCREENING, CaseRecord, drive
from workflows.case import DiversionCase

IN_FLIGHT = 16  # as bench/http_api.py's ingest
# Under load a task takes seconds: the readiness check must still come before the conference.
CONFERENCE_IN_SECONDS = 45.0
CLOSE_WITHIN = 300.0  # seconds after the last referral for every case to close


def rss_mb(pid: int) -> float | None:
    """VmRSS of a worker and of its children (its PDF rendering process): rendering there
    moved that memory out of the worker's own figure, not off the machine."""
    own = _vm_rss_mb(pid)
    if own is None:
        return None
    children = [_vm_rss_mb(child) for child in _children(pid)]
    return own + sum(mb for mb in children if mb is not None)


def _vm_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for listed in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in listed.read_text().split()]
    return found


async def sample_memory(stack: Stack, samples: list[list[float]], done: asyncio.Event) -> None:
    while not done.is_set():
        samples.append([mb for pid in stack.worker_pids() if (mb := rss_mb(pid)) is not None])
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), 1.0)


def planned(prefix: str, count: int, jurisdiction: str) -> list[PlannedCase]:
    return [
        PlannedCase(n, Walk.AGREEMENT, jurisdiction, f"{prefix}-{n:05d}", racing_clerks=1)
        for n in range(count)
    ]


async def baselines(
    stack: Stack, api: ApiPool, count: int, stack_cases: list[str]
) -> dict[str, float]:
    """bench/http_api.py's comparison on this stack: ingest both ways, then task latency."""
    assert stack.client is not None
    client = stack.client
    jurisdiction = plan_cases(0, 1)[0].jurisdiction
    policy = stack.settings.jurisdictions()[jurisdiction]
    direct = planned("LOAD-DIRECT", count, jurisdiction)
    http = planned("LOAD-HTTP", count, jurisdiction)

    async def start(n: int) -> None:
        referral = Referral.model_validate(direct[n].referral())
        await start_case(client, referral, policy, stack.settings.task_queue)

    async def post(n: int) -> None:
        await refer(api, CaseRecord(http[n]), {})

    stack_cases.extend(c.case_id for c in direct + http)
    figures = {"direct_rps": count / await bounded(count, IN_FLIGHT, start)}
    figures["http_rps"] = count / await bounded(count, IN_FLIGHT, post)
    timings: dict[str, list[float]] = {"direct": [], "http": []}
    for n, case in enumerate(direct[: count // 2] + http[: count // 2]):
        task_id = f"{case.case_id}.t1"
        handle = client.get_workflow_handle_for(DiversionCase.run, case.case_id)
        view = await handle.query(DiversionCase.view)
        while not any(t.id == task_id for t in view.tasks):  # long-polled, as http_api.py
            await handle.execute_update(DiversionCase.wait_for_change, view.version)
            view = await handle.query(DiversionCase.view)
        started = time.perf_counter()
        if n % 2:
            await handle.execute_update(
                DiversionCase.complete_task, TaskCompletion(task_id=task_id, payload=SCREENING)
            )
            timings["direct"].append(time.perf_counter() - started)
        else:
            response = await api.call(
                "POST",
                f"/v1/tasks/{task_id}/complete",
                role=Role.COORDINATOR,
                jurisdiction=jurisdiction,
                json=SCREENING,
            )
            assert response is not None and response.status_code == 200, response
            timings["http"].append(time.perf_counter() - started)
        # Untimed, as http_api.py: the case finishes its screening (its report filed, the
        # victim's consent task open) before the next completion is timed.
        while not any(t.kind == "victim_consent" for t in view.tasks):
            await handle.execute_update(DiversionCase.wait_for_change, view.version)
            view = await handle.query(DiversionCase.view)
    figures["direct_task_p99"] = percentile(timings["direct"], 99)
    figures["http_task_p99"] = percentile(timings["http"], 99)
    return figures


async def run(args: argparse.Namespace, data: Path) -> int:
    stack = Stack(data)
    try:
        await stack.start()
        assert stack.client is not None
        samples: list[list[float]] = []
        done = asyncio.Event()
        sampler = asyncio.create_task(sample_memory(stack, samples, done))
        async with httpx.AsyncClient(timeout=30.0) as http:
            api = ApiPool(stack.api_urls, stack.settings, http)
            print(f"[1] direct figures: {args.baseline} referrals each way", flush=True)
            baseline_cases: list[str] = []
            base = await baselines(stack, api, args.baseline, baseline_cases)
            print(f"[2] the load: {args.rate:g} referrals/s for {args.seconds:.0f} s", flush=True)
            api.counts.task_seconds.clear()
            cases = plan_cases(args.seed, int(args.rate * args.seconds))
            records = [CaseRecord(case, conference_in=CONFERENCE_IN_SECONDS) for case in cases]
            statuses: dict[int, int] = {}
            loop = asyncio.get_running_loop()
            started = loop.time()
            deadline = started + args.seconds + CLOSE_WITHIN
            accepted_at: list[float] = []

            async def one(record: CaseRecord, n: int) -> None:
                await asyncio.sleep(n / args.rate)  # the steady rate: arrival n at n/rate s
                await refer(api, record, statuses)
                accepted_at.append(loop.time() - started)
                await drive(api, record, deadline)

            # The ECF court's clerk dockets each filing and calls back, as in the fault run:
            # without it every ECF filing stays received and its case cannot close.
            clerk = asyncio.create_task(docket_and_call_back(stack.court, api, done))
            try:
                await asyncio.gather(*(one(r, n) for n, r in enumerate(records)))
            finally:
                closed_after = loop.time() - started
                done.set()
                await clerk
            await sampler
            tally = await check(records, api, stack.client, stack.court, baseline_cases)
        errors = api.counts.http_5xx + api.counts.unreachable + len(tally.problems)
        for problem in tally.problems:
            print(f"  {problem}", flush=True)
        refused = Counter(
            r.split(" {")[0] + " " + _detail(r) for rec in records for r in rec.refusals
        )
        for refusal, count in refused.most_common(5):
            print(f"  refused {count}x: {refusal}", flush=True)
        return report(
            args, base, accepted_at, api.counts.task_seconds, samples, errors, closed_after
        )
    finally:
        await stack.close()


def _detail(refusal: str) -> str:
    """The case's reason in a 422, without the case's own ids and times."""
    detail = refusal.partition('"detail":"')[2].partition('"')[0]
    return " ".join(w for w in detail.split() if not any(c.isdigit() for c in w))[:90]


def report(
    args: argparse.Namespace,
    base: dict[str, float],
    accepted_at: list[float],
    task_seconds: list[float],
    samples: list[list[float]],
    errors: int,
    closed_after: float,
) -> int:
    rate = len(accepted_at) / max(accepted_at)
    p50, p99 = percentile(task_seconds, 50), percentile(task_seconds, 99)
    peaks = [max(s) for s in samples if s]
    third = max(1, len(peaks) // 3)
    print(
        f"direct client (start_case, {IN_FLIGHT} in flight): {base['direct_rps']:.1f} referrals/s;"
        f" http ({IN_FLIGHT} in flight): {base['http_rps']:.1f}/s;"
        f" one screening task: direct p99 {base['direct_task_p99'] * 1000:.0f} ms,"
        f" http p99 {base['http_task_p99'] * 1000:.0f} ms (idle)"
    )
    print(
        f"load: {len(accepted_at)} referrals offered at {args.rate:g}/s, accepted at {rate:.2f}/s"
        f" ({rate / base['direct_rps']:.2f} of the direct client's most,"
        f" {rate / base['http_rps']:.2f} of the API's most); every case closed"
        f" {closed_after:.0f} s after the first referral"
    )
    print(
        f"load: {len(task_seconds)} task completions through the API, p50 {p50 * 1000:.0f} ms,"
        f" p99 {p99 * 1000:.0f} ms ({p99 / base['http_task_p99']:.1f}x the idle API's p99,"
        f" {p99 / base['direct_task_p99']:.1f}x the direct update's)"
    )
    print(
        f"worker memory (VmRSS, the larger worker with its PDF rendering process, sampled every"
        f" 1 s, {len(peaks)} samples):"
        f" first third median {statistics.median(peaks[:third]):.0f} MB,"
        f" last third median {statistics.median(peaks[-third:]):.0f} MB, peak {max(peaks):.0f} MB"
    )
    print(
        f"bench load: referrals_per_s {rate:.2f} task_p99_ms {p99 * 1000:.0f} errors {errors}"
        f" worker_rss_mb {max(peaks):.0f}",
        flush=True,
    )
    return 0 if errors == 0 else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rate", type=float, default=0.4, help="referrals a second (default 0.4)")
    parser.add_argument("--seconds", type=float, default=90.0, help="how long (default 90)")
    parser.add_argument(
        "--baseline", type=int, default=48, help="referrals each way for the direct figures"
    )
    parser.add_argument("--seed", type=int, default=1, help="seeds the walks")
    args = parser.parse_args()
    if args.rate <= 0 or args.seconds < 10 or args.baseline < 4:
        parser.error("--rate above 0, --seconds at least 10, --baseline at least 4")
    print(f"load bench: {args.rate:g} referrals/s for {args.seconds:.0f} s", flush=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="load-", dir=scratch_dir()) as tmp:
        code = asyncio.run(run(args, Path(tmp)))
    print(f"\nwall time {time.monotonic() - started:.0f} s")
    sys.exit(code)


if __name__ == "__main__":
    main()
