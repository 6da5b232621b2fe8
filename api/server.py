"""Serving the app with uvicorn, inside a process that owns its signal handling
(`diversion api`, `diversion dev`): Ctrl-C stops the API first, cleanly."""

import asyncio
import contextlib
from collections.abc import Generator

import uvicorn
from fastapi import FastAPI
from starlette.types import ASGIApp

from diversion.settings import Settings


class _EmbeddedServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        # The caller's handlers decide when to stop (`stop` below); uvicorn's would
        # replace them while it runs.
        yield


async def serve_api(app: FastAPI, settings: Settings, stop: asyncio.Event) -> None:
    """Serve on `settings.api_host:api_port` until `stop` is set, and the metrics on their
    own address when one is set (`app.state.metrics_app`); raises if either cannot bind."""
    servers = {
        "the API": (_server(app, settings.api_host, settings.api_port), "DIVERSION_API_PORT")
    }
    if settings.metrics_bind is not None:
        host, port = settings.metrics_bind
        metrics = _server(app.state.metrics_app, host, port)
        servers["the metrics"] = (metrics, "DIVERSION_METRICS_ADDRESS")
    serving = [asyncio.create_task(s.serve(), name=name) for name, (s, _) in servers.items()]
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({*serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    for server, _ in servers.values():
        server.should_exit = True
    await asyncio.gather(*serving)
    for name, (server, setting) in servers.items():
        if not server.started:
            config = server.config
            raise OSError(
                f"{name} could not start on {config.host}:{config.port} (is the port in use? "
                f"set {setting})"
            )


def _server(app: ASGIApp, host: str, port: int) -> uvicorn.Server:
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        # httptools (a dependency), named so that a missing one fails the start: with h11,
        # uvicorn's pure-Python parser, a referral cost the API 0.1-0.15 ms more CPU.
        http="httptools",
        log_level="warning",
        access_log=False,
        server_header=False,
    )
    return _EmbeddedServer(config)
