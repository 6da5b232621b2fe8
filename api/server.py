"""Serving the app with uvicorn, inside a process that owns its signal handling
(`diversion api`, `diversion dev`): Ctrl-C stops the API first, cleanly."""

import asyncio
import contextlib
from collections.abc import Generator

import uvicorn
from fastapi import FastAPI

from diversion.settings import Settings


class _EmbeddedServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        # The caller's handlers decide when to stop (`stop` below); uvicorn's would
        # replace them while it runs.
        yield


async def serve_api(app: FastAPI, settings: Settings, stop: asyncio.Event) -> None:
    """Serve on `settings.api_host:api_port` until `stop` is set; raises if it cannot bind."""
    config = uvicorn.Config(
        app,
        host=settings.api_host,
        port=settings.api_port,
        log_level="warning",
        access_log=False,
        server_header=False,
    )
    server = _EmbeddedServer(config)
    serving = asyncio.create_task(server.serve(), name="api")
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    server.should_exit = True
    await serving
    if not server.started:
        raise OSError(
            f"the API could not start on {settings.api_url} (is the port in use? set "
            "DIVERSION_API_PORT)"
        )
