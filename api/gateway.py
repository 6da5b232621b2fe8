"""The API's one door to Temporal: describe, query, list and update cases (referrals
start them in api/referral_intake.py, through this gateway).

Routes call this and hold no rule of their own. Temporal failures become problems here:
an unknown case is `not-found`, a refused update is `task-rejected` with the workflow's
own reason, an unreachable cluster is `upstream-unavailable`.

A case or task id from a caller reaches a query or an update only through `case_for`:
the id parsed strictly (api/case_ids.py), the workflow described, its type and its
jurisdiction (a search attribute) checked. Missing, foreign and wrong-type ids all end
there, on one path, as None.
"""

from collections.abc import Awaitable, Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from pydantic_core import PydanticSerializationError
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import (
    Client,
    WorkflowExecution,
    WorkflowExecutionDescription,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowQueryFailedError,
    WorkflowUpdateFailedError,
)
from temporalio.common import TypedSearchAttributes
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from api.case_ids import case_id_of_task, case_jurisdictions
from api.problems import ProblemError, ProblemKind
from api.schemas import CaseSummary
from api.task_repeats import completion_mark, repeat_answer
from api.visibility_query import CASE_TYPE, in_list, quote
from domain.case import CaseState
from domain.enums import Outcome, Stage
from domain.policy import Jurisdiction
from domain.recidivism import FollowUpState
from domain.task_rules import TaskNotVisible, visible_to
from domain.tasks import ActingAs, Task, TaskCompletion
from workflows import search_attributes as sa
from workflows.case import DiversionCase
from workflows.follow_up import RecidivismFollowUp
from workflows.follow_up_input import follow_up_workflow_id

T = TypeVar("T")


def summary_of(execution: WorkflowExecution) -> CaseSummary:
    return case_summary(
        execution.id,
        execution.typed_search_attributes,
        running=execution.status == WorkflowExecutionStatus.RUNNING,
        started_at=execution.start_time,
    )


def case_summary(
    case_id: str, attrs: TypedSearchAttributes, *, running: bool, started_at: datetime
) -> CaseSummary:
    stage = attrs.get(sa.STAGE)
    outcome = attrs.get(sa.OUTCOME)
    return CaseSummary(
        case_id=case_id,
        jurisdiction=attrs.get(sa.JURISDICTION) or "",
        court_case_number=attrs.get(sa.COURT_CASE_NUMBER) or "",
        stage=Stage(stage) if stage else None,
        outcome=Outcome(outcome) if outcome else None,
        next_deadline=attrs.get(sa.NEXT_DEADLINE),
        open=running,
        started_at=started_at,
    )


class CaseGateway:
    def __init__(
        self,
        client: Client,
        jurisdictions: Mapping[str, Jurisdiction],
        task_queue: str,
        *,
        completion_secret: bytes = b"",
    ) -> None:
        self.client = client
        self.jurisdictions = jurisdictions
        self.task_queue = task_queue
        self._completion_secret = completion_secret  # keys task completion marks

    # -- reading cases ----------------------------------------------------------------------

    async def summary(self, case_id: str) -> CaseSummary:
        return summary_of(await self.describe(case_id))

    async def case_for(
        self, case_id: str, jurisdictions: Collection[str]
    ) -> WorkflowExecutionDescription | None:
        """The case `case_id`, if it is a case of one of `jurisdictions`; None for an id
        that is missing, another jurisdiction's or another workflow's. Whatever the id,
        the answer takes one of two paths, chosen by the id's text alone: no call at all
        when it cannot name a case of these jurisdictions, else one describe."""
        if not case_jurisdictions(case_id, jurisdictions):
            return None
        described = await _unless_missing(self.describe(case_id))
        if described is None or described.workflow_type != CASE_TYPE:
            return None
        if described.typed_search_attributes.get(sa.JURISDICTION) not in jurisdictions:
            return None
        return described

    async def view(self, case_id: str) -> CaseState:
        handle = self.client.get_workflow_handle_for(DiversionCase.run, case_id)
        return await self.call(handle.query(DiversionCase.view))

    async def follow_up(self, case_id: str) -> FollowUpState | None:
        """The case's re-arrest follow-up, or None before the case has closed (or when
        the policy asks for none)."""
        handle = self.client.get_workflow_handle_for(
            RecidivismFollowUp.run, follow_up_workflow_id(case_id)
        )
        return await _unless_missing(self.call(handle.query(RecidivismFollowUp.view)))

    async def task(
        self, task_id: str, jurisdictions: Collection[str]
    ) -> tuple[Task, CaseSummary] | None:
        """The task and its case's summary, if its case is one of `jurisdictions`'."""
        case_id = case_id_of_task(task_id)
        described = None if case_id is None else await self.case_for(case_id, jurisdictions)
        if case_id is None or described is None:
            return None
        return await self._task_of(described, task_id)

    async def _task_of(
        self, described: WorkflowExecutionDescription, task_id: str
    ) -> tuple[Task, CaseSummary] | None:
        case = await _unless_missing(self.view(described.id))
        found = None if case is None else next((t for t in case.tasks if t.id == task_id), None)
        return (found, summary_of(described)) if found is not None else None

    async def list_cases(
        self,
        jurisdictions: Sequence[str],
        *,
        stage: Stage | None,
        outcome: Outcome | None,
        court_case_number: str | None,
        limit: int,
        cursor: bytes | None,
    ) -> tuple[list[CaseSummary], bytes | None]:
        query = f"WorkflowType = {quote(CASE_TYPE)} AND {sa.JURISDICTION.name} IN " + in_list(
            jurisdictions
        )
        if stage is not None:
            query += f" AND {sa.STAGE.name} = {quote(stage.value)}"
        if outcome is not None:
            query += f" AND {sa.OUTCOME.name} = {quote(outcome.value)}"
        if court_case_number is not None:
            from domain.case import case_workflow_id  # normalised: any spelling matches

            ids = [case_workflow_id(j, court_case_number) for j in jurisdictions]
            query += f" AND WorkflowId IN {in_list(ids)}"
        pages = self.client.list_workflows(query, page_size=limit, next_page_token=cursor)
        await self.call(pages.fetch_next_page())
        return [summary_of(e) for e in pages.current_page or []], pages.next_page_token or None

    # -- acting on cases ----------------------------------------------------------------------

    async def complete(
        self, completion: TaskCompletion, scope: ActingAs, *, idempotency_key: str | None = None
    ) -> Task:
        """The case's own check of the caller's scope stays behind this one: a task
        outside it is refused by the case, and that refusal reads like a missing task.
        A repeat of the request that completed the task is answered with the task
        (api/task_repeats.py)."""
        not_yours = ProblemError(ProblemKind.NOT_FOUND, f"no task {completion.task_id!r} for you")
        case_id = case_id_of_task(completion.task_id)
        described = None if case_id is None else await self.case_for(case_id, scope.jurisdictions)
        if described is None:
            raise not_yours
        mark = completion_mark(self._completion_secret, completion, idempotency_key)
        refusal = ProblemError(ProblemKind.TASK_REJECTED, "the case is closed")
        if described.status == WorkflowExecutionStatus.RUNNING:
            handle = self.client.get_workflow_handle(described.id)
            marked = completion.model_copy(update={"acting_as": scope, "mark": mark})
            try:
                update = handle.execute_update(DiversionCase.complete_task, marked)
                done: Task = await self.call(update)
                return done
            except WorkflowUpdateFailedError as e:
                if _failure_type(e) == TaskNotVisible.__name__:
                    raise not_yours from None
                refusal = ProblemError(ProblemKind.TASK_REJECTED, _reason(e))
            except ProblemError as e:
                if e.kind is not ProblemKind.NOT_FOUND:
                    raise
        # Refused, or the case has closed (before or during this request): a repeat of
        # what completed the task is answered as done; the rest is said to whoever the
        # task was for, and to nobody else.
        located = await self._task_of(described, completion.task_id)
        if located is None or not visible_to(scope, located[0], located[1].jurisdiction):
            raise not_yours
        repeated = repeat_answer(located[0], mark)
        if repeated is not None:
            return repeated
        raise refusal

    async def update(self, case_id: str, update: Any, argument: Any) -> Any:
        handle: WorkflowHandle[Any, Any] = self.client.get_workflow_handle(case_id)
        try:
            return await self.call(handle.execute_update(update, argument))
        except WorkflowUpdateFailedError as e:
            raise ProblemError(ProblemKind.TASK_REJECTED, _reason(e)) from None
        except ProblemError as e:
            # Callers checked the case exists: "not found" here means it has finished.
            if e.kind is ProblemKind.NOT_FOUND:
                raise ProblemError(ProblemKind.TASK_REJECTED, "the case is closed") from None
            raise

    # -- readiness ---------------------------------------------------------------------------

    async def worker_polling(self) -> bool:
        described = await self.client.workflow_service.describe_task_queue(
            DescribeTaskQueueRequest(
                namespace=self.client.namespace,
                task_queue=TaskQueue(name=self.task_queue),
                task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
            )
        )
        return len(described.pollers) > 0

    # -- plumbing ------------------------------------------------------------------------------

    async def describe(self, case_id: str) -> WorkflowExecutionDescription:
        return await self.call(self.client.get_workflow_handle(case_id).describe())

    async def call(self, awaitable: Awaitable[T]) -> T:
        try:
            return await awaitable
        except RPCError as e:
            raise _rpc_problem(e) from None
        except WorkflowQueryFailedError as e:
            raise ProblemError(
                ProblemKind.UPSTREAM_UNAVAILABLE, f"the case could not be read: {e}"
            ) from None
        except PydanticSerializationError as e:
            # The payload converter could not encode what the caller sent: bodies are
            # read strictly (api/strict_json.py), so this is a last line, not a path.
            if "UnicodeEncodeError" not in str(e):
                raise
            raise ProblemError(
                ProblemKind.VALIDATION,
                "the request holds text that is not valid Unicode (a lone surrogate)",
            ) from None


async def _unless_missing(awaitable: Awaitable[T]) -> T | None:
    """What `awaitable` gives, or None when the workflow it reads does not exist."""
    try:
        return await awaitable
    except ProblemError as e:
        if e.kind is ProblemKind.NOT_FOUND:
            return None
        raise


def _failure_type(error: WorkflowUpdateFailedError) -> str | None:
    """The name of the exception the workflow raised (the SDK keeps it as the type)."""
    cause: BaseException | None = error.cause
    while cause is not None:
        if isinstance(cause, ApplicationError):
            return cause.type
        cause = cause.__cause__
    return None


def _reason(error: WorkflowUpdateFailedError) -> str:
    cause: BaseException | None = error.cause
    while cause is not None:
        if isinstance(cause, ApplicationError) and cause.message:
            return cause.message
        cause = cause.__cause__
    return str(error)


def _rpc_problem(error: RPCError) -> ProblemError:
    if error.status == RPCStatusCode.NOT_FOUND:
        return ProblemError(ProblemKind.NOT_FOUND, "no such case")
    if error.status in (RPCStatusCode.FAILED_PRECONDITION,):
        return ProblemError(ProblemKind.TASK_REJECTED, "the case is closed")
    if error.status in (RPCStatusCode.INVALID_ARGUMENT,):
        return ProblemError(ProblemKind.VALIDATION, error.message)
    return ProblemError(
        ProblemKind.UPSTREAM_UNAVAILABLE,
        f"the workflow service did not answer ({error.status.name})",
    )
