"""The case remembers what completed a task (issue 17, finding 7): the mark the API sent
with the completion, kept on the task so an identical repeat can be answered as done."""

from domain.enums import TaskKind
from domain.tasks import CompletionMark, TaskCompletion
from tests.workflows.harness import Harness
from tests.workflows.steps import screening
from workflows.case import DiversionCase

MARK = CompletionMark(digest="9f" * 32, idempotency_key="inbox-retry-1")


async def test_the_mark_a_completion_carries_stays_on_the_task(harness: Harness) -> None:
    case = await harness.start()
    task = await case.task(TaskKind.SCREEN_CASE)
    done = await case.handle.execute_update(
        DiversionCase.complete_task,
        TaskCompletion(task_id=task.id, payload=screening(), mark=MARK),
    )
    assert done.completed_with == MARK
    kept = next(t for t in (await case.view()).tasks if t.id == task.id)
    assert kept.completed_with == MARK and kept.done_at is not None


async def test_a_completion_without_a_mark_leaves_none(harness: Harness) -> None:
    case = await harness.start()
    done = await case.complete(screening())
    assert done.completed_with is None
