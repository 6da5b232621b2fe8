"""Unauthenticated service endpoints, outside the OpenAPI schema: health, readiness,
metrics, the dev key set and the problem type descriptions."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from api.metrics import scrape
from api.problems import ProblemError, ProblemKind
from api.services import Services, services

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up; says nothing about Temporal (that is /readyz)."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(found: Annotated[Services, Depends(services)]) -> dict[str, Any]:
    try:
        polling = await found.gateway.worker_polling()
    except Exception as e:  # any failure to reach Temporal means not ready
        raise ProblemError(
            ProblemKind.UPSTREAM_UNAVAILABLE, f"Temporal is not reachable: {type(e).__name__}"
        ) from None
    if not polling:
        raise ProblemError(
            ProblemKind.UPSTREAM_UNAVAILABLE,
            f"no worker is polling task queue {found.settings.task_queue!r}",
        )
    return {"status": "ready", "temporal": "reachable", "worker": "polling"}


@router.get("/metrics")
async def metrics(request: Request, found: Annotated[Services, Depends(services)]) -> Response:
    """Here unless the metrics have an address of their own; a token if one is set."""
    if found.settings.metrics_bind is not None:
        raise ProblemError(ProblemKind.NOT_FOUND, "the metrics are not served on this address")
    return scrape(found.metrics, found.settings.metrics_token, request.headers.get("authorization"))


@router.get("/problems/{slug}")
async def problem_type(slug: str) -> dict[str, Any]:
    """What a problem `type` means: the `type` URIs resolve here."""
    for kind in ProblemKind:
        if kind.slug == slug:
            return {"type": kind.type_uri, "title": kind.title, "status": kind.status}
    raise ProblemError(ProblemKind.NOT_FOUND, f"no problem type {slug!r}")
