"""Healing the test server's clock: the time-skipping locks it leaks, given back while no
workflow runs (temporalio/sdk-java#1618)."""

import asyncio
from datetime import timedelta

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.testservice.v1 import UnlockTimeSkippingRequest
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest
from temporalio.client import WorkflowExecutionStatus
from temporalio.service import RPCError

from .harness import Bench

HEAL_PATIENCE = 0.2  # seconds a day-long sleep may take on an idle server before an unlock
HEAL_MAX = 10_000


async def settle(bench: Bench, workflow_ids: list[str]) -> int:
    """Wait until these workflows are closed, then heal the clock."""
    running = WorkflowExecutionStatus.RUNNING.value
    for workflow_id in workflow_ids:
        # The raw call: the SDK's describe() fails on this server's datetime attributes.
        request = DescribeWorkflowExecutionRequest(
            namespace=bench.client.namespace,
            execution=WorkflowExecution(workflow_id=workflow_id),
        )
        while True:
            described = await bench.client.workflow_service.describe_workflow_execution(request)
            if described.workflow_execution_info.status != running:
                break
            await asyncio.sleep(0.05)
    return await heal(bench)


async def heal(bench: Bench) -> int:
    """Give back the time-skipping locks the test server leaked; how many it took.

    Only while no workflow runs: then no legitimate lock is held, so a day-long sleep
    that does not end at once is held up by leaked locks alone.
    """
    probe = asyncio.create_task(bench.env.sleep(timedelta(days=1)))
    healed = 0
    while True:
        done, _ = await asyncio.wait({probe}, timeout=HEAL_PATIENCE)
        if done:
            probe.result()
            return healed
        if healed >= HEAL_MAX:
            probe.cancel()
            raise RuntimeError(f"the test server clock is still stuck after {healed} unlocks")
        try:
            await bench.client.test_service.unlock_time_skipping(UnlockTimeSkippingRequest())
        except RPCError:
            # "Unbalanced lock and unlock calls": no lock was left to give back, the probe
            # was only slow (a loaded machine), and it ends on its own.
            await probe
            return healed
        healed += 1
