"""The staff inbox and task completion. A task is visible only to the roles it is for."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, Query

from api import examples
from api.access import WORK_TASKS, allowed, caller_jurisdictions
from api.auth import Caller
from api.inbox import Cursor
from api.problems import ProblemError, ProblemKind, problem_responses
from api.referral_intake import IDEMPOTENCY_KEY
from api.schemas import InboxPage, TaskDetail
from api.services import Services, services
from domain.task_payloads import AssignFacilitators, TaskPayload
from domain.task_rules import visible_to
from domain.tasks import ActingAs, Task, TaskCompletion

router = APIRouter(prefix="/v1", tags=["tasks"])


@router.get(
    "/tasks",
    operation_id="list_my_tasks",
    response_model=InboxPage,
    responses=problem_responses(
        ProblemKind.VALIDATION, ProblemKind.UNAUTHORISED, ProblemKind.FORBIDDEN
    ),
)
async def list_my_tasks(
    caller: Annotated[Caller, Depends(allowed(WORK_TASKS))],
    found: Annotated[Services, Depends(services)],
    limit: Annotated[int, Query(ge=1, le=200)] = 25,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
) -> InboxPage:
    items, after = await found.inbox.page(
        caller.roles & WORK_TASKS,
        caller_jurisdictions(caller, found),
        limit=limit,
        after=Cursor.decode(cursor) if cursor else None,
        now=datetime.now(UTC),
    )
    return InboxPage(items=items, next_cursor=after.encode() if after else None)


async def my_task(
    task_id: str,
    caller: Annotated[Caller, Depends(allowed(WORK_TASKS))],
    found: Annotated[Services, Depends(services)],
) -> TaskDetail:
    """The task, if it is for one of the caller's roles in one of their jurisdictions."""
    scope = scope_of(caller, found)
    located = await found.gateway.task(task_id, scope.jurisdictions)
    # Another jurisdiction's task, or one for other roles, is as absent as a missing one.
    if located is None or not visible_to(scope, located[0], located[1].jurisdiction):
        raise ProblemError(ProblemKind.NOT_FOUND, f"no task {task_id!r} for you")
    task, case = located
    now = datetime.now(UTC)
    return TaskDetail(
        task=task,
        case=case,
        overdue=task.done_at is None and task.due_at is not None and task.due_at < now,
    )


TASK_PROBLEMS = (ProblemKind.UNAUTHORISED, ProblemKind.FORBIDDEN, ProblemKind.NOT_FOUND)


@router.get(
    "/tasks/{task_id}",
    operation_id="get_task",
    response_model=TaskDetail,
    responses=problem_responses(*TASK_PROBLEMS),
)
async def get_task(detail: Annotated[TaskDetail, Depends(my_task)]) -> TaskDetail:
    return detail


@router.post(
    "/tasks/{task_id}/complete",
    operation_id="complete_task",
    response_model=Task,
    responses=problem_responses(
        *TASK_PROBLEMS,
        ProblemKind.VALIDATION,
        ProblemKind.TASK_REJECTED,
        ProblemKind.IDEMPOTENCY_KEY_REUSED,
    ),
)
async def complete_task(
    task_id: str,
    payload: Annotated[TaskPayload, Body(openapi_examples=examples.TASK_COMPLETIONS)],
    caller: Annotated[Caller, Depends(allowed(WORK_TASKS))],
    found: Annotated[Services, Depends(services)],
    idempotency_key: Annotated[
        str | None,
        Header(
            description="Retry safely: the same key and payload answer the completed task.",
            pattern=IDEMPOTENCY_KEY.pattern,
        ),
    ] = None,
) -> Task:
    """Answered with the case's own verdict: 422 `task-rejected` says why it refused.
    Facilitators are named by their roster id; pre-meetings and the outcome are accepted
    only from the case's assigned facilitators. A repeat of the completion that closed
    the task (the same payload from the same caller, or the same `Idempotency-Key`)
    answers 200 with the closed task."""
    if isinstance(payload, AssignFacilitators):
        payload = await with_current_roster(task_id, payload, caller, found)
    completion = TaskCompletion(task_id=task_id, payload=payload, completed_by=caller.subject)
    return await found.gateway.complete(
        completion, scope_of(caller, found), idempotency_key=idempotency_key
    )


async def with_current_roster(
    task_id: str, payload: AssignFacilitators, caller: Caller, found: Services
) -> AssignFacilitators:
    """The assignment with the roster entries of the ids it names, from the jurisdictions
    file as this process loaded it; the case checks them (domain/facilitation.py). A caller
    cannot supply entries: whatever it sent in `roster` is replaced."""
    detail = await my_task(task_id, caller, found)
    jurisdiction = found.jurisdictions.get(detail.case.jurisdiction)
    return payload.with_roster(jurisdiction.roster if jurisdiction is not None else [])


def scope_of(caller: Caller, found: Services) -> ActingAs:
    return ActingAs(
        roles=sorted(caller.roles & WORK_TASKS), jurisdictions=caller_jurisdictions(caller, found)
    )
