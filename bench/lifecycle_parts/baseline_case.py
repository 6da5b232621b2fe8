"""A baseline case: the real driver's updates, queries and clock moves, replayed against
a `BaselineCase` (bench/baseline_workflow.py)."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

import baseline_workflow as baseline
from history_shape import family
from shared_clock import Step
from temporalio.client import WorkflowHandle

from .harness import TASK_QUEUE, Bench


@dataclass
class BaselineRun:
    handle: WorkflowHandle[baseline.BaselineCase, int]
    sent: int = 0


async def baseline_begin(bench: Bench, n: int) -> BaselineRun:
    """The first phase: started, then the script up to where the real case's agreement was."""
    plan = bench.require_plan()
    handle = await bench.client.start_workflow(
        baseline.BaselineCase.run,
        plan,
        id=f"baseline-{uuid.uuid4().hex[:10]}-{n}",
        task_queue=TASK_QUEUE,
    )
    run = BaselineRun(handle)
    await replay(bench, run, bench.script[: bench.split])
    return run


async def baseline_finish(bench: Bench, run: BaselineRun) -> list[str]:
    """The second phase: the rest of the script; the ids of the case and its children."""
    plan = bench.require_plan()
    await replay(bench, run, bench.script[bench.split :])
    if await run.handle.result() != plan.updates:
        raise RuntimeError(f"{run.handle.id} did not see its {plan.updates} updates")
    return family(run.handle.id, plan.children)


async def replay(bench: Bench, run: BaselineRun, steps: list[Step]) -> None:
    for step in steps:
        if step == "update":
            await run.handle.execute_update(baseline.BaselineCase.step)
        elif step == "query":
            await run.handle.query(baseline.BaselineCase.view)
        else:
            assert isinstance(step, timedelta)
            await bench.clock.advance(step)
