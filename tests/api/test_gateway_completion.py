"""A task completion through the gateway, without Temporal (a scripted client records every
call it is asked for): the workflow's type and jurisdiction are checked before any update
reaches it, so an id naming another jurisdiction's case, or a workflow of another kind,
is refused without the update, on the path a missing id takes (issue 17's rule: one path,
one time, for missing, foreign and wrong-type ids)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

import pytest
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowUpdateFailedError
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import ApplicationError

from api.gateway import CaseGateway
from api.problems import ProblemError, ProblemKind
from api.visibility_query import CASE_TYPE
from domain.enums import Role, Stage, TaskKind
from domain.tasks import ActingAs, Task, TaskCompletion
from tests.api.walk import SCREENING
from workflows import search_attributes as sa

TASK_ID = "case-demo-north-cr-7.t1"  # a "demo" caller's case by its text, or "demo-north"'s
DEMO = ActingAs(roles=[Role.COORDINATOR], jurisdictions=["demo"])


def screening_task() -> Task:
    return Task(
        id=TASK_ID,
        kind=TaskKind.SCREEN_CASE,
        roles=[Role.COORDINATOR],
        stage=Stage.SCREENING,
        opened_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    )


@dataclass
class ScriptedClient:
    """Answers the update with `update` (a task, or an exception to raise) and a describe
    with a workflow of `workflow_type` in `jurisdiction`; notes each call."""

    update: Task | BaseException
    workflow_type: str = CASE_TYPE
    jurisdiction: str = "demo"
    calls: list[str] = field(default_factory=list)

    def get_workflow_handle(self, workflow_id: str, **_: Any) -> "ScriptedClient":
        return self

    async def execute_update(self, update: Any, completion: TaskCompletion) -> Task:
        self.calls.append("update")
        assert completion.acting_as == DEMO, "the case is told the caller's scope"
        if isinstance(self.update, BaseException):
            raise self.update
        return self.update

    async def describe(self) -> SimpleNamespace:
        self.calls.append("describe")
        return SimpleNamespace(
            id="case-demo-north-cr-7",
            workflow_type=self.workflow_type,
            status=WorkflowExecutionStatus.RUNNING,
            typed_search_attributes=TypedSearchAttributes(
                [SearchAttributePair(sa.JURISDICTION, self.jurisdiction)]
            ),
        )


def refused(type_: str, message: str) -> WorkflowUpdateFailedError:
    return WorkflowUpdateFailedError(ApplicationError(message, type=type_))


async def complete(client: ScriptedClient) -> Task:
    gateway = CaseGateway(cast(Client, client), {}, "diversion")
    completion = TaskCompletion.model_validate({"task_id": TASK_ID, "payload": SCREENING})
    return await gateway.complete(completion, DEMO)


async def test_a_completion_the_case_accepts_is_checked_then_sent() -> None:
    client = ScriptedClient(update=screening_task())
    assert (await complete(client)).id == TASK_ID
    assert client.calls == ["describe", "update"]


async def test_a_task_outside_the_callers_scope_reads_like_a_missing_one() -> None:
    # The id's text could be a "demo" case; it is "demo-north"'s, and never asked.
    client = ScriptedClient(
        update=refused("TaskNotVisible", f"no task {TASK_ID!r} for you"),
        jurisdiction="demo-north",
    )
    with pytest.raises(ProblemError) as answer:
        await complete(client)
    assert answer.value.kind is ProblemKind.NOT_FOUND
    assert client.calls == ["describe"]


async def test_a_workflow_of_another_type_reads_like_a_missing_task() -> None:
    # Its refusal names the updates it has: none of that reaches the caller.
    client = ScriptedClient(
        update=refused(
            "RuntimeError",
            "Update handler for 'complete_task' expected but not "
            "found, known updates: [secret_update]",
        ),
        workflow_type="ObligationWorkflow",
    )
    with pytest.raises(ProblemError) as answer:
        await complete(client)
    assert answer.value.kind is ProblemKind.NOT_FOUND
    assert "secret_update" not in answer.value.detail
    assert client.calls == ["describe"]
