"""A workflow that sends one notification, as a case does, retrying a provider's
temporary failure with backoff; and a worker running it beside the opt-out ledger."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from temporalio import workflow
from temporalio.client import Client, WorkflowHistory
from temporalio.common import RetryPolicy
from temporalio.service import RPCError, RPCStatusCode
from temporalio.worker import Replayer, Worker

with workflow.unsafe.imports_passed_through():
    from activities.adapter_directory import AdapterDirectory
    from activities.notification_activities import NotificationActivities
    from domain.notifications import DeliveryOutcome
    from domain.policy import Jurisdiction
    from domain.reports import Notification
    from workflows.opt_out_ledger import OptOutLedger


@workflow.defn
class SendOne:
    @workflow.run
    async def run(self, notification: Notification) -> DeliveryOutcome:
        return await workflow.execute_activity_method(
            NotificationActivities.send_notification,
            notification,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=RetryPolicy(initial_interval=timedelta(seconds=1), maximum_attempts=5),
        )


@dataclass
class Sending:
    client: Client
    task_queue: str
    started: list[str]

    async def send(self, notification: Notification) -> DeliveryOutcome:
        workflow_id = f"send-{uuid.uuid4().hex[:8]}"
        self.started.append(workflow_id)
        return await self.client.execute_workflow(
            SendOne.run, notification, id=workflow_id, task_queue=self.task_queue
        )

    async def replay_everything(self, ledger_ids: list[str]) -> None:
        """Every run this test made replays (the ledgers' through continue-as-new); a
        ledger nobody wrote to has none."""
        replayer = Replayer(
            workflows=[SendOne, OptOutLedger], data_converter=self.client.data_converter
        )
        for workflow_id in [*self.started, *ledger_ids]:
            for history in await self.runs(workflow_id):
                await replayer.replay_workflow(history)

    async def runs(self, workflow_id: str) -> list[WorkflowHistory]:
        histories: list[WorkflowHistory] = []
        run_id: str | None = None
        while True:
            handle = self.client.get_workflow_handle(workflow_id, run_id=run_id)
            try:
                histories.append(await handle.fetch_history())
            except RPCError as e:
                if e.status is not RPCStatusCode.NOT_FOUND or histories:
                    raise
                return histories
            started = histories[-1].events[0].workflow_execution_started_event_attributes
            run_id = started.continued_execution_run_id
            if not run_id:
                return histories


@asynccontextmanager
async def sending(
    client: Client,
    jurisdiction: Jurisdiction,
    outbox: Path,
    key: bytes,
    task_queue: str | None = None,
) -> AsyncIterator[Sending]:
    queue = task_queue or f"notify-{uuid.uuid4().hex[:8]}"
    adapters = AdapterDirectory({jurisdiction.id: jurisdiction}, outbox_dir=outbox)
    async with Worker(
        client,
        task_queue=queue,
        workflows=[SendOne, OptOutLedger],
        activities=NotificationActivities(adapters, key).all(),
    ):
        yield Sending(client, queue, [])
