"""The API's one door to Temporal: start, describe, query, list and update cases.

Routes call this and hold no rule of their own. Temporal failures become problems here:
an unknown case is `not-found`, a refused update is `task-rejected` with the workflow's
own reason, an unreachable cluster is `upstream-unavailable`.
"""

import hashlib
import json
import re
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any, TypeVar

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
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from api.problems import ProblemError, ProblemKind
from api.schemas import CaseSummary
from diversion.cases import start_case
from domain.case import CaseState
from domain.diff import changed_paths
from domain.enums import Outcome, Stage
from domain.policy import Jurisdiction
from domain.referral import Referral
from domain.tasks import Task
from workflows import search_attributes as sa
from workflows.case import DiversionCase

CASE_TYPE = "DiversionCase"
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
FINGERPRINT_MEMO = "referral_sha256"
T = TypeVar("T")


def quote(value: str) -> str:
    """A visibility-query string literal; callers pass only validated identifiers."""
    if "'" in value or "\\" in value:
        raise ValueError(f"refusing to quote {value!r}")
    return f"'{value}'"


def in_list(values: Sequence[str]) -> str:
    return "(" + ", ".join(quote(v) for v in values) + ")"


def summary_of(execution: WorkflowExecution) -> CaseSummary:
    attrs = execution.typed_search_attributes
    stage = attrs.get(sa.STAGE)
    outcome = attrs.get(sa.OUTCOME)
    return CaseSummary(
        case_id=execution.id,
        jurisdiction=attrs.get(sa.JURISDICTION) or "",
        court_case_number=attrs.get(sa.COURT_CASE_NUMBER) or "",
        stage=Stage(stage) if stage else None,
        outcome=Outcome(outcome) if outcome else None,
        next_deadline=attrs.get(sa.NEXT_DEADLINE),
        open=execution.status == WorkflowExecutionStatus.RUNNING,
        started_at=execution.start_time,
    )


def fingerprint(referral: Referral) -> str:
    canonical = json.dumps(referral.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class CaseGateway:
    def __init__(
        self, client: Client, jurisdictions: Mapping[str, Jurisdiction], task_queue: str
    ) -> None:
        self.client = client
        self.jurisdictions = jurisdictions
        self.task_queue = task_queue

    # -- referrals ------------------------------------------------------------------------

    async def refer(
        self, referral: Referral, *, idempotency_key: str | None = None
    ) -> tuple[CaseSummary, bool]:
        """(case, created). A repeat with the same content finds the case; one with other
        content is a conflict naming the fields; a reused key with other content is refused."""
        jurisdiction = self.jurisdictions[referral.jurisdiction]
        print_ = fingerprint(referral)
        if idempotency_key is not None:
            earlier = await self._referred_with_key(jurisdiction.id, idempotency_key)
            if earlier is not None:
                if await self._memo_str(earlier, FINGERPRINT_MEMO) != print_:
                    raise ProblemError(
                        ProblemKind.IDEMPOTENCY_KEY_REUSED,
                        f"Idempotency-Key {idempotency_key!r} was used for another referral "
                        f"(case {earlier.id}); use a new key for a new request",
                    )
                return summary_of(earlier), True  # the original answer, replayed
        handle, started = await self._call(
            start_case(
                self.client,
                referral,
                jurisdiction,
                self.task_queue,
                memo={FINGERPRINT_MEMO: print_},
                idempotency_key=idempotency_key,
            )
        )
        if not started:
            existing = await self.view(handle.id)
            differing = changed_paths(
                existing.referral.model_dump(mode="json"), referral.model_dump(mode="json")
            )
            if differing:
                raise ProblemError(
                    ProblemKind.CONFLICT,
                    f"court case {referral.court.case_number} was already referred with "
                    f"different content ({', '.join(differing)})",
                    case_id=handle.id,
                    differing_fields=differing,
                )
        return await self.summary(handle.id), started

    async def _referred_with_key(self, jurisdiction: str, key: str) -> WorkflowExecution | None:
        query = (
            f"WorkflowType = {quote(CASE_TYPE)} AND {sa.JURISDICTION.name} = {quote(jurisdiction)}"
            f" AND {sa.REFERRAL_KEY.name} = {quote(key)}"
        )
        async for execution in self.client.list_workflows(query, limit=1):
            return execution
        return None

    async def _memo_str(self, execution: WorkflowExecution, key: str) -> str | None:
        value: object = await execution.memo_value(key, None, type_hint=str)
        return value if isinstance(value, str) else None

    # -- reading cases ----------------------------------------------------------------------

    async def summary(self, case_id: str) -> CaseSummary:
        return summary_of(await self._describe(case_id))

    async def jurisdiction_of(self, case_id: str) -> str | None:
        """The case's jurisdiction, or None when there is no such case."""
        try:
            described = await self._describe(case_id)
        except ProblemError as e:
            if e.kind is ProblemKind.NOT_FOUND:
                return None
            raise
        if described.workflow_type != CASE_TYPE:
            return None
        return described.typed_search_attributes.get(sa.JURISDICTION)

    async def view(self, case_id: str) -> CaseState:
        handle = self.client.get_workflow_handle_for(DiversionCase.run, case_id)
        return await self._call(handle.query(DiversionCase.view))

    async def task(self, task_id: str) -> tuple[Task, CaseState] | None:
        case = await self.view(case_id_of_task(task_id))
        found = next((t for t in case.tasks if t.id == task_id), None)
        return (found, case) if found is not None else None

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
        await self._call(pages.fetch_next_page())
        return [summary_of(e) for e in pages.current_page or []], pages.next_page_token or None

    # -- acting on cases ----------------------------------------------------------------------

    async def update(self, case_id: str, update: Any, argument: Any) -> Any:
        handle: WorkflowHandle[Any, Any] = self.client.get_workflow_handle(case_id)
        try:
            return await self._call(handle.execute_update(update, argument))
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

    async def _describe(self, case_id: str) -> WorkflowExecutionDescription:
        return await self._call(self.client.get_workflow_handle(case_id).describe())

    async def _call(self, awaitable: Awaitable[T]) -> T:
        try:
            return await awaitable
        except RPCError as e:
            raise _rpc_problem(e) from None
        except WorkflowQueryFailedError as e:
            raise ProblemError(
                ProblemKind.UPSTREAM_UNAVAILABLE, f"the case could not be read: {e}"
            ) from None


def case_id_of_task(task_id: str) -> str:
    case_id, sep, number = task_id.rpartition(".t")
    if not case_id or not sep or not number.isdigit():
        raise ProblemError(ProblemKind.NOT_FOUND, f"no task {task_id!r}")
    return case_id


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
