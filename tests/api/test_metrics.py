"""API metrics: route templates as labels, per-app registries, and real Temporal SDK metrics."""

import shutil
import sys
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample
from starlette.types import ASGIApp, Receive, Scope, Send
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.testing import WorkflowEnvironment

from api.metrics import ApiMetrics, MetricsMiddleware, runtime_with_sdk_metrics

REQUESTS = "diversion_http_requests_total"


def samples(metrics: ApiMetrics) -> list[Sample]:
    body, content_type = metrics.render()
    assert content_type.startswith("text/plain")
    return [s for f in text_string_to_metric_families(body.decode()) for s in f.samples]


def value(metrics: ApiMetrics, name: str, **labels: str) -> float | None:
    """The sample with exactly these labels; an empty label counts as absent, as in Prometheus."""

    def present(sample: Sample) -> dict[str, str]:
        return {k: v for k, v in sample.labels.items() if v}

    found = [s.value for s in samples(metrics) if s.name == name and present(s) == labels]
    assert len(found) <= 1
    return found[0] if found else None


def things_app() -> FastAPI:
    app = FastAPI()

    @app.get("/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    return app


def client_for(app: ASGIApp) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_requests_are_labelled_by_route_template_not_raw_path() -> None:
    metrics = ApiMetrics()
    async with client_for(MetricsMiddleware(things_app(), metrics)) as client:
        assert (await client.get("/things/abc-123")).status_code == 200
        assert (await client.get("/things/xyz-789")).status_code == 200
        assert (await client.get("/nowhere/secret-42")).status_code == 404

    route = "/things/{thing_id}"
    assert value(metrics, REQUESTS, route=route, method="GET", status="200") == 2
    assert value(metrics, REQUESTS, route="unmatched", method="GET", status="404") == 1
    duration = "diversion_http_request_duration_seconds_count"
    assert value(metrics, duration, route=route, method="GET") == 2
    label_values = {v for s in samples(metrics) for v in s.labels.values()}
    for raw in ("abc-123", "xyz-789", "secret-42", "/nowhere/secret-42"):
        assert not any(raw in v for v in label_values)


async def test_a_route_that_raises_is_counted_as_500() -> None:
    metrics = ApiMetrics()
    async with client_for(MetricsMiddleware(things_app(), metrics)) as client:
        assert (await client.get("/boom")).status_code == 500

    assert value(metrics, REQUESTS, route="/boom", method="GET", status="500") == 1


async def test_an_app_that_dies_before_responding_is_counted_as_500_and_reraised() -> None:
    async def dies(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("no response")

    metrics = ApiMetrics()
    transport = httpx.ASGITransport(app=MetricsMiddleware(dies, metrics))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        with pytest.raises(RuntimeError, match="no response"):
            await client.get("/x")

    assert value(metrics, REQUESTS, route="unmatched", method="GET", status="500") == 1


async def test_two_instances_do_not_share_counts() -> None:
    first, second = ApiMetrics(), ApiMetrics()
    async with client_for(first.asgi_middleware(things_app())) as client:
        await client.get("/things/1")

    route = "/things/{thing_id}"
    assert value(first, REQUESTS, route=route, method="GET", status="200") == 1
    assert value(second, REQUESTS, route=route, method="GET", status="200") is None


async def test_sdk_meter_updates_are_aggregated_and_sanitised() -> None:
    runtime, sdk = runtime_with_sdk_metrics()
    metrics = ApiMetrics(sdk)
    meter = runtime.metric_meter
    counter = meter.create_counter("custom.jobs-done")
    counter.add(2, {"task-queue": "q", "urgent": True})
    counter.add(3, {"task-queue": "q", "urgent": True})
    gauge = meter.create_gauge("temporal_backlog")
    gauge.set(7, {"q": "a"})
    gauge.set(4, {"q": "a"})
    hist = meter.create_histogram_float("custom_wait")
    hist.record(0.5, {})
    hist.record(1.5, {})

    labels = {"task_queue": "q", "urgent": "true", "service_name": "temporal-core-sdk"}
    assert value(metrics, "temporal_custom_jobs_done_total", **labels) == 5
    counter.add(1, {"task-queue": "q", "urgent": True})
    assert value(metrics, "temporal_custom_jobs_done_total", **labels) == 6
    service = {"service_name": "temporal-core-sdk"}
    assert value(metrics, "temporal_backlog", q="a", **service) == 4
    assert value(metrics, "temporal_custom_wait_count", **service) == 2
    assert value(metrics, "temporal_custom_wait_sum", **service) == 2.0


def server_path() -> str:
    return shutil.which("temporal-test-server") or str(
        Path(sys.executable).parent / "temporal-test-server"
    )


async def test_real_sdk_client_metrics_accumulate_across_scrapes() -> None:
    runtime, sdk = runtime_with_sdk_metrics()
    metrics = ApiMetrics(sdk)
    async with await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=server_path(), runtime=runtime
    ) as env:
        request = {"operation": "GetSystemInfo", "service_name": "temporal-core-sdk"}
        before = value(metrics, "temporal_request_total", **request) or 0.0
        await env.client.workflow_service.get_system_info(GetSystemInfoRequest())
        after = value(metrics, "temporal_request_total", **request)
        assert after == before + 1

        assert value(metrics, "temporal_request_total", **request) == after
        count = value(metrics, "temporal_request_latency_count", **request)
        total = value(metrics, "temporal_request_latency_sum", **request)
        assert count == after
        assert count is not None and total is not None
        # Seconds, not milliseconds: a local call takes a few ms.
        assert 0 < total < count
