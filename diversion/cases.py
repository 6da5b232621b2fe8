"""Starting a case: one workflow per jurisdiction + court case number."""

from collections.abc import Mapping
from typing import Any

from temporalio.client import Client, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from domain.case import case_workflow_id
from domain.enums import Outcome
from domain.policy import Jurisdiction
from domain.referral import Referral
from workflows import search_attributes as sa
from workflows.case import DiversionCase
from workflows.case_input import TASK_QUEUE, CaseInput


async def start_case(
    client: Client,
    referral: Referral,
    jurisdiction: Jurisdiction,
    task_queue: str = TASK_QUEUE,
    *,
    memo: Mapping[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> tuple[WorkflowHandle[DiversionCase, Outcome], bool]:
    """Start the case, or find the one already running; returns (handle, started)."""
    if referral.jurisdiction != jurisdiction.id:
        raise ValueError(
            f"referral is for {referral.jurisdiction!r}, not jurisdiction {jurisdiction.id!r}"
        )
    workflow_id = case_workflow_id(jurisdiction.id, referral.court.case_number)
    try:
        handle = await client.start_workflow(
            DiversionCase.run,
            CaseInput(referral=referral, jurisdiction=jurisdiction),
            id=workflow_id,
            task_queue=task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            # A closed case keeps its number: a repeated referral finds it, never a second case.
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=sa.initial(
                jurisdiction.id, referral.court.case_number, idempotency_key
            ),
            memo=memo,
        )
    except WorkflowAlreadyStartedError:
        return client.get_workflow_handle_for(DiversionCase.run, workflow_id), False
    return handle, True
