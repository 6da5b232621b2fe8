"""Bench: the worker's peak memory while many DiversionCases wait in monitoring.

On the embedded dev server (diversion.dev_server, in a temporary data dir on a free
port; on tmpfs when there is one) it starts `--cases` cases straight into the monitoring
stage: each `CaseInput` carries a `CaseState` at monitoring, with an agreement of one
obligation due in 90 days and `obligations_started=False`, so the case starts its
ObligationWorkflow child at once (workflows/case.py resumes at `case.stage`). All cases
are started at once (the worst case for the worker's memory); `--window N` paces the
starts instead, keeping at most N cases started but not yet waiting.

The worker runs in its own process, built exactly as the service builds it
(diversion.worker.build_worker: SDK defaults, so at most 1000 workflows in its cache);
this script samples its RSS from /proc until every case waits in monitoring, with its
child started and its evidence task open (counted through visibility, then confirmed by
a `view` query on a sample), and reports the worker's peak RSS (VmHWM).

    .venv/bin/python bench/monitoring_memory.py [--cases 5000] [--window N]

The default is 5,000 cases (about 5 minutes on 2 cores); `--cases 10000` takes 10-12.
`--worker` is the worker process's own entry; it is not meant to be run by hand.
"""

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.workflows.* are not an installed package

from temporalio.client import Client
from worker_rss import Rss, RssSampler, worker_log_tail, worker_process

from diversion.dev_server import dev_server, free_port, scratch_dir
from diversion.settings import Settings
from diversion.temporal_client import connect
from diversion.worker import install_stop_signals, run_worker
from domain.agreement import Agreement, Obligation
from domain.case import CaseState, case_workflow_id
from domain.enums import ObligationKind, Stage, TaskKind
from domain.policy import Jurisdiction
from tests.workflows.harness import demo_referral
from workflows import search_attributes as sa
from workflows.case import DiversionCase
from workflows.case_input import CaseInput

TARGET_MB = 500
DEFAULT_CASES = 5_000
JURISDICTION = "demo"
STARTS_IN_FLIGHT = 64
SAMPLE = 20  # cases asked, one by one, whether they wait in monitoring
POLL_EVERY = 1.0  # seconds between visibility counts
WAIT_LIMIT = timedelta(minutes=30)


def bench_settings(data_dir: Path, address: str) -> Settings:
    return Settings(data_dir=data_dir, temporal_address=address)


def monitoring_input(jurisdiction: Jurisdiction, n: int, now: datetime) -> CaseInput:
    """A case already at the agreement: monitoring, one obligation due in 90 days."""
    referral = demo_referral(case_number=f"CR-MEM-{n:06d}")
    agreement = Agreement(
        obligations=[
            Obligation(
                kind=ObligationKind.COUNSELLING,
                description="Twelve sessions with an approved counsellor",
                first_due=now + timedelta(days=90),
            )
        ]
    )
    state = CaseState(
        case_id=case_workflow_id(jurisdiction.id, referral.court.case_number),
        jurisdiction=jurisdiction,
        referral=referral,
        stage=Stage.MONITORING,
        stage_entered_at=now,
        agreement=agreement,
        obligations_started=False,
    )
    return CaseInput(referral=referral, jurisdiction=jurisdiction, state=state)


class Progress:
    """How many cases wait in monitoring, polled from visibility in the background."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.waiting = 0
        self._polled = asyncio.Event()

    async def poll(self) -> None:
        while True:
            self.waiting = await waiting_in_monitoring(self.client)
            self._polled.set()
            await asyncio.sleep(POLL_EVERY)

    async def next(self) -> int:
        self._polled.clear()
        await self._polled.wait()
        return self.waiting


async def waiting_in_monitoring(client: Client) -> int:
    """Cases in monitoring whose child has reported its first due date (a task is open)."""
    query = (
        'WorkflowType="DiversionCase" AND ExecutionStatus="Running" '
        f'AND {sa.STAGE.name}="{Stage.MONITORING.value}" '
        f'AND {sa.OPEN_TASK_ROLES.name}="coordinator"'
    )
    return (await client.count_workflows(query)).count


async def start_cases(
    client: Client,
    settings: Settings,
    jurisdiction: Jurisdiction,
    cases: int,
    window: int,
    progress: Progress,
) -> list[str]:
    """Start the cases; with a `window`, at most that many started but not yet waiting."""
    gate = asyncio.Semaphore(STARTS_IN_FLIGHT)
    now = datetime.now(UTC)

    async def start(n: int) -> str:
        case = monitoring_input(jurisdiction, n, now)
        assert case.state is not None
        try:
            handle = await client.start_workflow(
                DiversionCase.run,
                case,
                id=case.state.case_id,
                task_queue=settings.task_queue,
                search_attributes=sa.initial(jurisdiction.id, case.referral.court.case_number),
            )
        finally:
            gate.release()
        return handle.id

    started = []
    for n in range(cases):
        while window and n - progress.waiting >= window:
            await progress.next()
        await gate.acquire()
        started.append(asyncio.create_task(start(n)))
    return await asyncio.gather(*started)


async def check_sample(client: Client, ids: list[str]) -> None:
    """Ask some cases themselves (a `view` query each) that they wait in monitoring."""
    for workflow_id in random.Random(7).sample(ids, min(SAMPLE, len(ids))):
        view = await client.get_workflow_handle_for(DiversionCase.run, workflow_id).query(
            DiversionCase.view
        )
        kinds = [t.kind for t in view.open_tasks()]
        if (
            view.stage is not Stage.MONITORING
            or not view.obligations_started
            or kinds != [TaskKind.VERIFY_EVIDENCE]
        ):
            raise RuntimeError(f"{workflow_id}: {view.stage}, open tasks {kinds}")


async def measure(cases: int, window: int) -> Rss:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-monitoring-", dir=scratch_dir()) as tmp:
        data_dir = Path(tmp)
        settings = bench_settings(data_dir, f"127.0.0.1:{free_port()}")
        settings.payload_key_ring()  # the dev key, written once, before two processes read it
        demo = settings.jurisdictions()[JURISDICTION]
        court = demo.court.model_copy(
            update={"settings": {"transport": {"root": str(data_dir / "court")}}}
        )
        jurisdiction = demo.model_copy(update={"court": court})
        async with dev_server(settings, headless=True) as address:
            client = await connect(settings)
            with worker_process(data_dir, address) as worker, RssSampler(worker.pid) as rss:
                print(f"dev server at {address}; worker pid {worker.pid}", flush=True)
                progress = Progress(client)
                poller = asyncio.create_task(progress.poll())
                ids = await start_cases(client, settings, jurisdiction, cases, window, progress)
                print(
                    f"started {len(ids)} cases in {time.monotonic() - started:.0f} s "
                    f"(worker RSS now {rss.sample().now_mb:.0f} MB)",
                    flush=True,
                )
                deadline = time.monotonic() + WAIT_LIMIT.total_seconds()
                while (waiting := await progress.next()) < cases:
                    if worker.poll() is not None:
                        raise RuntimeError(f"the worker exited:\n{worker_log_tail(data_dir)}")
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"only {waiting} of {cases} cases reached monitoring")
                poller.cancel()
                print(
                    f"all {cases} cases wait in monitoring after "
                    f"{time.monotonic() - started:.0f} s",
                    flush=True,
                )
                await check_sample(client, ids)
                final = rss.sample()
                print(
                    f"worker RSS: now {final.now_mb:.0f} MB, peak (VmHWM) {final.peak_mb:.0f} MB,"
                    f" highest sampled {rss.highest_mb:.0f} MB; "
                    f"{SAMPLE} sampled cases confirmed in monitoring",
                    flush=True,
                )
    print(f"wall time {time.monotonic() - started:.0f} s")
    return final


async def serve(data_dir: Path, address: str) -> None:
    settings = bench_settings(data_dir, address)
    client = await connect(settings)
    stop = asyncio.Event()
    install_stop_signals(stop, "the bench worker")
    await run_worker(client, settings, stop)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES, help="cases to start")
    parser.add_argument(
        "--window",
        type=int,
        default=0,
        help="pace the starts: at most this many cases not yet in monitoring (default: no limit)",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--address", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        asyncio.run(serve(args.data_dir, args.address))
        return
    starts = f"paced, window {args.window}" if args.window else "all at once"
    print(
        f"monitoring memory bench: {args.cases} cases into monitoring on the dev server "
        f"(starts {starts}); worker in its own process, SDK default cache (1000 workflows)"
    )
    print(f"target: peak_rss_mb <= {TARGET_MB}")
    rss = asyncio.run(measure(args.cases, args.window))
    print(f"bench monitoring_memory: peak_rss_mb {rss.peak_mb:.0f} cases {args.cases}")


if __name__ == "__main__":
    main()
