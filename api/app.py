"""The HTTP API, built by `create_app(settings)`: routes call Temporal through the
gateway and hold no business rule (DESIGN §4). Versioned under /v1; the schema is at
/openapi.json and the docs at /docs."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from joserfc.jwk import KeySet
from temporalio.client import Client

from api.auth import KeySetVerifier, TokenVerifier, jwks_fetcher
from api.body_limit import BodyLimitMiddleware
from api.dev_tokens import dev_signing_key, jwks_document, public_key_set
from api.gateway import CaseGateway
from api.inbox import Inbox
from api.metrics import ApiMetrics, MetricsMiddleware, runtime_with_sdk_metrics
from api.problems import install_problem_handlers
from api.routes import admin, case_actions, cases, referrals, service, tasks
from api.services import Services
from diversion.settings import Settings
from diversion.temporal_client import connect

DEV_JWKS_PATH = "/.well-known/jwks.json"


def create_app(
    settings: Settings,
    *,
    client: Client | None = None,
    verifier: TokenVerifier | None = None,
) -> FastAPI:
    """The app; it connects to Temporal on startup unless given a `client` (tests)."""
    jurisdictions = settings.jurisdictions()
    metrics_holder: dict[str, ApiMetrics] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            temporal = client
            sdk_metrics = None
            if temporal is None:
                runtime, sdk_metrics = runtime_with_sdk_metrics()
                temporal = await connect(settings, runtime=runtime)
            http = await stack.enter_async_context(httpx.AsyncClient())
            app.state.services = Services(
                settings=settings,
                jurisdictions=jurisdictions,
                gateway=CaseGateway(temporal, jurisdictions, settings.task_queue),
                inbox=Inbox(temporal),
                verifier=verifier or _verifier(settings, http),
                metrics=_metrics(metrics_holder, sdk_metrics),
            )
            yield

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
    for router in (
        referrals.router,
        cases.router,
        tasks.router,
        case_actions.router,
        admin.router,
        service.router,
    ):
        app.include_router(router)
    if settings.auth_mode == "dev":
        key = dev_signing_key(settings)

        @app.get(DEV_JWKS_PATH, include_in_schema=False)
        async def dev_jwks() -> dict[str, Any]:
            return jwks_document(key)

    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.api_max_body_bytes)
    # Outermost, so it times and counts everything, refusals included.
    app.add_middleware(_LateMetrics, holder=metrics_holder)
    return app


def _metrics(holder: dict[str, ApiMetrics], sdk_metrics: Any) -> ApiMetrics:
    holder["metrics"] = ApiMetrics(sdk_metrics)
    return holder["metrics"]


class _LateMetrics:
    """The metrics object exists only once the lifespan ran; until then, pass through."""

    def __init__(self, app: Any, holder: dict[str, ApiMetrics]) -> None:
        self.app = app
        self.holder = holder
        self.wrapped: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        metrics = self.holder.get("metrics")
        if metrics is None or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.wrapped is None:
            self.wrapped = MetricsMiddleware(self.app, metrics)
        await self.wrapped(scope, receive, send)


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
