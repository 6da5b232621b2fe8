"""Who may scrape /metrics is a setting: by default whoever reaches the API's port; with
DIVERSION_METRICS_TOKEN only a request carrying that token; with DIVERSION_METRICS_ADDRESS
only whoever reaches that address, the API's port answering 404."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from api.app import create_app
from api.server import serve_api
from diversion.dev_server import free_port
from diversion.settings import Settings, describe
from tests.api.conftest import Api

TOKEN = "scrape-me-7c0ffee-2026"
SERIES = b"diversion_http_requests_total"


def settings_with(api: Api, **changes: Any) -> Settings:
    return Settings(**{**api.settings.model_dump(), **changes})


@asynccontextmanager
async def app_client(settings: Settings, api: Api) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, client=api.client)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            yield client


async def test_by_default_anyone_reaching_the_api_scrapes(api: Api) -> None:
    response = await api.http.get("/metrics")
    assert response.status_code == 200 and SERIES in response.content


async def test_with_a_token_only_its_bearer_scrapes(api: Api) -> None:
    async with app_client(settings_with(api, metrics_token=TOKEN), api) as client:
        for headers in ({}, {"Authorization": "Bearer not-the-token"}, {"Authorization": TOKEN}):
            refused = await client.get("/metrics", headers=headers)
            assert refused.status_code == 401, refused.text
            assert refused.json()["type"] == "/problems/unauthorised"
            assert refused.headers["www-authenticate"] == "Bearer"
            assert TOKEN not in refused.text
        allowed = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert allowed.status_code == 200 and SERIES in allowed.content


async def _answers(url: str) -> httpx.Response:
    """The first answer from a server that is starting (a socket bind, not a workflow)."""
    async with httpx.AsyncClient() as client:
        for _ in range(500):
            try:
                return await client.get(url, timeout=5.0)
            except httpx.TransportError:
                await asyncio.sleep(0.02)
    raise AssertionError(f"nothing answered at {url}")


async def test_with_an_address_the_metrics_are_served_there_and_not_on_the_api(api: Api) -> None:
    metrics_port = free_port()
    settings = settings_with(api, api_port=free_port(), metrics_address=f"127.0.0.1:{metrics_port}")
    app = create_app(settings, client=api.client)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve_api(app, settings, stop))
    try:
        scraped = await _answers(f"http://127.0.0.1:{metrics_port}/metrics")
        on_api = await _answers(f"{settings.api_url}/metrics")
        nothing_else = await _answers(f"http://127.0.0.1:{metrics_port}/healthz")
    finally:
        stop.set()
        await serving
    assert scraped.status_code == 200 and SERIES in scraped.content
    assert on_api.status_code == 404 and on_api.json()["type"] == "/problems/not-found"
    assert nothing_else.status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"metrics_address": "9464"}, "DIVERSION_METRICS_ADDRESS must be host:port"),
        ({"metrics_address": "127.0.0.1:8000"}, "is the API's own address"),
        ({"metrics_token": "short-secret"}, "METRICS_TOKEN must be at least 16 characters"),
    ],
)
def test_unusable_metrics_settings_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(**changes)
    said = describe(refused.value)  # what `diversion` prints
    assert message in said and "short-secret" not in said
