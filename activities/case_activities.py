"""Every side effect of a case but its messages: filing to the court, asking the police,
starting its follow-up. (Messages: activities/notification_activities.py.)

Activities are idempotent: a filing carries the report's deterministic idempotency key,
so a retry never files twice.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from temporalio import activity
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError

from activities.adapter_directory import AdapterDirectory
from domain.referral import Hearing, Incident
from domain.reports import FilingReceipt
from rendering.errors import ReportRenderError
from workflows import search_attributes as sa
from workflows.follow_up_input import FollowUpInput, follow_up_workflow_id
from workflows.messages import FilingRequest, HearingsQuery, IncidentQuery

T = TypeVar("T")
# A filing says it is alive this often while it renders and waits on the court, so a worker
# that dies mid-filing is noticed by its heartbeat timeout (workflows/case_waiting.py), not
# after the whole attempt's timeout (measured by bench/faults.py: two minutes per report).
HEARTBEAT_EVERY_SECONDS = 5.0


async def heartbeating(work: Awaitable[T], every: float = HEARTBEAT_EVERY_SECONDS) -> T:
    """`work`'s result, with a heartbeat every `every` seconds until it has one."""
    task = asyncio.ensure_future(work)
    while True:
        done, _ = await asyncio.wait({task}, timeout=every)
        if done:
            return task.result()
        activity.heartbeat()


class CaseActivities:
    def __init__(self, adapters: AdapterDirectory) -> None:
        # Looked up by the case's jurisdiction id: the settings a request carries (cases
        # started before settings were by reference hold a copy) are never used.
        self.adapters = adapters

    @activity.defn
    async def file_report(self, request: FilingRequest) -> FilingReceipt:
        adapter = self.adapters.court(request.jurisdiction.id)
        try:
            receipt = await heartbeating(adapter.file_report(request.report))
        except ReportRenderError as e:
            # The same report renders the same way on a retry: staff decide at once.
            raise ApplicationError(
                f"the report could not be rendered: {e}",
                type="ReportNotRendered",
                non_retryable=True,
            ) from e
        if receipt.status == "rejected":
            # A rejection is not retried: the workflow turns it into a staff task. (A filing
            # only received is the court's to decide later: the case follows its answer.)
            raise ApplicationError(
                f"the court rejected the filing: {receipt.rejection_reason or 'no reason given'}",
                type="FilingRejected",
                non_retryable=True,
            )
        return receipt

    @activity.defn
    async def fetch_incidents(self, query: IncidentQuery) -> list[Incident]:
        adapter = self.adapters.police(query.jurisdiction.id)
        return await adapter.incidents_for(query.participant, query.since)

    @activity.defn
    async def pull_hearings(self, query: HearingsQuery) -> list[Hearing] | None:
        """The case's hearings as the court lists them now; None when the court's
        transport cannot pull (the case keeps what the referral said)."""
        adapter = self.adapters.court(query.jurisdiction)
        return await adapter.hearings(query.court_id, query.case_number)

    @activity.defn
    async def start_follow_up(self, request: FollowUpInput) -> str:
        """Start the case's re-arrest follow-up as a workflow of its own (not a child: it
        outlives the case by two years). Idempotent: a retried start finds the first."""
        from workflows.follow_up import RecidivismFollowUp  # the workflow, only when needed

        workflow_id = follow_up_workflow_id(request.case_id)
        with contextlib.suppress(WorkflowAlreadyStartedError):
            await activity.client().start_workflow(
                RecidivismFollowUp.run,
                request,
                id=workflow_id,
                task_queue=activity.info().task_queue,
                search_attributes=TypedSearchAttributes(
                    [SearchAttributePair(sa.JURISDICTION, request.jurisdiction.id)]
                ),
            )
        return workflow_id

    def all(self) -> list[Callable[..., Any]]:
        return [
            self.file_report,
            self.fetch_incidents,
            self.pull_hearings,
            self.start_follow_up,
        ]
