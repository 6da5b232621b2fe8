"""`diversion api`: the HTTP API as its own process, against a Temporal cluster."""

import asyncio
import logging

from api.app import connected_with_metrics, create_app
from api.server import serve_api
from diversion.settings import Settings
from diversion.worker import install_stop_signals


def main(settings: Settings) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    return asyncio.run(_main(settings))


async def _main(settings: Settings) -> int:
    stop = asyncio.Event()
    install_stop_signals(stop, "the API")
    try:
        client, sdk_metrics = await connected_with_metrics(settings)
        app = create_app(settings, client=client, sdk_metrics=sdk_metrics)
        print(f"API on {settings.api_url} (docs {settings.api_url}/docs). Ctrl-C stops it.")
        await serve_api(app, settings, stop)
    except asyncio.CancelledError:
        return 130
    return 0
