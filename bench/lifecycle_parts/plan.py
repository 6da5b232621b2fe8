"""The baseline's plan: one real case run alone, its driver recorded and its history
counted, then the baseline calibrated until its history matches."""

import collections
from datetime import timedelta

import baseline_workflow as baseline
from history_shape import count_events, describe, updates_before_first_child
from temporalio.client import WorkflowHistory

from .baseline_case import baseline_begin, baseline_finish
from .harness import Bench
from .heal import settle
from .real_case import real_begin, real_finish

CALIBRATION_RUNS = 3


async def history_counts(
    bench: Bench, workflow_id: str
) -> tuple[WorkflowHistory, collections.Counter[str]]:
    history = await bench.client.get_workflow_handle(workflow_id).fetch_history()
    return history, count_events(history)


async def measure_plan(bench: Bench) -> None:
    """Run one real case alone, recording its driver; the baseline will mirror both."""
    bench.log.recording = True
    async with bench.clock.joined():
        case = await real_begin(bench, 0)
    bench.split = len(bench.log.steps[case.handle.id])
    await settle(bench, await real_finish(bench, case))
    bench.log.recording = False
    bench.script = bench.log.steps[case.handle.id]
    history, counts = await history_counts(bench, case.handle.id)
    _, child = await history_counts(bench, f"{case.handle.id}.o0")
    accepted = counts["WORKFLOW_EXECUTION_UPDATE_ACCEPTED"]
    sent = bench.script.count("update")
    if accepted != sent:
        raise RuntimeError(f"history has {accepted} updates, the driver sent {sent}")
    moves = [s for s in bench.script if isinstance(s, timedelta)]
    quiet = [bench.script[:i].count("update") for i, s in enumerate(bench.script) if s in moves]
    bench.plan = baseline.Plan(
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
    if any(isinstance(s, timedelta) for s in bench.script[bench.split :]):
        raise RuntimeError("the clock moves after the agreement: the phases would mix")
    print(
        f"driver      {sent} updates, {bench.script.count('query')} queries, "
        f"{len(moves)} clock moves ({', '.join(str(m) for m in moves)}) per case"
    )
    print(f"real case   {describe(counts, child)}")
    # A timer whose wait ends in the same workflow task is never sent: top such up.
    for _ in range(CALIBRATION_RUNS):
        mirrored, mirrored_child = await one_baseline(bench)
        missing = counts["TIMER_STARTED"] - mirrored["TIMER_STARTED"]
        if missing == 0:
            break
        bench.plan.timers += missing
    print(f"baseline    {describe(mirrored, mirrored_child)}")


async def one_baseline(
    bench: Bench,
) -> tuple[collections.Counter[str], collections.Counter[str]]:
    async with bench.clock.joined():
        run = await baseline_begin(bench, 0)
    await settle(bench, await baseline_finish(bench, run))
    _, counts = await history_counts(bench, run.handle.id)
    _, child = await history_counts(bench, f"{run.handle.id}.o0")
    return counts, child
