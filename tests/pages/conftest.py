"""The pages against the real app: one Temporal dev server with a worker, the app served
by uvicorn on a free port (a browser needs a real address), and a local OpenID Connect
provider people sign in through. One of each per session."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn
from temporalio.client import Client

from api.app import create_app
from api.pages.settings import PagesSettings
from diversion.dev_server import dev_server, free_port
from diversion.settings import Settings
from diversion.temporal_client import connect
from diversion.worker import build_worker
from tests.jurisdictions import CO_FACILITATOR, FACILITATOR, HOME, OTHER, two_jurisdictions_file
from tests.pages.idp import Idp, IdpPerson, running_idp

COORDINATOR = IdpPerson("idp-coordinator", "Aroha Ngata", ["coordinator"], [HOME])
ADVOCATE = IdpPerson("idp-advocate", "Leilani Kahale", ["victim_advocate"], [HOME])
FACILITATOR_ONE = IdpPerson(FACILITATOR.sub, FACILITATOR.name, ["facilitator"], [HOME])
FACILITATOR_TWO = IdpPerson(CO_FACILITATOR.sub, CO_FACILITATOR.name, ["facilitator"], [HOME])
JUDGE = IdpPerson("idp-judge", "Judge Oyelaran", ["judge"], [HOME])
OTHER_JUDGE = IdpPerson("idp-judge-north", "Judge Halvorsen", ["judge"], [OTHER])
CLERK = IdpPerson("idp-clerk", "Mireille Tshibanda", ["clerk"], [HOME])
ADMIN = IdpPerson("idp-admin", "Santiago Quispe", ["admin"], [HOME])
PEOPLE = [
    COORDINATOR, ADVOCATE, FACILITATOR_ONE, FACILITATOR_TWO, JUDGE, OTHER_JUDGE, CLERK, ADMIN
]  # fmt: skip


@dataclass
class Site:
    settings: Settings
    client: Client
    url: str
    idp: Idp

    def http(self) -> httpx.AsyncClient:
        """A client of its own (its own cookies), as one browser would be."""
        return httpx.AsyncClient(base_url=self.url, timeout=30.0)


@pytest.fixture(scope="session")
async def site(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Site]:
    data = tmp_path_factory.mktemp("pages")
    port = free_port()
    settings = Settings(
        data_dir=data,
        temporal_address=f"127.0.0.1:{free_port()}",
        jurisdictions_file=two_jurisdictions_file(data),
        api_port=port,
    )
    with running_idp(PEOPLE) as idp:
        pages = PagesSettings(
            oidc_metadata_url=idp.metadata_url,
            oidc_client_id="diversion-pages",
            oidc_client_secret="a-client-secret-for-the-tests",
        )
        async with dev_server(settings, headless=True):
            client = await connect(settings)
            async with build_worker(client, settings):
                app = create_app(settings, client=client, pages=pages)
                config = uvicorn.Config(
                    app, host="127.0.0.1", port=port, log_level="warning", access_log=False
                )
                server = uvicorn.Server(config)
                serving = asyncio.create_task(server.serve())
                while not server.started:
                    assert not serving.done(), "uvicorn did not start"
                    await asyncio.sleep(0.02)
                try:
                    yield Site(settings, client, settings.api_url, idp)
                finally:
                    server.should_exit = True
                    await serving
