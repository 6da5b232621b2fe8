"""A task completion that is wrong, early or repeated is refused before it touches history."""

from collections.abc import Awaitable

import pytest
from temporalio.client import WorkflowUpdateFailedError

from domain.enums import DispositionKind, TaskKind
from domain.task_payloads import AssignFacilitators
from tests.workflows.harness import Harness
from tests.workflows.steps import (
    FACILITATOR,
    ROSTER,
    TRAINEE,
    screening,
    through_engagement,
    victim_consent,
)
from workflows.case import DiversionCase
from workflows.messages import Disposition


async def refused(update: Awaitable[object]) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await update
    return str(failure.value.cause)


async def test_wrong_payload_for_the_task_is_refused(harness: Harness) -> None:
    case = await harness.start()
    task = await case.task(TaskKind.SCREEN_CASE)
    message = await refused(case.complete(victim_consent(), task.id))
    assert "is a screen_case task, not victim_consent" in message
    history = await case.handle.fetch_history()
    assert not any(
        e.HasField("workflow_execution_update_accepted_event_attributes")
        and e.workflow_execution_update_accepted_event_attributes.accepted_request.input.name
        == "complete_task"
        for e in history.events
    ), "a rejection leaves no trace"


async def test_a_task_already_done_is_refused(harness: Harness) -> None:
    case = await harness.start()
    done = await case.complete(screening())
    message = await refused(case.complete(screening(), done.id))
    assert "already done" in message


async def test_unknown_task_and_unaccepted_instrument_are_refused(harness: Harness) -> None:
    case = await harness.start()
    task = await case.task(TaskKind.SCREEN_CASE)
    assert "no task" in await refused(case.complete(screening(), "case-demo-x.t99"))
    bad = screening(risk=screening().risk.model_copy(update={"instrument": "MADE-UP"}))
    assert "not accepted here" in await refused(case.complete(bad, task.id))


async def test_facilitators_need_the_family_violence_endorsement(harness: Harness) -> None:
    case = await harness.start()
    await through_engagement(case)
    task = await case.task(TaskKind.ASSIGN_FACILITATORS)
    with_trainee = AssignFacilitators(facilitators=[FACILITATOR.id, TRAINEE.id]).with_roster(ROSTER)
    assert TRAINEE.name in await refused(case.complete(with_trainee, task.id))
    one = AssignFacilitators(facilitators=[FACILITATOR.id]).with_roster(ROSTER)
    assert "2 different facilitators" in await refused(case.complete(one, task.id))


async def test_malformed_payload_is_refused(harness: Harness) -> None:
    case = await harness.start()
    task = await case.task(TaskKind.SCREEN_CASE)
    with pytest.raises(WorkflowUpdateFailedError):
        await case.handle.execute_update(
            "complete_task", {"task_id": task.id, "payload": {"kind": "screen_case"}}
        )
    assert (await case.view()).open_tasks()[0].id == task.id


async def test_disposition_before_the_final_report_is_refused(harness: Harness) -> None:
    case = await harness.start()
    update = case.handle.execute_update(
        DiversionCase.record_disposition,
        Disposition(kind=DispositionKind.COMPLETED, decided_on=await case.now()),
    )
    assert "after the final report" in await refused(update)
