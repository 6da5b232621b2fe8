"""A clear page for each error: signed out, forbidden, not found, a task already done, the
workflow refusing what was sent, the workflow service not answering.

Page routes use `PageRoute`: the service layer's `ProblemError` (the same the API turns
into problem+json) becomes an HTML page with the status the API would answer.
"""

import inspect
import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope, Send

from api.pages.security import is_page_path
from api.pages.session import SignedOut
from api.pages.templating import Pages
from api.problems import ProblemError, ProblemKind

_log = logging.getLogger(__name__)
TITLES = {
    ProblemKind.NOT_FOUND: "Not found",
    ProblemKind.FORBIDDEN: "Not allowed",
    ProblemKind.UNAUTHORISED: "Signed out",
    ProblemKind.TASK_REJECTED: "Not accepted",
    ProblemKind.VALIDATION: "Something in the request is not right",
    ProblemKind.UPSTREAM_UNAVAILABLE: "The case service is not answering",
}
ADVICE = {
    ProblemKind.NOT_FOUND: "It may have been closed, or it is not one you can see.",
    ProblemKind.FORBIDDEN: "Your account does not have a role that may do this.",
    ProblemKind.TASK_REJECTED: "Nothing was recorded.",
    ProblemKind.UPSTREAM_UNAVAILABLE: "Nothing was recorded. Try again in a minute.",
}


class PageRoute(APIRoute):
    """A route answered with HTML whatever goes wrong."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except SignedOut as e:
                return signed_out(request, str(e))
            except ProblemError as e:
                return problem_page(request, e.kind, e.detail)
            except RequestValidationError as e:
                detail = "; ".join(str(err.get("msg", "")) for err in e.errors())
                return problem_page(request, ProblemKind.VALIDATION, detail)
            except Exception:
                _log.exception("page %s failed", request.url.path)
                return problem_page(
                    request, ProblemKind.INTERNAL, "something went wrong on our side"
                )

        return answer


def pages_of(request: Request) -> Pages:
    found: Pages = request.app.state.pages.templates
    return found


def signed_out(request: Request, reason: str) -> Response:
    """A page read while signed out goes to sign-in and comes back; a form sent while
    signed out says so (what was typed cannot be replayed after a redirect)."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    sign_in = f"/auth/sign-in?next={quote(here)}"
    if request.method == "GET" and "hx-request" not in request.headers:
        return RedirectResponse(sign_in, status_code=303)
    return pages_of(request).render(
        request,
        "error.html",
        {"title": "Signed out", "detail": reason.capitalize() + ".", "sign_in": sign_in},
        status=401,
    )


def problem_page(request: Request, kind: ProblemKind, detail: str) -> Response:
    return pages_of(request).render(
        request,
        "error.html",
        {
            "title": TITLES.get(kind, "Something went wrong"),
            "detail": detail[:1].upper() + detail[1:],
            "advice": ADVICE.get(kind, ""),
        },
        status=kind.status,
    )


def html_for_page_paths(app: FastAPI) -> None:
    """Starlette's own errors (no such page, wrong method) on a page path are pages too;
    elsewhere the API's problem+json handler answers as before."""
    api_handler = app.exception_handlers[StarletteHTTPException]

    async def on_http(request: Request, exc: Exception) -> Response:
        if not is_page_path(request.url.path):
            answer = api_handler(request, exc)
            return await answer if inspect.isawaitable(answer) else answer
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            return problem_page(request, ProblemKind.NOT_FOUND, "there is no such page")
        kind = ProblemKind.METHOD_NOT_ALLOWED if exc.status_code == 405 else ProblemKind.VALIDATION
        return problem_page(request, kind, str(exc.detail))

    app.add_exception_handler(StarletteHTTPException, on_http)


def refusal_sender(pages: Pages) -> Callable[[Scope, Send, str], Coroutine[Any, Any, None]]:
    """What the guards answer with: a 403 page, rendered without the app's routing."""

    async def refuse(scope: Scope, send: Send, message: str) -> None:
        html = pages.env.get_template("error.html").render(
            {
                "title": "Refused",
                "detail": message,
                "person": None,
                "csrf_token": "",
                "advice": "",
                "sign_in": "",
            }
        )
        response = HTMLResponse(html, status_code=403)

        async def no_body() -> dict[str, Any]:
            return {"type": "http.disconnect"}

        await response(scope, no_body, send)

    return refuse
