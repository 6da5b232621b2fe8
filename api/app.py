"""The HTTP API, built by `create_app(settings)`: routes call Temporal through the
gateway and hold no business rule (DESIGN §4). Versioned under /v1; the schema is at
/openapi.json and the docs at /docs."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from joserfc.jwk import KeySet
from pydantic import BaseModel
from temporalio.client import Client

from adapters.notifiers.choice import notifier_for
from api.auth import KeySetVerifier, TokenVerifier, jwks_fetcher
from api.body_limit import BodyLimitMiddleware
from api.contact_choices import ContactChoices
from api.court_documents import CourtDocuments
from api.dev_tokens import dev_signing_key, jwks_document, public_key_set
from api.gateway import CaseGateway
from api.inbox import Inbox
from api.links import with_links
from api.metrics import (
    ApiMetrics,
    MetricsMiddleware,
    TemporalSdkMetrics,
    metrics_app,
    runtime_with_sdk_metrics,
    watch_stalled,
)
from api.pages.settings import PagesSettings
from api.pages.wiring import install_pages
from api.police_incidents import PoliceIncidents
from api.problems import install_problem_handlers, problems_in_openapi
from api.referral_intake import ReferralIntake
from api.routes import (
    admin,
    case_actions,
    cases,
    court_callbacks,
    notifications,
    police,
    quarantine,
    referrals,
    reports,
    service,
    stats,
    tasks,
)
from api.services import Services
from api.stats import ProgramStats
from api.strict_json import StrictJsonMiddleware
from api.task_repeats import completion_secret
from diversion.opt_out_ledgers import OptOutLedgers
from diversion.quarantine import QuarantineStore
from diversion.settings import Settings
from diversion.temporal_client import connect
from domain.referral import Referral
from rendering import pdf_processes

DEV_JWKS_PATH = "/.well-known/jwks.json"


def create_app(
    settings: Settings,
    *,
    client: Client,
    verifier: TokenVerifier | None = None,
    sdk_metrics: TemporalSdkMetrics | None = None,
    pages: PagesSettings | None = None,
) -> FastAPI:
    """The app over a connected `client`; `sdk_metrics` adds that client's runtime
    metrics (see `connected_with_metrics`) to /metrics. The staff and court pages
    (api/pages) read `DIVERSION_PAGES_*` unless `pages` is given."""
    jurisdictions = settings.jurisdictions()
    # Built now, so a misconfigured notifier stops the API at start, naming it.
    notifiers = {
        jid: notifier_for(j, outbox_dir=settings.outbox_dir) for jid, j in jurisdictions.items()
    }
    metrics = ApiMetrics(sdk_metrics)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient() as http:  # for the identity provider's JWKS
            match_secret = settings.match_secret_bytes()
            gateway = CaseGateway(
                client,
                jurisdictions,
                settings.task_queue,
                completion_secret=completion_secret(match_secret),
            )
            held = QuarantineStore(settings.quarantine_dir, settings.payload_key_ring())
            app.state.services = Services(
                settings=settings,
                jurisdictions=jurisdictions,
                gateway=gateway,
                intake=ReferralIntake(gateway, match_secret),
                documents=CourtDocuments(jurisdictions, held),
                police=PoliceIncidents(gateway, jurisdictions, held, match_secret),
                stats=ProgramStats(gateway),
                inbox=Inbox(client),
                verifier=verifier or _verifier(settings, http),
                metrics=metrics,
                contact_choices=ContactChoices(
                    OptOutLedgers(client, settings.contact_key_bytes(), settings.task_queue),
                    notifiers,
                ),
            )
            watcher = asyncio.create_task(
                watch_stalled(client, metrics, settings.stalled_check_seconds)
            )
            renderer = pdf_processes.use_processes(settings.pdf_processes)
            try:
                yield
            finally:
                renderer.close()
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher

    app = FastAPI(
        title="Restorative Diversion API",
        version="1",
        description=(
            "Court-referred restorative justice for domestic and family violence cases. "
            "Every route needs a bearer JWT with `roles` and `jurisdictions` claims; a case "
            "outside your jurisdictions answers 404. Errors are RFC 9457 problem+json."
        ),
        lifespan=lifespan,
    )
    install_problem_handlers(app)
    build_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            documented = with_components(problems_in_openapi(build_openapi()), Referral)
            app.openapi_schema = with_links(documented)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    for router in (
        referrals.router,
        quarantine.router,
        police.router,
        court_callbacks.router,
        stats.router,
        cases.router,
        reports.router,
        tasks.router,
        case_actions.router,
        admin.router,
        notifications.router,
        service.router,
    ):
        app.include_router(router)
    if settings.auth_mode == "dev":
        key = dev_signing_key(settings)

        @app.get(DEV_JWKS_PATH, include_in_schema=False)
        async def dev_jwks() -> dict[str, Any]:
            return jwks_document(key)

    install_pages(app, settings, pages)  # routes, static files, and the pages' own guards
    # Innermost first: bodies are read strictly only once the size limit has let them in.
    app.add_middleware(StrictJsonMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.api_max_body_bytes)
    # Outermost, so it times and counts everything, refusals included.
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    # Served by `serve_api` on DIVERSION_METRICS_ADDRESS when that is set.
    app.state.metrics_app = metrics_app(metrics, settings.metrics_token)
    build_routes(app)
    return app


def build_routes(app: FastAPI) -> None:
    """Have FastAPI build every route now. It builds an included router's routes (their
    dependencies and validators) when a request first tries them: about 100 ms, which the
    first caller after each start paid inside their request (measured by bench/http_api.py
    as the slowest task completion). Matching a path that no route serves tries them all,
    through Starlette's public `matches`, without a request: no middleware or metric sees
    it."""
    nowhere: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "path": "/.routes-built-at-start",
        "root_path": "",
        "headers": [],
        "query_string": b"",
    }
    for route in app.router.routes:
        route.matches(dict(nowhere))


def with_components(schema: dict[str, Any], *models: type[BaseModel]) -> dict[str, Any]:
    """`models` in the schema's components: a body declared by hand (`openapi_extra`, as
    the referral's JSON beside its XML) refers to its model there, which FastAPI only
    adds for the models its routes declare."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in models:
        found = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in found.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components.setdefault(model.__name__, found)
    return schema


async def connected_with_metrics(settings: Settings) -> tuple[Client, TemporalSdkMetrics]:
    """A Temporal client whose SDK metrics (requests, polls, latencies) reach /metrics."""
    runtime, sdk_metrics = runtime_with_sdk_metrics()
    return await connect(settings, runtime=runtime), sdk_metrics


def _verifier(settings: Settings, http: httpx.AsyncClient) -> TokenVerifier:
    if settings.auth_mode == "dev":
        keys = public_key_set(dev_signing_key(settings))

        async def local_keys() -> KeySet:
            return keys

        return KeySetVerifier(
            issuer=settings.token_issuer, audience=settings.auth_audience, fetch_keys=local_keys
        )
    assert settings.auth_jwks_url is not None  # checked by Settings
    return KeySetVerifier(
        issuer=settings.token_issuer,
        audience=settings.auth_audience,
        fetch_keys=jwks_fetcher(settings.auth_jwks_url, http),
    )
