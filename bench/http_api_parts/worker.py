"""The worker the bench runs against: its own process as deployed, or inline."""

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator

from temporalio.client import Client

from api.gateway import CaseGateway
from diversion.dev_server import stop_process
from diversion.settings import Settings
from diversion.worker import build_worker

from .harness import BenchFailure


@contextlib.asynccontextmanager
async def worker_for(client: Client, settings: Settings, where: str) -> AsyncIterator[None]:
    """The worker in its own process, as deployed (`diversion worker`), or in this one."""
    if where == "inline":
        async with build_worker(client, settings):
            yield
        return
    env = os.environ | {
        "DIVERSION_DATA_DIR": str(settings.data_dir),
        "DIVERSION_TEMPORAL_ADDRESS": settings.temporal_address,
        "DIVERSION_JURISDICTIONS_FILE": str(settings.jurisdictions_file),
    }
    log = (settings.data_dir / "bench-worker.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "diversion.cli", "worker"], env=env, stdout=log, stderr=log
    )
    try:
        gateway = CaseGateway(client, {}, settings.task_queue)
        while not await gateway.worker_polling():
            if process.poll() is not None:
                raise BenchFailure(f"the worker exited ({process.returncode}); see {log.name}")
            await asyncio.sleep(0.1)  # the worker process starting, not a workflow
        yield
    finally:
        # The worker stops in order on SIGINT as on SIGTERM; waited for without blocking
        # the loop that the API is still serving on.
        await stop_process(process, grace=45.0)
        log.close()
