"""The worker: every workflow and activity of the service, on one task queue."""

import asyncio
import signal
from datetime import timedelta

from temporalio.client import Client
from temporalio.worker import Worker

import activities
import workflows
from diversion.settings import Settings

# Time given to running activities (a filing in flight) to finish after a shutdown request.
GRACEFUL_SHUTDOWN = timedelta(seconds=30)


def build_worker(client: Client, settings: Settings) -> Worker:
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=list(workflows.WORKFLOWS),
        activities=list(activities.build_activities(settings)),
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN,
    )


async def run_worker(client: Client, settings: Settings, stop: asyncio.Event) -> None:
    """Run the worker until `stop` is set, then shut it down gracefully."""
    worker = build_worker(client, settings)
    running = asyncio.create_task(worker.run())
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not running.done():
        await worker.shutdown()
    await running  # re-raises a worker failure


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
