"""Phase 2: one task completion at a time, through `POST /v1/tasks/{id}/complete` and
through the `complete_task` update that route sends.

The HTTP requests go out over one keep-alive connection spoken with h11 (lanes.py), as the
ingest phase's do: httpx in this process cost about 1.6 ms of CPU a request, which the
latency charged to the API, while a staff member's browser runs elsewhere."""

import json
import time

from domain.enums import Plea, Role, TaskKind
from domain.task_payloads import RiskAssessment, ScreenCase
from domain.tasks import TaskCompletion
from tests.jurisdictions import OTHER
from workflows.case import DiversionCase

from .harness import INGEST_CONCURRENCY, Bench, BenchFailure, Handle
from .lanes import Lanes, lanes
from .timing import bounded, ms, percentile

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


async def task_latency(bench: Bench, count: int) -> float:
    print(f"\n[2] task completion: {count} screening tasks, one at a time", flush=True)
    handles: list[Handle] = []

    async def one(n: int) -> None:
        handles.append(await bench.start(bench.referral(OTHER)))

    await bounded(count, INGEST_CONCURRENCY, one)

    async def ready(n: int) -> None:
        task_id = f"{handles[n].id}.t1"
        await bench.until(
            handles[n],
            "its screening task",
            lambda v: any(
                t.id == task_id and t.kind is TaskKind.SCREEN_CASE for t in v.open_tasks()
            ),
        )

    await bounded(count, INGEST_CONCURRENCY, ready)
    url = bench.http.base_url
    assert url.host and url.port, "the bench serves the API on a host and port"
    async with lanes(url.host, url.port) as api:
        latencies, cpu = await complete_alternately(bench, api, handles)
    report(latencies, cpu)
    ratio = percentile(latencies["direct"], 99) / percentile(latencies["http"], 99)
    print(f"bench api_task: ratio {ratio:.2f}", flush=True)
    return ratio


Samples = dict[str, list[float]]


async def complete_alternately(
    bench: Bench, api: Lanes, handles: list[Handle]
) -> tuple[Samples, Samples]:
    """Each case's screening task completed one way, the ways alternating in pairs: the
    latency and this process's CPU of each completion, by way."""
    headers = list(
        (bench.auth(Role.COORDINATOR, OTHER) | {"Content-Type": "application/json"}).items()
    )
    latencies: Samples = {"direct": [], "http": []}
    cpu: Samples = {"direct": [], "http": []}
    for n, handle in enumerate(handles):
        # Pairs alternate which goes first: http, direct, direct, http, http, direct ...
        via = "http" if (n + n // 2) % 2 == 0 else "direct"
        task_id = f"{handle.id}.t1"
        cpu_before = time.process_time()
        started = time.perf_counter()
        if via == "http":
            status, answer = await api.post(
                f"/v1/tasks/{task_id}/complete", SCREENING_BODY, headers
            )
            if status != 200 or json.loads(answer).get("id") != task_id:
                raise BenchFailure(f"POST /v1/tasks/{task_id}/complete: {status} {answer.decode()}")
        else:
            done = await handle.execute_update(
                DiversionCase.complete_task,
                TaskCompletion(task_id=task_id, payload=SCREENING),
            )
            if done.id != task_id:
                raise BenchFailure(f"complete_task answered {done.id}, not {task_id}")
        latencies[via].append(time.perf_counter() - started)
        cpu[via].append(time.process_time() - cpu_before)
        bench.open_in[OTHER] -= 1
        # Untimed: let the case finish its screening, so no work spills into the next.
        await bench.until(
            handle,
            "its victim consent task",
            lambda v: any(t.kind is TaskKind.VICTIM_CONSENT for t in v.open_tasks()),
        )
    return latencies, cpu


def report(latencies: Samples, cpu: Samples) -> None:
    for via in ("direct", "http"):
        values = latencies[via]
        print(
            f"task {via:<6} n={len(values):3d}  p50 {ms(percentile(values, 50))}  "
            f"p99 {ms(percentile(values, 99))}  max {ms(max(values))}"
        )
    print(
        f"CPU per completion in this process (p50): direct {ms(percentile(cpu['direct'], 50))},"
        f" http {ms(percentile(cpu['http'], 50))}"
    )
    p50 = percentile(latencies["direct"], 50) / percentile(latencies["http"], 50)
    print(f"p50 ratio (direct/http) {p50:.2f}")
