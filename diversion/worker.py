"""The worker: every workflow and activity of the service, on one task queue."""

import asyncio
import signal
from collections.abc import Sequence
from datetime import timedelta

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

import activities
import workflows
from diversion.settings import Settings
from rendering import pdf_processes

# Time given to running activities (a filing in flight) to finish after a shutdown request.
GRACEFUL_SHUTDOWN = timedelta(seconds=30)

# Packages the sandbox takes from the worker's own imports instead of importing them again
# for every workflow run. Re-importing `workflows.case` re-runs `@workflow.defn` over every
# member of DiversionCase: about 11 ms of CPU for each case started or brought back into
# the worker's cache (0.2 ms passed through). What that costs in protection: code in these
# packages reaches the real `datetime`, `time` and `random`, not the sandbox's guarded
# copies (most of it did already, imported under `imports_passed_through`), so
# tests/test_workflow_sandbox.py reads their source for clock, randomness and I/O, and
# checks that no value they share between runs is ever changed in place. The workflow tests
# and every replay still run under the default sandbox, which imports them afresh.
PASSED_THROUGH = ("domain", "workflows")


def workflow_runner(also: Sequence[str] = ()) -> SandboxedWorkflowRunner:
    """The sandbox the worker runs workflows in, with `PASSED_THROUGH` (and `also`, for a
    bench's own workflows) shared by all runs."""
    restrictions = SandboxRestrictions.default.with_passthrough_modules(*PASSED_THROUGH, *also)
    return SandboxedWorkflowRunner(restrictions=restrictions)


def build_worker(client: Client, settings: Settings) -> Worker:
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=list(workflows.WORKFLOWS),
        activities=list(activities.build_activities(settings)),
        workflow_runner=workflow_runner(),
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN,
        sticky_queue_schedule_to_start_timeout=timedelta(
            seconds=settings.sticky_queue_timeout_seconds
        ),
    )


async def run_worker(client: Client, settings: Settings, stop: asyncio.Event) -> None:
    """Run the worker until `stop` is set, then shut it down gracefully."""
    worker = build_worker(client, settings)
    renderer = pdf_processes.use_processes(settings.pdf_processes)
    renderer.warm_up()  # WeasyPrint loaded before the first filing, not during it
    running = asyncio.create_task(worker.run())
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    try:
        if not running.done():
            await worker.shutdown()
        await running  # re-raises a worker failure
    finally:
        renderer.close()


def install_stop_signals(stop: asyncio.Event, what: str) -> None:
    """First SIGINT/SIGTERM sets `stop` (an orderly stop of `what`); a second one cancels
    the current task, so a stuck shutdown can still be cut short."""
    loop = asyncio.get_running_loop()
    main_task = asyncio.current_task()

    def on_signal() -> None:
        if not stop.is_set():
            print(f"\nStopping {what} ... (Ctrl-C again to stop at once)", flush=True)
            stop.set()
        elif main_task is not None:
            print("Stopping now, without waiting.", flush=True)
            main_task.cancel()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, on_signal)
