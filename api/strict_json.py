"""JSON bodies are read strictly before any route sees them.

FastAPI reads a JSON body with `json.loads`, which lets a lone surrogate through (`"\\ud800"`,
or its three bytes written raw): the body then passes validation, and fails only when the
Temporal payload converter cannot encode it, as a 500. Here every JSON body is parsed by
pydantic's own parser first (the one `model_validate_json` uses), which refuses text that
is not Unicode, so such a body is a 422 `/problems/validation` on every route, before
authentication, as any other malformed body is.

A body without a content type is checked too where FastAPI would read it as JSON: it
does so for a route with a body model. There only what `json.loads` accepts and the
strict parser refuses is answered here; anything else is left to the route.
"""

import json

import pydantic_core
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import ProblemKind, problem_response

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# How the parser names text that is not Unicode: a lone surrogate, escaped ("lone leading
# surrogate", "unexpected end of hex escape" when no low half follows) or raw ("invalid
# unicode code point"), and bytes that are not UTF-8.
_UNICODE_WORDS = ("surrogate", "hex escape", "unicode", "utf-8")


def is_json(media_type: str) -> bool:
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def refusal(body: bytes) -> str | None:
    """Why `body` is not strict JSON text, or None when it is."""
    try:
        pydantic_core.from_json(body)
    except ValueError as e:
        reason = str(e)
        if any(word in reason.lower() for word in _UNICODE_WORDS):
            return f"text that is not valid Unicode ({reason}); send UTF-8 text"
        return reason
    return None


class StrictJsonMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        content_type = dict(scope["headers"]).get(b"content-type")
        media_type = (content_type or b"").split(b";", 1)[0].strip().lower().decode("latin-1")
        if content_type is not None and not is_json(media_type):
            await self.app(scope, receive, send)
            return
        body, last = await _read(receive)
        reason = refusal(body) if body.strip() else None
        if reason is not None and content_type is None and not _loads(body):
            reason = None  # not JSON at all: the route says what it expected
        if reason is not None:
            response = problem_response(
                ProblemKind.VALIDATION,
                f"body: {reason}",
                instance=scope.get("path"),
                errors=[{"location": "body", "message": reason, "code": "json_invalid"}],
            )
            await response(scope, receive, send)
            return
        await self.app(scope, _replay(body, last, receive), send)


async def _read(receive: Receive) -> tuple[bytes, Message]:
    """The whole body (a size limit outside this one stops an endless one) and the last
    message that carried it."""
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body", False):
            return b"".join(chunks), message


def _replay(body: bytes, last: Message, receive: Receive) -> Receive:
    given = False

    async def replayed() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        if last["type"] != "http.request":
            return last  # the client went away while sending
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def _loads(body: bytes) -> bool:
    try:
        json.loads(body)
    except ValueError:
        return False
    return True
