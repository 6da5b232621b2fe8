"""Workflows whose workflow task keeps failing, and putting one back on its feet.

A case whose workflow task fails again and again does not move: its timers fire into a
task that fails, every read of it answers 5xx, and nothing tells staff. The usual cause is
a history that no longer replays against the code: a change deployed without
`workflow.patched`, or an SDK fault (the fault run found one: an update and an activity
result taken up in one task by a fresh worker, recorded in one order and replayed in the
other; tests/operations/diverged/ holds that history).

The Temporal server flags such a workflow itself, in the system search attribute
`TemporalReportedProblems`, once its task has failed or timed out a set number of times in a
row (dynamic config `system.numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute`;
the dev server here sets 2, a production cluster must set it too). `stalled_workflows`
lists them; `diverging_task` finds the first workflow task whose recorded commands today's
code no longer makes; `reset_to` resets the run to just before that task, so it runs again
from the events before it. Signals and updates received after that point are applied again
by the server (an update refused by its validator this time leaves its task open again in
the inbox, where staff see it); activities after it run again, under the same idempotency
keys (the court deduplicates filings).
"""

import uuid
from dataclasses import dataclass

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.api.workflowservice.v1 import ResetWorkflowExecutionRequest
from temporalio.client import Client, WorkflowHistory
from temporalio.service import RPCError, RPCStatusCode
from temporalio.worker import Replayer

PROBLEMS = "TemporalReportedProblems"
# The server's dynamic config key, and the value the dev server runs with: flagged after
# two failures in a row (one is often a worker killed mid-task, which heals itself).
PROBLEMS_THRESHOLD_KEY = "system.numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute"
PROBLEMS_THRESHOLD = 2

_TASK_COMPLETED = EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
# What a reset applies again from the old run: the staff's and the court's actions.
_UPDATE_ACCEPTED = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
_SIGNALED = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED


class RepairError(RuntimeError):
    """The workflow cannot be repaired as asked; the message says why."""


@dataclass(frozen=True)
class StalledWorkflow:
    workflow_id: str
    run_id: str
    workflow_type: str
    problems: tuple[str, ...]  # e.g. "category=WorkflowTaskFailed", "cause=..."


@dataclass(frozen=True)
class Divergence:
    """The first workflow task today's code does not replay as recorded."""

    task_completed_event_id: int
    failure: str
    # Staff and court actions recorded after that task, applied again by a reset.
    reapplied: tuple[str, ...]


STALLED_QUERY = f"{PROBLEMS} IS NOT NULL AND ExecutionStatus = 'Running'"


async def stalled_workflows(client: Client) -> list[StalledWorkflow]:
    """Running workflows the server has flagged for repeated workflow task problems."""
    found = []
    async for execution in client.list_workflows(STALLED_QUERY):
        problems = execution.search_attributes.get(PROBLEMS, [])
        found.append(
            StalledWorkflow(
                workflow_id=execution.id,
                run_id=execution.run_id,
                workflow_type=execution.workflow_type,
                problems=tuple(str(p) for p in problems),
            )
        )
    return sorted(found, key=lambda w: w.workflow_id)


async def count_stalled(client: Client) -> int:
    return (await client.count_workflows(STALLED_QUERY)).count


async def diverging_task(history: WorkflowHistory, replayer: Replayer) -> Divergence | None:
    """None when the whole history replays; else the first task that does not.

    A prefix of the history that ends with task k+1 completed checks every command of the
    tasks up to k against the code (task k+1's own commands have no events yet, so they
    are taken as new). Replay failing is monotone in the prefix, so a binary search over
    the completed tasks finds the first one that fails in log n replays.
    """
    whole = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    if whole.replay_failure is None:
        return None
    events = list(history.events)
    completed = [i for i, e in enumerate(events) if e.event_type == _TASK_COMPLETED]
    if not completed:
        raise RepairError("no workflow task of this run ever completed: a reset cannot help")

    async def replays_through(task: int) -> bool:
        # Task `task`'s commands are checked once the next task has completed.
        end = completed[task + 1] + 1 if task + 1 < len(completed) else len(events)
        prefix = WorkflowHistory(history.workflow_id, events[:end])
        result = await replayer.replay_workflow(prefix, raise_on_replay_failure=False)
        return result.replay_failure is None

    low, high = 0, len(completed) - 1  # find the first task that does not replay
    while low < high:
        middle = (low + high) // 2
        if await replays_through(middle):
            low = middle + 1
        else:
            high = middle
    event_id = events[completed[low]].event_id
    return Divergence(
        task_completed_event_id=event_id,
        failure=str(whole.replay_failure),
        reapplied=tuple(_actions_after(events[completed[low] :])),
    )


def _actions_after(events: list[HistoryEvent]) -> list[str]:
    actions = []
    for event in events:
        if event.event_type == _UPDATE_ACCEPTED:
            accepted = event.workflow_execution_update_accepted_event_attributes
            actions.append(f"update {accepted.accepted_request.input.name}")
        elif event.event_type == _SIGNALED:
            actions.append(
                f"signal {event.workflow_execution_signaled_event_attributes.signal_name}"
            )
    return actions


async def reset_to(
    client: Client, workflow_id: str, run_id: str, divergence: Divergence, reason: str
) -> str:
    """Reset the run to just before the diverging task; returns the new run's id."""
    response = await client.workflow_service.reset_workflow_execution(
        ResetWorkflowExecutionRequest(
            namespace=client.namespace,
            workflow_execution=WorkflowExecution(workflow_id=workflow_id, run_id=run_id),
            reason=reason,
            workflow_task_finish_event_id=divergence.task_completed_event_id,
            request_id=str(uuid.uuid4()),
        )
    )
    return str(response.run_id)


async def repair(
    client: Client, replayer: Replayer, workflow_id: str, *, apply: bool
) -> tuple[Divergence | None, str | None]:
    """Find where a workflow's history stops replaying and, with `apply`, reset it there.

    Returns the divergence (None: the history replays; the task fails for another reason,
    which a reset would not cure) and the new run id when reset.
    """
    try:
        description = await client.get_workflow_handle(workflow_id).describe()
    except RPCError as e:
        if e.status is RPCStatusCode.NOT_FOUND:
            raise RepairError(f"no workflow {workflow_id} in namespace {client.namespace}") from e
        raise
    if description.status is None or description.status.name != "RUNNING":
        raise RepairError(f"{workflow_id} is not running ({description.status}); nothing to repair")
    history = await client.get_workflow_handle(
        workflow_id, run_id=description.run_id
    ).fetch_history()
    divergence = await diverging_task(history, replayer)
    if divergence is None or not apply:
        return divergence, None
    reason = (
        f"repair: task completed at event {divergence.task_completed_event_id} "
        "no longer replays against the code"
    )
    new_run = await reset_to(client, workflow_id, description.run_id, divergence, reason)
    return divergence, new_run
