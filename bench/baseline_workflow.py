"""A baseline for bench/lifecycle.py: the shape of a happy-path case, none of its logic.

`BaselineCase` does as many activities, timers, updates, child workflows and signals as
the `Plan` it is given, which lifecycle.py counts from the history of a real
`DiversionCase`. What the baseline leaves out is exactly what the bench measures: the
case's state, its pydantic payloads, validators, search attributes and domain rules.

Workflow classes live here, not in the bench script, so the sandbox can import them.
Running this file does nothing.
"""

import asyncio
from collections.abc import Callable
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel, Field

WAIT_TIMEOUT = timedelta(hours=1)  # like DiversionCase.next_task: started, then cancelled
SHORT_TIMER = timedelta(milliseconds=1)  # a timer that fires on its own


class ChildPlan(BaseModel):
    """What one child (an ObligationWorkflow in a real case) does."""

    activities: int = 0
    timers: int = 0
    timers_fired: int = 0
    signals_to_parent: int = 1
    signals_from_parent: int = 0


class Plan(BaseModel):
    """The counts of one real case's history, for the baseline to mirror."""

    updates: int
    activities: int = 0
    timers: int = 0
    timers_fired: int = 0
    children: int = 0
    children_after_update: int = 0
    signals_to_children: int = 0
    quiet_after_updates: list[int] = Field(
        default_factory=list,
        description="Update counts after which the client moves the clock: no timer is "
        "waiting then, so none fires early (a real case's waits are long there).",
    )
    child: ChildPlan = Field(default_factory=ChildPlan)


class ChildInput(BaseModel):
    parent_id: str
    index: int
    plan: ChildPlan


def spread(items: int, steps: int) -> list[int]:
    """`items` spread as evenly as possible over `steps` steps."""
    if steps <= 0:
        return []
    return [(i + 1) * items // steps - i * items // steps for i in range(steps)]


@activity.defn
async def baseline_noop(step: int) -> int:
    return step


@workflow.defn
class BaselineChild:
    @workflow.init
    def __init__(self, input: ChildInput) -> None:
        self._received = 0

    @workflow.run
    async def run(self, input: ChildInput) -> int:
        plan = input.plan
        parent = workflow.get_external_workflow_handle(input.parent_id)
        waits = plan.signals_from_parent
        steps = max(waits, 1)
        signals = spread(plan.signals_to_parent - 1, steps)
        activities = spread(plan.activities, steps)
        fired = spread(plan.timers_fired, steps)
        timed = [i < plan.timers - plan.timers_fired for i in range(waits)]
        timer = _timer(bool(timed) and timed[0])
        await parent.signal(BaselineCase.child_progress, input.index)
        for step in range(steps):
            if step < waits:
                await _wait(lambda: self._received > step, timer)  # noqa: B023
                timer = _timer(step + 1 < waits and timed[step + 1])
            await _work(activities[step], fired[step])
            for _ in range(signals[step]):
                await parent.signal(BaselineCase.child_progress, input.index)
        return self._received

    @workflow.signal
    def from_parent(self, step: int) -> None:
        self._received += 1


@workflow.defn
class BaselineCase:
    @workflow.init
    def __init__(self, plan: Plan) -> None:
        self._updates = 0
        self._child_signals = 0

    @workflow.run
    async def run(self, plan: Plan) -> int:
        activities = spread(plan.activities, plan.updates)
        fired = spread(plan.timers_fired, plan.updates)
        after_children = plan.updates - plan.children_after_update
        to_children = [0] * plan.children_after_update + spread(
            plan.signals_to_children, after_children
        )
        # Which waits for an update run a timer: not those across a clock move.
        timed, budget = [], plan.timers - plan.timers_fired
        for step in range(plan.updates):
            wanted = budget > 0 and step not in plan.quiet_after_updates
            budget -= wanted
            timed.append(wanted)
        children: list[workflow.ChildWorkflowHandle[BaselineChild, int]] = []
        signalled = 0
        timer = _timer(timed[0]) if timed else None
        for step in range(plan.updates):
            await _wait(lambda: self._updates > step, timer)  # noqa: B023
            # The next wait's timer starts before this step's work, as a case's would.
            timer = _timer(step + 1 < plan.updates and timed[step + 1])
            if step + 1 == plan.children_after_update:
                children = [await self._start_child(plan, i) for i in range(plan.children)]
            await _work(activities[step], fired[step])
            for _ in range(to_children[step]):
                if children:
                    await children[signalled % len(children)].signal(
                        BaselineChild.from_parent, step
                    )
                    signalled += 1
        expected = plan.children * plan.child.signals_to_parent
        await workflow.wait_condition(lambda: self._child_signals >= expected)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._updates

    async def _start_child(
        self, plan: Plan, index: int
    ) -> workflow.ChildWorkflowHandle[BaselineChild, int]:
        info = workflow.info()
        return await workflow.start_child_workflow(
            BaselineChild.run,
            ChildInput(parent_id=info.workflow_id, index=index, plan=plan.child),
            id=f"{info.workflow_id}.o{index}",
            parent_close_policy=ParentClosePolicy.ABANDON,
        )

    @workflow.update
    def step(self) -> int:
        self._updates += 1
        return self._updates

    @workflow.signal
    def child_progress(self, index: int) -> None:
        self._child_signals += 1

    @workflow.query
    def view(self) -> int:
        return self._updates


def _timer(wanted: bool) -> "asyncio.Task[None] | None":
    """A timer that is started now and cancelled once the awaited step arrives."""
    return asyncio.create_task(workflow.sleep(WAIT_TIMEOUT)) if wanted else None


async def _wait(done: Callable[[], bool], timer: "asyncio.Task[None] | None") -> None:
    await workflow.wait_condition(done)
    if timer is not None:
        timer.cancel()


async def _work(activities: int, timers: int) -> None:
    for n in range(activities):
        await workflow.execute_activity(
            baseline_noop, n, start_to_close_timeout=timedelta(seconds=30)
        )
    for _ in range(timers):
        await workflow.sleep(SHORT_TIMER)


WORKFLOWS = [BaselineCase, BaselineChild]
ACTIVITIES = [baseline_noop]
