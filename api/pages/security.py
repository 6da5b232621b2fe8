"""What guards the pages and nothing else (the API keeps its bearer tokens): the signed
session cookie, a CSRF token on every form and htmx request (asgi-csrf, double submit),
and an Origin check on every request that changes something.

The Origin check refuses what the token alone might let through: a POST that carries no
cookie at all (asgi-csrf lets those pass, the sign-in forms among them) and any browser
request from another site.
"""

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from asgi_csrf import asgi_csrf
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

PAGE_PREFIXES = ("/staff", "/court", "/auth", "/static")
# asgi-csrf 0.11 cannot read multipart bodies with the python-multipart FastAPI needs (its
# parser's `FileClass` is gone): the pages that upload check the same token themselves,
# once the form is parsed (`multipart_token_matches`), and the Origin check still applies.
MULTIPART_PATHS = frozenset({"/court/referrals/new"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_COOKIE = "diversion_session"
CSRF_COOKIE = "diversion_csrf"

Refusal = Callable[[Scope, Send, str], Awaitable[None]]


def is_page_path(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in PAGE_PREFIXES)


class PagesGuard:
    """Sends page requests through the session, Origin and CSRF layers; everything else
    (the API, health, metrics) goes straight to the app."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        secret: str,
        idle_seconds: int,
        secure: bool,
        refuse: Refusal,
    ) -> None:
        self.app = app
        csrf = asgi_csrf(
            app,
            cookie_name=CSRF_COOKIE,
            signing_secret=secret,
            signing_namespace="diversion-pages-csrf",
            cookie_secure=secure,
            send_csrf_failed=_csrf_failed(refuse),
            skip_if_scope=_checked_by_the_page,
        )
        checked = OriginCheck(csrf, refuse=refuse)
        self.guarded = SessionMiddleware(
            checked,
            secret_key=secret,
            session_cookie=SESSION_COOKIE,
            # Signed anew with every answer, so this is an idle limit (session.py keeps
            # its own, and the longest a session may last).
            max_age=idle_seconds,
            same_site="lax",
            https_only=secure,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and is_page_path(scope["path"]):
            await self.guarded(scope, receive, send)
        else:
            await self.app(scope, receive, send)


class OriginCheck:
    """A request that changes something must say it comes from this site: its `Origin`
    (or, where a browser sends none, its `Referer`) is this server's own."""

    def __init__(self, app: ASGIApp, *, refuse: Refusal) -> None:
        self.app = app
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in SAFE_METHODS and not same_origin(scope):
            await self.refuse(scope, send, "This request did not come from a page of this site.")
            return
        await self.app(scope, receive, send)


def same_origin(scope: Scope) -> bool:
    headers = _headers(scope)
    host = headers.get("host", "")
    claimed = headers.get("origin") or headers.get("referer") or ""
    if not host or not claimed or claimed == "null":
        return False
    parts = urlsplit(claimed)
    return parts.scheme == scope.get("scheme", "http") and parts.netloc == host


def _checked_by_the_page(scope: Scope) -> bool:
    content_type = _headers(scope).get("content-type", "")
    return scope["path"] in MULTIPART_PATHS and content_type.startswith("multipart/form-data")


def multipart_token_matches(scope: Scope, sent: object) -> bool:
    """Whether an uploaded form's token is this browser's (asgi-csrf's own double submit:
    its token is the signed cookie's value, or a fresh one that matches nothing)."""
    token = scope.get("csrftoken")
    expected = token() if callable(token) else ""
    return isinstance(sent, str) and bool(expected) and secrets.compare_digest(sent, expected)


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _csrf_failed(refuse: Refusal) -> Callable[[Scope, Send, Any], Awaitable[None]]:
    async def failed(scope: MutableMapping[str, Any], send: Send, _reason: Any) -> None:
        await refuse(
            scope,
            send,
            "This form has expired or did not come from this site. Go back, reload the page "
            "and try again.",
        )

    return failed
