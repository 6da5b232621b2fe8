"""Bench: happy-path DiversionCases per second, against a baseline of the same shape.

On one time-skipping test server and one worker (same settings, same AES-GCM data
converter) it runs, in alternating rounds, N `BaselineCase`s (bench/baseline_workflow.py)
and N real `DiversionCase`s through the whole happy path with three obligations, at most
`--concurrency` at a time, and compares the best throughput of each.

The baseline mirrors the counts of a real case's history (activities, timers, updates,
child workflows and the signals between case and children), measured first from one real
case, so the ratio is the cost of the case's own logic, state and payloads.

All cases share the test server's one clock. A case moves it only through `SharedClock`,
which skips time only while every running case is waiting for the clock, so a skip never
lands in the middle of another case's update. Each round drives its cases in two phases
(to the agreement, then to closure) because of a test-server bug: see `Bench`.

    .venv/bin/python bench/lifecycle.py [--cases 20] [--concurrency 10] [--rounds 3]
"""

import argparse
import asyncio
import base64
import collections
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.workflows.* are not an installed package

import baseline_workflow as baseline
from history_shape import count_events, describe, family, updates_before_first_child
from shared_clock import CallLog, ClockedCase, SharedClock, Step
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.testservice.v1 import UnlockTimeSkippingRequest
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest
from temporalio.client import (
    Client,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowHistory,
)
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

import workflows
from activities.case_activities import CaseActivities
from diversion.cases import start_case
from diversion.codec import data_converter, generate_key, parse_keys
from diversion.dev_server import register_search_attributes
from domain.enums import DispositionKind, Outcome, Stage
from domain.policy import DEMO_FILE, Jurisdiction, load_jurisdictions
from tests.workflows.harness import demo_referral
from tests.workflows.steps import through_conference, verify_all
from workflows.case import DiversionCase
from workflows.messages import Disposition

TARGET_RATIO = 0.7
OBLIGATIONS = 3
TASK_QUEUE = "bench-lifecycle"
TEST_SERVER = ROOT / ".venv" / "bin" / "temporal-test-server"
HEAL_PATIENCE = 0.2  # seconds a day-long sleep may take on an idle server before an unlock
HEAL_MAX = 10_000
CALIBRATION_RUNS = 3


@dataclass
class BaselineRun:
    handle: WorkflowHandle[baseline.BaselineCase, int]
    sent: int = 0


Begun = TypeVar("Begun")


@dataclass
class Bench:
    """Drives real and baseline cases in two phases: up to the agreement, then the rest.

    The first phase holds every clock move; the second holds every signal from a case to
    its children. The test server leaks a time-skipping lock now and then when a workflow
    signals its child (temporalio/sdk-java#1618), after which it cannot skip time; so no
    clock move ever follows such a signal within a round, and between rounds, with every
    workflow closed, `heal` gives the leaked locks back.
    """

    env: WorkflowEnvironment
    client: Client
    log: CallLog
    clock: SharedClock
    jurisdiction: Jurisdiction
    court_root: Path
    outbox: Path
    plan: baseline.Plan | None = None
    script: list[Step] = field(default_factory=list)  # a real case's driver, replayed
    split: int = 0  # where the script's second phase begins

    # -- a real case: the tests' steps ----------------------------------------------------

    async def real_begin(self, n: int) -> ClockedCase:
        referral = demo_referral(case_number=f"CR-B-{uuid.uuid4().hex[:10]}-{n}")
        handle, _ = await start_case(self.client, referral, self.jurisdiction, TASK_QUEUE)
        # As the tests' Harness.start: a handle that follows the case, and the start handle.
        following = self.client.get_workflow_handle_for(DiversionCase.run, handle.id)
        case = ClockedCase(
            self.env,
            following,
            self.court_root,
            self.outbox,
            referral,
            handle,
            clock=self.clock,
            log=self.log,
        )
        await through_conference(case, count=OBLIGATIONS)
        return case

    async def real_finish(self, case: ClockedCase) -> list[str]:
        await verify_all(case, OBLIGATIONS)
        await case.reach(Stage.FINAL_REPORT)
        decided_on = await case.now()
        await case.handle.execute_update(
            DiversionCase.record_disposition,
            Disposition(kind=DispositionKind.COMPLETED, decided_on=decided_on),
        )
        outcome = await case.outcome()
        if outcome is not Outcome.COMPLETED:
            raise RuntimeError(f"{case.handle.id} ended {outcome}, not completed")
        return family(case.handle.id, OBLIGATIONS)

    # -- a baseline case: the real driver's updates, queries and clock moves, replayed ----

    async def baseline_begin(self, n: int) -> BaselineRun:
        plan = self.require_plan()
        handle = await self.client.start_workflow(
            baseline.BaselineCase.run,
            plan,
            id=f"baseline-{uuid.uuid4().hex[:10]}-{n}",
            task_queue=TASK_QUEUE,
        )
        run = BaselineRun(handle)
        await self.replay(run, self.script[: self.split])
        return run

    async def baseline_finish(self, run: BaselineRun) -> list[str]:
        plan = self.require_plan()
        await self.replay(run, self.script[self.split :])
        if await run.handle.result() != plan.updates:
            raise RuntimeError(f"{run.handle.id} did not see its {plan.updates} updates")
        return family(run.handle.id, plan.children)

    async def replay(self, run: BaselineRun, steps: list[Step]) -> None:
        for step in steps:
            if step == "update":
                await run.handle.execute_update(baseline.BaselineCase.step)
            elif step == "query":
                await run.handle.query(baseline.BaselineCase.view)
            else:
                assert isinstance(step, timedelta)
                await self.clock.advance(step)

    def require_plan(self) -> baseline.Plan:
        if self.plan is None:
            raise RuntimeError("measure_plan() first")
        return self.plan

    # -- rounds ---------------------------------------------------------------------------

    async def round(
        self,
        begin: Callable[[int], Awaitable[Begun]],
        finish: Callable[[Begun], Awaitable[list[str]]],
        cases: int,
        limit: int,
    ) -> tuple[float, int]:
        """Wall seconds to drive `cases` cases, at most `limit` at a time; locks healed."""
        gate = asyncio.Semaphore(limit)

        async def first(n: int) -> Begun:
            async with gate, self.clock.joined():
                return await begin(n)

        async def second(begun: Begun) -> list[str]:
            async with gate:
                return await finish(begun)

        started = time.perf_counter()
        begun = await asyncio.gather(*(first(n) for n in range(cases)))
        ids = await asyncio.gather(*(second(b) for b in begun))
        seconds = time.perf_counter() - started
        healed = await self.settle([i for group in ids for i in group])
        return seconds, healed

    async def settle(self, workflow_ids: list[str]) -> int:
        """Wait until these workflows are closed, then heal the clock."""
        running = WorkflowExecutionStatus.RUNNING.value
        for workflow_id in workflow_ids:
            # The raw call: the SDK's describe() fails on this server's datetime attributes.
            request = DescribeWorkflowExecutionRequest(
                namespace=self.client.namespace,
                execution=WorkflowExecution(workflow_id=workflow_id),
            )
            while True:
                described = await self.client.workflow_service.describe_workflow_execution(request)
                if described.workflow_execution_info.status != running:
                    break
                await asyncio.sleep(0.05)
        return await self.heal()

    async def heal(self) -> int:
        """Give back the time-skipping locks the test server leaked; how many it took.

        Only while no workflow runs: then no legitimate lock is held, so a day-long sleep
        that does not end at once is held up by leaked locks alone.
        """
        probe = asyncio.create_task(self.env.sleep(timedelta(days=1)))
        healed = 0
        while True:
            done, _ = await asyncio.wait({probe}, timeout=HEAL_PATIENCE)
            if done:
                probe.result()
                return healed
            if healed >= HEAL_MAX:
                probe.cancel()
                raise RuntimeError(f"the test server clock is still stuck after {healed} unlocks")
            await self.client.test_service.unlock_time_skipping(UnlockTimeSkippingRequest())
            healed += 1

    async def history_counts(
        self, workflow_id: str
    ) -> tuple[WorkflowHistory, collections.Counter[str]]:
        history = await self.client.get_workflow_handle(workflow_id).fetch_history()
        return history, count_events(history)

    async def measure_plan(self) -> None:
        """Run one real case alone, recording its driver; the baseline will mirror both."""
        self.log.recording = True
        async with self.clock.joined():
            case = await self.real_begin(0)
        self.split = len(self.log.steps[case.handle.id])
        await self.settle(await self.real_finish(case))
        self.log.recording = False
        self.script = self.log.steps[case.handle.id]
        history, counts = await self.history_counts(case.handle.id)
        _, child = await self.history_counts(f"{case.handle.id}.o0")
        accepted = counts["WORKFLOW_EXECUTION_UPDATE_ACCEPTED"]
        sent = self.script.count("update")
        if accepted != sent:
            raise RuntimeError(f"history has {accepted} updates, the driver sent {sent}")
        moves = [s for s in self.script if isinstance(s, timedelta)]
        quiet = [self.script[:i].count("update") for i, s in enumerate(self.script) if s in moves]
        self.plan = baseline.Plan(
            updates=accepted,
            activities=counts["ACTIVITY_TASK_SCHEDULED"],
            timers=counts["TIMER_STARTED"],
            timers_fired=counts["TIMER_FIRED"],
            children=counts["START_CHILD_WORKFLOW_EXECUTION_INITIATED"],
            children_after_update=updates_before_first_child(history),
            signals_to_children=counts["SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED"],
            quiet_after_updates=quiet,
            child=baseline.ChildPlan(
                activities=child["ACTIVITY_TASK_SCHEDULED"],
                timers=child["TIMER_STARTED"],
                timers_fired=child["TIMER_FIRED"],
                signals_to_parent=child["SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED"],
                signals_from_parent=child["WORKFLOW_EXECUTION_SIGNALED"],
            ),
        )
        if any(isinstance(s, timedelta) for s in self.script[self.split :]):
            raise RuntimeError("the clock moves after the agreement: the phases would mix")
        print(
            f"driver      {sent} updates, {self.script.count('query')} queries, "
            f"{len(moves)} clock moves ({', '.join(str(m) for m in moves)}) per case"
        )
        print(f"real case   {describe(counts, child)}")
        # A timer whose wait ends in the same workflow task is never sent: top such up.
        for _ in range(CALIBRATION_RUNS):
            mirrored, mirrored_child = await self.one_baseline()
            missing = counts["TIMER_STARTED"] - mirrored["TIMER_STARTED"]
            if missing == 0:
                break
            self.plan.timers += missing
        print(f"baseline    {describe(mirrored, mirrored_child)}")

    async def one_baseline(self) -> tuple[collections.Counter[str], collections.Counter[str]]:
        async with self.clock.joined():
            run = await self.baseline_begin(0)
        await self.settle(await self.baseline_finish(run))
        _, counts = await self.history_counts(run.handle.id)
        _, child = await self.history_counts(f"{run.handle.id}.o0")
        return counts, child


def bench_jurisdiction(court_root: Path) -> Jurisdiction:
    demo = load_jurisdictions(DEMO_FILE)["demo"]
    court = demo.court.model_copy(update={"settings": {"transport": {"root": str(court_root)}}})
    return demo.model_copy(update={"court": court})


async def run(cases: int, concurrency: int, rounds: int) -> float:
    keys = parse_keys(f"bench:{base64.b64encode(generate_key()).decode()}")
    async with await WorkflowEnvironment.start_time_skipping(
        data_converter=data_converter(keys), test_server_existing_path=str(TEST_SERVER)
    ) as env:
        await register_search_attributes(env.client)
        log = CallLog()
        config = env.client.config()
        config["interceptors"] = [*config["interceptors"], log]
        client = Client(**config)
        with tempfile.TemporaryDirectory(prefix="bench-lifecycle-") as tmp:
            court_root, outbox = Path(tmp) / "court", Path(tmp) / "outbox"
            jurisdiction = bench_jurisdiction(court_root)
            clock = SharedClock(env)
            bench = Bench(env, client, log, clock, jurisdiction, court_root, outbox)
            worker = Worker(
                client,
                task_queue=TASK_QUEUE,
                workflows=[*workflows.WORKFLOWS, *baseline.WORKFLOWS],
                activities=[*CaseActivities(outbox_dir=outbox).all(), *baseline.ACTIVITIES],
            )
            # Results are awaited without unlocking time: only SharedClock moves it.
            with env.auto_time_skipping_disabled():
                async with worker:
                    await bench.measure_plan()
                    best = {"baseline": 0.0, "ours": 0.0}
                    for r in range(1, rounds + 1):
                        # A B B A ...: the server slows as it fills, so neither always goes last.
                        order = ["baseline", "ours"] if r % 2 else ["ours", "baseline"]
                        for name in order:
                            if name == "baseline":
                                seconds, healed = await bench.round(
                                    bench.baseline_begin, bench.baseline_finish, cases, concurrency
                                )
                            else:
                                seconds, healed = await bench.round(
                                    bench.real_begin, bench.real_finish, cases, concurrency
                                )
                            rate = cases / seconds
                            best[name] = max(best[name], rate)
                            print(
                                f"round {r} {name:<8} {cases} cases in {seconds:6.2f} s "
                                f"= {rate:6.2f} cases/s (test server: {healed} leaked locks healed)"
                            )
    print(f"best baseline throughput: {best['baseline']:.2f} cases/s")
    print(f"best ours throughput:     {best['ours']:.2f} cases/s")
    return best["ours"] / best["baseline"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20, help="cases per round (default 20)")
    parser.add_argument("--concurrency", type=int, default=10, help="cases at a time")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each (default 3)")
    args = parser.parse_args()
    print(
        f"lifecycle bench: {args.cases} happy-path cases ({OBLIGATIONS} obligations each), "
        f"concurrency {args.concurrency}, {args.rounds} rounds of each, alternating; best of each"
    )
    print(f"target: ratio (ours / baseline throughput) >= {TARGET_RATIO:.2f}")
    ratio = asyncio.run(run(args.cases, args.concurrency, args.rounds))
    print(f"bench lifecycle: ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
