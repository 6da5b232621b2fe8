"""Starting a case: one workflow per jurisdiction + court case number."""

from collections.abc import Mapping, Sequence
from typing import Any

from temporalio.client import Client, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from activities.adapter_directory import without_adapter_settings
from adapters.police.base import police_adapter_for
from domain.case import case_workflow_id
from domain.enums import Outcome
from domain.person_match import match_tokens
from domain.policy import Jurisdiction
from domain.referral import Person, Referral
from workflows import search_attributes as sa
from workflows.case import DiversionCase
from workflows.case_input import TASK_QUEUE, CaseInput


def participant_tokens(
    person: Person,
    jurisdiction: Jurisdiction,
    secret: bytes,
    keys: Sequence[Sequence[str]] | None = None,
) -> list[str]:
    """The person's match tokens under the jurisdiction's police match keys: `keys` when
    the caller holds them, else read from its police adapter, built for this call (the
    entry-point lookup that costs is most of a referral's own CPU in the API)."""
    if keys is None:
        keys = police_adapter_for(jurisdiction).match_keys
    return match_tokens(person, keys, secret)


async def start_case(
    client: Client,
    referral: Referral,
    jurisdiction: Jurisdiction,
    task_queue: str = TASK_QUEUE,
    *,
    memo: Mapping[str, Any] | None = None,
    idempotency_key: str | None = None,
    match_secret: bytes | None = None,
    match_keys: Sequence[Sequence[str]] | None = None,
) -> tuple[WorkflowHandle[DiversionCase, Outcome], bool]:
    """Start the case, or find the one already running; returns (handle, started).

    With `match_secret`, the participant's match tokens go into the case's search
    attributes, so incidents the police push can find it (api/police_incidents.py);
    under `match_keys` if given (the jurisdiction's police adapter's, kept by the caller)."""
    if referral.jurisdiction != jurisdiction.id:
        raise ValueError(
            f"referral is for {referral.jurisdiction!r}, not jurisdiction {jurisdiction.id!r}"
        )
    workflow_id = case_workflow_id(jurisdiction.id, referral.court.case_number)
    try:
        handle = await client.start_workflow(
            DiversionCase.run,
            # Adapter settings stay in the workers' configuration (settings by reference).
            CaseInput(referral=referral, jurisdiction=without_adapter_settings(jurisdiction)),
            id=workflow_id,
            task_queue=task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            # A closed case keeps its number: a repeated referral finds it, never a second case.
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=sa.initial(
                jurisdiction.id,
                referral.court.case_number,
                idempotency_key,
                participant_tokens(referral.participant, jurisdiction, match_secret, match_keys)
                if match_secret
                else (),
            ),
            memo=memo,
        )
    except WorkflowAlreadyStartedError:
        return client.get_workflow_handle_for(DiversionCase.run, workflow_id), False
    return handle, True
