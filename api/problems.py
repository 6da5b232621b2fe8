"""RFC 9457 problem details: one stable `type` per error kind, never a stack trace.

Routes and the gateway raise `ProblemError`; the handlers installed by
`install_problem_handlers` turn it, request validation failures, Starlette's own HTTP
errors and anything unexpected into `application/problem+json`.
"""

import logging
from enum import Enum
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
PROBLEM_PATH = "/problems/"
_log = logging.getLogger(__name__)


class ProblemKind(Enum):
    """(slug, status, title). The slug is the stable part of the `type` URI."""

    VALIDATION = ("validation", 422, "The request is not valid")
    NOT_FOUND = ("not-found", 404, "Not found")
    CONFLICT = ("conflict", 409, "Conflicts with what is already recorded")
    TASK_REJECTED = ("task-rejected", 422, "The case refused the request")
    IDEMPOTENCY_KEY_REUSED = (
        "idempotency-key-reused",
        422,
        "The Idempotency-Key was already used for a different request",
    )
    DOCUMENT_REFUSED = (
        "document-refused",
        422,
        "The document could not be read; it is kept in quarantine for correction",
    )
    UNAUTHORISED = ("unauthorised", 401, "A valid bearer token is required")
    FORBIDDEN = ("forbidden", 403, "Your roles or jurisdictions do not allow this")
    SIGNATURE_REFUSED = (
        "signature-refused",
        403,
        "The request's signature could not be verified",
    )
    METHOD_NOT_ALLOWED = ("method-not-allowed", 405, "Method not allowed")
    NOT_ACCEPTABLE = ("not-acceptable", 406, "None of the media types you accept can be sent")
    PAYLOAD_TOO_LARGE = ("payload-too-large", 413, "The request body is too large")
    UNSUPPORTED_MEDIA_TYPE = ("unsupported-media-type", 415, "Unsupported content type")
    UPSTREAM_UNAVAILABLE = (
        "upstream-unavailable",
        503,
        "The workflow service is unavailable; try again shortly",
    )
    INTERNAL = ("internal", 500, "Internal error")

    @property
    def slug(self) -> str:
        return self.value[0]

    @property
    def status(self) -> int:
        return int(self.value[1])

    @property
    def title(self) -> str:
        return self.value[2]

    @property
    def type_uri(self) -> str:
        return PROBLEM_PATH + self.slug


class Problem(BaseModel):
    """An RFC 9457 problem; kinds add the extension members documented with them."""

    model_config = {"extra": "allow"}

    type: str = Field(examples=["/problems/not-found"])
    title: str
    status: int
    detail: str = ""
    instance: str | None = None


class BodyTooLarge(Exception):
    """Raised while reading a body past the limit (api/body_limit.py)."""


class ProblemError(Exception):
    def __init__(
        self,
        kind: ProblemKind,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.headers = headers or {}
        self.extensions = extensions


def problem_response(
    kind: ProblemKind,
    detail: str,
    *,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    body = Problem(
        type=kind.type_uri, title=kind.title, status=kind.status, detail=detail, instance=instance
    ).model_dump(exclude_none=True)
    body.update(extensions)
    return JSONResponse(body, status_code=kind.status, media_type=PROBLEM_JSON, headers=headers)


def problem_responses(*kinds: ProblemKind) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the problems a route can answer with: one per
    status, naming every kind that shares it (422 may be `validation` or `task-rejected`)."""
    by_status: dict[int, list[ProblemKind]] = {}
    for kind in kinds:
        by_status.setdefault(kind.status, []).append(kind)
    return {status: _documented(group) for status, group in by_status.items()}


def _documented(kinds: list[ProblemKind]) -> dict[str, Any]:
    return {
        "model": Problem,
        "description": "; or ".join(f"{k.title} (`{k.type_uri}`)" for k in kinds),
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


# What any /v1 operation may answer besides what it declares: it reaches Temporal.
EVERY_OPERATION = (ProblemKind.UPSTREAM_UNAVAILABLE, ProblemKind.INTERNAL)


def problems_in_openapi(schema: dict[str, Any]) -> dict[str, Any]:
    """Document FastAPI's own 422 (added to any route with parameters) as the problem+json
    it really is, and the 500 and 503 every operation can answer."""
    validation = _documented([ProblemKind.VALIDATION])
    validation.pop("model")
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            default_422 = responses.get("422", {}).get("description") == "Validation Error"
            if default_422:
                responses["422"] = validation
            for kind in EVERY_OPERATION:
                documented = _documented([kind])
                documented.pop("model")
                responses.setdefault(str(kind.status), documented)
    schema.get("components", {}).get("schemas", {}).pop("HTTPValidationError", None)
    schema.get("components", {}).get("schemas", {}).pop("ValidationError", None)
    return schema


_STATUS_KINDS = {kind.status: kind for kind in reversed(ProblemKind)}


def _validation_errors(error: RequestValidationError) -> list[dict[str, Any]]:
    # Never echo `input`: a rejected referral may hold a victim's contact details.
    return [
        {
            "location": ".".join(str(part) for part in err.get("loc", ())),
            "message": str(err.get("msg", "")),
            "code": str(err.get("type", "")),
        }
        for err in error.errors()
    ]


def install_problem_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ProblemError)
        return problem_response(
            exc.kind,
            exc.detail,
            instance=request.url.path,
            headers=exc.headers,
            **exc.extensions,
        )

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = _validation_errors(exc)
        first = errors[0] if errors else {"location": "", "message": "invalid request"}
        return problem_response(
            ProblemKind.VALIDATION,
            f"{first['location']}: {first['message']}" if first["location"] else first["message"],
            instance=request.url.path,
            errors=errors,
        )

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if isinstance(exc.__cause__, BodyTooLarge):
            # FastAPI reads the body itself and re-raises what stopped it as a 400.
            return problem_response(
                ProblemKind.PAYLOAD_TOO_LARGE, str(exc.__cause__), instance=request.url.path
            )
        kind = _STATUS_KINDS.get(exc.status_code, ProblemKind.INTERNAL)
        if exc.status_code == 400:  # a body FastAPI could not parse (not JSON, not UTF-8)
            kind = ProblemKind.VALIDATION
        detail = exc.detail if isinstance(exc.detail, str) else kind.title
        return problem_response(
            kind, detail, instance=request.url.path, headers=dict(exc.headers or {})
        )

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        _log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(
            ProblemKind.INTERNAL,
            "something went wrong on our side; it has been logged",
            instance=request.url.path,
        )

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)
