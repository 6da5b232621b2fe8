"""Signing in and out of the pages.

OpenID Connect, authorization code with PKCE (S256), through authlib's Starlette client
configured from the provider's discovery document: the ID token's `sub`, `roles` and
`jurisdictions` claims (or the userinfo endpoint's, where the token leaves roles out)
become the session, read exactly as the API reads a token's. In dev, a picker offers
one demo person per role; it answers 404 anywhere else.
"""

import logging
import warnings
from typing import Any

import authlib.deprecate  # noqa: F401  (its import installs the filter ours must follow)
from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from api.pages.context import DevIdentity, PagesState, State
from api.pages.errors import PageRoute, problem_page
from api.pages.forms import submitted_form
from api.pages.session import SignedOut, sign_in, sign_out
from api.pages.settings import PagesSettings, dev_picker_allowed
from api.problems import ProblemKind
from diversion.settings import Settings
from domain.enums import Role
from domain.policy import Jurisdiction

with warnings.catch_warnings():
    # As in adapters/http/oauth.py: authlib warns that it falls back to the httpx we pin,
    # its supported path until it removes it; `make run` should not print that to staff.
    warnings.filterwarnings("ignore", message="The httpx module is deprecated")
    from authlib.integrations.starlette_client import OAuth, OAuthError

router = APIRouter(route_class=PageRoute, include_in_schema=False)
NEXT = "next_page"
_log = logging.getLogger(__name__)


def oidc_client(config: PagesSettings) -> Any | None:
    """authlib's client for the configured identity provider, or None without one."""
    if config.oidc_metadata_url is None or config.oidc_client_id is None:
        return None
    oauth = OAuth()
    secret = config.oidc_client_secret
    oauth.register(
        "idp",
        server_metadata_url=config.oidc_metadata_url,
        client_id=config.oidc_client_id,
        client_secret=secret.get_secret_value() if secret is not None else None,
        client_kwargs={"scope": config.oidc_scope, "code_challenge_method": "S256"},
    )
    return oauth.create_client("idp")


def dev_identities(settings: Settings, jurisdictions: dict[str, Jurisdiction]) -> list[DevIdentity]:
    """One person per role in the first jurisdiction, as `make run`'s tokens; facilitators
    one each per roster entry, since only a case's assigned ones record its meetings."""
    if not jurisdictions:
        return []
    home = next(iter(jurisdictions))
    found = []
    for role in Role:
        people = [(e.sub, e.name) for e in jurisdictions[home].roster]
        if role is not Role.FACILITATOR or not people:
            people = [(f"dev-{role.value}", f"Demo {role.value.replace('_', ' ')}")]
        for sub, name in people:
            claims = {"sub": sub, "name": name, "roles": [role.value], "jurisdictions": [home]}
            found.append(DevIdentity(sub, f"{name} ({role.value.replace('_', ' ')})", claims))
    return found


def _next_page(value: str | None) -> str:
    """Only a path on this site: never an address elsewhere (`//host`, `https://...`)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/staff/"
    return value


@router.get("/auth/sign-in")
async def sign_in_page(request: Request, state: State, next: str | None = None) -> Response:
    return state.templates.render(
        request,
        "sign_in.html",
        {
            "next": _next_page(next),
            "oidc": state.oidc is not None,
            "identities": state.dev_identities if _picker_on(state) else [],
        },
    )


@router.get("/auth/oidc")
async def start_oidc(request: Request, state: State, next: str | None = None) -> Response:
    if state.oidc is None:
        return problem_page(request, ProblemKind.NOT_FOUND, "no identity provider is configured")
    request.session[NEXT] = _next_page(next)
    redirect_uri = str(request.url_for("oidc_callback"))
    response: Response = await state.oidc.authorize_redirect(request, redirect_uri)
    return response


@router.get("/auth/callback", name="oidc_callback")
async def oidc_callback(request: Request, state: State) -> Response:
    if state.oidc is None:
        return problem_page(request, ProblemKind.NOT_FOUND, "no identity provider is configured")
    next_page = _next_page(request.session.get(NEXT))
    try:
        token = await state.oidc.authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
        if "roles" not in claims:
            claims.update(await state.oidc.userinfo(token=token))
        sign_in(request, claims, via="oidc")
    except OAuthError as e:
        _log.info("sign-in refused by the identity provider: %s", e.error)
        return _not_signed_in(
            request, state, f"The identity provider did not sign you in ({e.error})."
        )
    except SignedOut as e:
        return _not_signed_in(request, state, str(e).capitalize() + ".")
    return RedirectResponse(next_page, status_code=303)


@router.post("/auth/dev")
async def dev_sign_in(request: Request, state: State) -> Response:
    if not _picker_on(state):
        return problem_page(
            request, ProblemKind.NOT_FOUND, "the demo identity picker exists only in dev mode"
        )
    submitted = await submitted_form(request)
    chosen = next((i for i in state.dev_identities if i.key == submitted.one("identity")), None)
    if chosen is None:
        return problem_page(request, ProblemKind.VALIDATION, "choose one of the demo identities")
    sign_in(request, chosen.claims, via="dev")
    return RedirectResponse(_next_page(submitted.one("next")), status_code=303)


@router.post("/auth/sign-out")
async def sign_out_now(request: Request, state: State) -> Response:
    sign_out(request)
    return state.templates.render(request, "signed_out.html", {"oidc": state.oidc is not None})


def _not_signed_in(request: Request, state: PagesState, detail: str) -> Response:
    """A failed sign-in says why, and offers to try again (never a redirect loop)."""
    return state.templates.render(
        request,
        "error.html",
        {"title": "Not signed in", "detail": detail, "sign_in": "/auth/sign-in"},
        status=401,
    )


def _picker_on(state: PagesState) -> bool:
    return dev_picker_allowed(state.settings) and bool(state.dev_identities)
