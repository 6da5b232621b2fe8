"""A signal and an update that reach the case in one workflow task: the history they write
must replay. On replay the SDK may hand them to the handlers in the other order than live,
so what each emits must not depend on that order (workflows/case_handlers.py)."""

import asyncio
import uuid
from datetime import timedelta
from typing import Any

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import EventType, UpdateWorkflowExecutionLifecycleStage
from temporalio.api.update.v1 import UpdateRef, WaitPolicy
from temporalio.api.workflowservice.v1 import PollWorkflowExecutionUpdateRequest
from temporalio.client import WorkflowHandle, WorkflowHistory, WorkflowUpdateStage
from temporalio.service import RPCError, RPCStatusCode
from temporalio.worker import Worker

import workflows
from activities.adapter_directory import AdapterDirectory
from domain.enums import TaskKind
from domain.task_payloads import VerifyEvidence
from domain.tasks import TaskCompletion
from tests.workflows.conftest import worker_activities
from tests.workflows.harness import Harness
from tests.workflows.steps import through_conference
from workflows.case import DiversionCase
from workflows.messages import ObligationReport


async def test_a_signal_and_an_update_in_one_workflow_task_replay(harness: Harness) -> None:
    # A harness of our own, so its worker can be stopped while the two requests queue up.
    own = Harness(
        harness.env,
        f"order-{uuid.uuid4().hex[:8]}",
        harness.jurisdiction,
        harness.court_root,
        harness.outbox,
    )

    def worker(sticky: bool = True) -> Worker:
        return Worker(
            own.env.client,
            task_queue=own.task_queue,
            workflows=workflows.WORKFLOWS,
            activities=worker_activities(
                AdapterDirectory({"demo": own.jurisdiction}, outbox_dir=own.outbox)
            ),
            # Not sticky, the next workflow task goes to whichever worker polls next, not to
            # a stopped worker's queue.
            max_cached_workflows=1000 if sticky else 0,
        )

    async with worker(sticky=False):
        case = await own.start()
        await through_conference(case, count=1)
        task = await case.task(TaskKind.VERIFY_EVIDENCE)
        view = await case.view()
    assert task.occurrence is not None and task.obligation_index is not None

    # Worker down: the next occurrence falls due (the child's signal) while staff complete
    # this one (an update). Both open or close tasks, so both write memo and attributes.
    progress = view.obligations[task.obligation_index]
    now = await case.now()
    # The first report schedules a workflow task; the second lands after that, as a child's
    # report does when it races another event.
    for later in (1, 2):
        await case.handle.signal(
            DiversionCase.obligation_progress,
            ObligationReport(
                index=task.obligation_index,
                event="due",
                occurrence=task.occurrence + later,
                due=now + timedelta(days=14 * later),
                progress=progress,
            ),
        )
    completion = TaskCompletion(task_id=task.id, payload=VerifyEvidence(evidence_seen=True))
    update_id = f"complete-{task.id}"
    update = asyncio.create_task(
        case.handle.start_update(
            DiversionCase.complete_task,
            completion,
            id=update_id,
            wait_for_stage=WorkflowUpdateStage.ACCEPTED,
        )
    )
    await admitted(case.handle, update_id)

    async with worker():
        done = await (await update).result()
    assert done.id == task.id
    history = await case.handle.fetch_history()
    assert in_one_workflow_task(history, "obligation_progress", "complete_task")

    # Replay reads history only: a worker's stale poll cannot stall it.
    failures = await own.replay_everything()
    await own.terminate_leftovers()
    assert not failures, "\n".join(failures)


def in_one_workflow_task(history: WorkflowHistory, signal: str, update: str) -> bool:
    """Whether the signal was delivered in the workflow task that accepted the update."""
    waiting = handled_by_last_task = False
    for event in history.events:
        if event.event_type is EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
            name = event.workflow_execution_signaled_event_attributes.signal_name
            waiting = waiting or name == signal
        elif event.event_type is EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            # The first task completed after a signal is the one that received it; an
            # acceptance written after that completion was that task's too.
            handled_by_last_task, waiting = waiting, False
        elif event.event_type is EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            accepted = event.workflow_execution_update_accepted_event_attributes
            if accepted.accepted_request.input.name == update and handled_by_last_task:
                return True
    return False


async def admitted(handle: WorkflowHandle[Any, Any], update_id: str) -> None:
    """Return once the server holds the update, so the next workflow task carries it."""
    request = PollWorkflowExecutionUpdateRequest(
        namespace=handle._client.namespace,
        update_ref=UpdateRef(
            workflow_execution=WorkflowExecution(workflow_id=handle.id), update_id=update_id
        ),
        wait_policy=WaitPolicy(
            lifecycle_stage=UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED
        ),
    )
    while True:
        try:
            await handle._client.workflow_service.poll_workflow_execution_update(request)
            return
        except RPCError as err:
            if err.status is not RPCStatusCode.NOT_FOUND:
                raise
