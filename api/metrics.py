"""Prometheus metrics for the HTTP API process.

Operators need request rates, error rates and latency per endpoint, and the Temporal SDK's own
client metrics (request counts, failures, latency) to tell a slow API from a slow cluster. Each
`ApiMetrics` owns its registry rather than using the global one, so several apps can live in one
process (tests) without duplicate-registration errors.

Who may scrape is a setting: by default anyone who reaches the API's port; with
DIVERSION_METRICS_ADDRESS, only whoever reaches that address (the API's port answers 404);
with DIVERSION_METRICS_TOKEN, only a request carrying the token.
"""

import asyncio
import hmac
import logging
import re
import threading
import time
from collections.abc import Mapping

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    Metric,
    SummaryMetricFamily,
)
from prometheus_client.registry import Collector
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from temporalio.client import Client
from temporalio.runtime import (
    BUFFERED_METRIC_KIND_COUNTER,
    BUFFERED_METRIC_KIND_GAUGE,
    BUFFERED_METRIC_KIND_HISTOGRAM,
    MetricBuffer,
    MetricBufferDurationFormat,
    Runtime,
    TelemetryConfig,
)
from temporalio.service import RPCError

from api.problems import ProblemKind, problem_response
from diversion.stalled_workflows import count_stalled

logger = logging.getLogger(__name__)

UNMATCHED = "unmatched"
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

_Labels = tuple[tuple[str, str], ...]


def _metric_name(name: str) -> str:
    clean = re.sub(r"[^a-zA-Z0-9_:]", "_", name)
    if clean[:1].isdigit():
        clean = "_" + clean
    return clean if clean.startswith("temporal_") else "temporal_" + clean


def _label(key: str, value: str | int | float | bool) -> tuple[str, str]:
    name = re.sub(r"[^a-zA-Z0-9_]", "_", key)
    # "__" prefixes are reserved for Prometheus itself, and a label name may not start with a digit.
    if name[:1].isdigit() or name.startswith("__"):
        name = "attr" + name
    return name, str(value).lower() if isinstance(value, bool) else str(value)


class TemporalSdkMetrics(Collector):
    """Exposes a Temporal `MetricBuffer` as Prometheus metric families.

    The buffer only hands out deltas (counters) and raw observations (histograms), and drops
    updates once full, so every scrape drains it and folds the updates into running totals here.
    """

    def __init__(self, buffer: MetricBuffer) -> None:
        self._buffer = buffer
        self._lock = threading.Lock()  # scrapes may come from several threads
        self._help: dict[str, str] = {}
        self._counters: dict[str, dict[_Labels, float]] = {}
        self._gauges: dict[str, dict[_Labels, float]] = {}
        # Histograms keep only count and sum: the buffer gives observations, not SDK buckets.
        self._histograms: dict[str, dict[_Labels, tuple[int, float]]] = {}

    def drain(self) -> None:
        with self._lock:
            for update in self._buffer.retrieve_updates():
                metric, value = update.metric, float(update.value)
                name = _metric_name(metric.name)
                self._help.setdefault(name, metric.description or metric.name)
                labels = tuple(sorted(_label(k, v) for k, v in update.attributes.items()))
                if metric.kind == BUFFERED_METRIC_KIND_COUNTER:
                    series = self._counters.setdefault(name, {})
                    series[labels] = series.get(labels, 0.0) + value
                elif metric.kind == BUFFERED_METRIC_KIND_GAUGE:
                    self._gauges.setdefault(name, {})[labels] = value
                elif metric.kind == BUFFERED_METRIC_KIND_HISTOGRAM:
                    hist = self._histograms.setdefault(name, {})
                    count, total = hist.get(labels, (0, 0.0))
                    hist[labels] = (count + 1, total + value)

    def collect(self) -> list[Metric]:
        self.drain()
        families: list[Metric] = []
        with self._lock:
            for name, series in self._counters.items():
                keys = _keys(series)
                counter = CounterMetricFamily(name, self._help[name], labels=keys)
                for labels, value in series.items():
                    counter.add_metric(_values(keys, labels), value)
                families.append(counter)
            for name, series in self._gauges.items():
                keys = _keys(series)
                gauge = GaugeMetricFamily(name, self._help[name], labels=keys)
                for labels, value in series.items():
                    gauge.add_metric(_values(keys, labels), value)
                families.append(gauge)
            for name, hists in self._histograms.items():
                keys = _keys(hists)
                summary = SummaryMetricFamily(name, self._help[name], labels=keys)
                for labels, (count, total) in hists.items():
                    summary.add_metric(_values(keys, labels), count, total)
                families.append(summary)
        return families


def _keys(series: Mapping[_Labels, object]) -> list[str]:
    # Attribute sets of one metric can differ; a label missing from a series is exposed as "",
    # which Prometheus treats the same as an absent label.
    return sorted({key for labels in series for key, _ in labels})


def _values(keys: list[str], labels: _Labels) -> list[str]:
    return [dict(labels).get(key, "") for key in keys]


def runtime_with_sdk_metrics(buffer_size: int = 10_000) -> tuple[Runtime, TemporalSdkMetrics]:
    """A Temporal runtime whose SDK metrics are buffered for scraping rather than dropped."""
    buffer = MetricBuffer(buffer_size, MetricBufferDurationFormat.SECONDS)
    runtime = Runtime(telemetry=TelemetryConfig(metrics=buffer))
    return runtime, TemporalSdkMetrics(buffer)


class ApiMetrics:
    def __init__(self, sdk_metrics: TemporalSdkMetrics | None = None) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "diversion_http_requests_total",
            "HTTP requests handled, by route template, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "diversion_http_request_duration_seconds",
            "Time to handle an HTTP request, by route template and method.",
            ["route", "method"],
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.stalled = Gauge(
            "diversion_stalled_workflows",
            "Running workflows the Temporal server flags for workflow tasks failing again "
            "and again (`diversion stalled` lists them): alert on any.",
            registry=self.registry,
        )
        if sdk_metrics is not None:
            self.registry.register(sdk_metrics)

    def asgi_middleware(self, app: ASGIApp) -> ASGIApp:
        return MetricsMiddleware(app, self)

    def render(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class MetricsMiddleware:
    """Pure ASGI so streamed bodies pass straight through instead of being buffered."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status: int | None = None
        started = time.perf_counter()

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start" and status is None:
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - started
            # The route template, never the raw path: ids in labels would explode cardinality.
            route = getattr(scope.get("route"), "path", None) or UNMATCHED
            # No response sent means the app died first; the server will answer 500.
            self.metrics.requests.labels(route, scope["method"], str(status or 500)).inc()
            self.metrics.duration.labels(route, scope["method"]).observe(elapsed)


async def watch_stalled(client: Client, metrics: ApiMetrics, every: float) -> None:
    """Keep `diversion_stalled_workflows` current until cancelled. A count that fails (the
    cluster briefly away) keeps the last value: the alert is about cases, not the API."""
    while True:
        try:
            metrics.stalled.set(await count_stalled(client))
        except RPCError as e:
            logger.warning("could not count stalled workflows: %s", e)
        await asyncio.sleep(every)


# -- who may scrape -------------------------------------------------------------------------


def scrape(metrics: ApiMetrics, token: SecretStr | None, authorization: str | None) -> Response:
    """The metrics, or 401 when a token is set (DIVERSION_METRICS_TOKEN) and the request
    does not carry it as a bearer token."""
    if token is not None:
        expected = f"Bearer {token.get_secret_value()}".encode()
        if not hmac.compare_digest((authorization or "").encode(), expected):
            return problem_response(
                ProblemKind.UNAUTHORISED,
                "send the metrics token: Authorization: Bearer <DIVERSION_METRICS_TOKEN>",
                instance="/metrics",
                headers={"WWW-Authenticate": "Bearer"},
            )
    body, content_type = metrics.render()
    return Response(body, media_type=content_type)


def metrics_app(metrics: ApiMetrics, token: SecretStr | None) -> Starlette:
    """/metrics alone, for its own address (DIVERSION_METRICS_ADDRESS)."""

    async def endpoint(request: Request) -> Response:
        return scrape(metrics, token, request.headers.get("authorization"))

    return Starlette(routes=[Route("/metrics", endpoint, methods=["GET"])])
