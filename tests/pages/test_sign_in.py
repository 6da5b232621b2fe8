"""Signing in to the pages (OpenID Connect with PKCE against a local provider), the
session cookie, CSRF and Origin checks, the dev picker, and reach across jurisdictions."""

import time

import httpx
import pytest
from starlette.requests import Request

from api.app import create_app
from api.pages import session
from api.pages.security import CSRF_COOKIE, SESSION_COOKIE
from api.pages.settings import PagesSettings
from diversion.settings import Settings
from tests.pages.cases import refer
from tests.pages.conftest import COORDINATOR, JUDGE, OTHER_JUDGE, Site
from tests.pages.signing import csrf_token, origin, sign_in


async def test_oidc_sign_in_with_pkce_opens_a_session_with_the_tokens_claims(site: Site) -> None:
    verified = site.idp.pkce.verified
    async with site.http() as http:
        await sign_in(site, http, COORDINATOR)
        assert site.idp.pkce.verified == verified + 1
        inbox = await http.get("/staff/")
        assert inbox.status_code == 200
        assert COORDINATOR.name in inbox.text and "Coordinator" in inbox.text
        assert any(c.name == SESSION_COOKIE for c in http.cookies.jar)
        set_cookie = inbox.headers.get("set-cookie", "").lower()
        assert "httponly" in set_cookie and "samesite=lax" in set_cookie


async def test_a_token_request_without_the_right_verifier_signs_nobody_in(site: Site) -> None:
    async with site.http() as http:
        start = await http.get("/auth/oidc")
        async with httpx.AsyncClient() as idp:
            chosen = await idp.post(start.headers["location"], data={"sub": COORDINATOR.sub})
        site.idp.pkce.challenges.clear()  # as if the client had sent no challenge
        back = chosen.headers["location"].split("/auth/callback", 1)[1]
        refused = await http.get(f"/auth/callback{back}")
        assert refused.status_code == 401
        assert "did not sign you in" in refused.text
        assert (await http.get("/staff/")).status_code == 303  # still signed out


async def test_signed_out_pages_go_to_sign_in_and_come_back(site: Site) -> None:
    async with site.http() as http:
        answer = await http.get("/staff/cases/case-demo-x?tab=1")
        assert answer.status_code == 303
        assert answer.headers["location"] == "/auth/sign-in?next=/staff/cases/case-demo-x%3Ftab%3D1"
        page = await http.get(answer.headers["location"])
        assert "Sign in with your organisation" in page.text


async def test_posts_need_the_csrf_token_and_this_sites_origin(site: Site) -> None:
    async with site.http() as http:
        await sign_in(site, http, COORDINATOR)
        case_id = await refer(site, http)
        page = await http.get(f"/staff/cases/{case_id}/withdrawal")
        token = csrf_token(page.text)
        form = {"party": "participant", "confirm": "yes"}
        path = f"/staff/cases/{case_id}/withdrawal"

        no_token = await http.post(path, data=form, headers=origin(site))
        assert no_token.status_code == 403
        assert "did not come from this site" in no_token.text
        elsewhere = await http.post(
            path, data=form | {"csrftoken": token}, headers={"Origin": "http://evil.example"}
        )
        assert elsewhere.status_code == 403
        no_origin = await http.post(path, data=form | {"csrftoken": token})
        assert no_origin.status_code == 403
        wrong_token = await http.post(
            path, data=form | {"csrftoken": token[:-2] + "xx"}, headers=origin(site)
        )
        assert wrong_token.status_code == 403
        # The same form with both is taken: the participant's withdrawal is recorded.
        accepted = await http.post(path, data=form | {"csrftoken": token}, headers=origin(site))
        assert accepted.status_code == 303, accepted.text
        assert http.cookies.get(CSRF_COOKIE)


async def test_sign_out_ends_the_session(site: Site) -> None:
    async with site.http() as http:
        await sign_in(site, http, COORDINATOR)
        token = csrf_token((await http.get("/staff/")).text)
        out = await http.post("/auth/sign-out", data={"csrftoken": token}, headers=origin(site))
        assert out.status_code == 200 and "You are signed out" in out.text
        assert (await http.get("/staff/")).status_code == 303


async def test_a_judge_of_another_jurisdiction_gets_not_found(site: Site) -> None:
    async with site.http() as clerk_side:
        case_id = await refer(site, clerk_side)
    async with site.http() as http:
        await sign_in(site, http, OTHER_JUDGE)
        page = await http.get(f"/court/cases/{case_id}")
        assert page.status_code == 404
        assert "Not found" in page.text and case_id in page.text
        missing = await http.get("/court/cases/case-north-nothing-here")
        assert missing.status_code == 404
    async with site.http() as http:
        await sign_in(site, http, JUDGE)
        assert (await http.get(f"/court/cases/{case_id}")).status_code == 200
        assert (await http.get(f"/staff/cases/{case_id}")).status_code == 403


async def test_the_dev_picker_is_refused_outside_dev_mode(site: Site, tmp_path: object) -> None:
    jwks = Settings(
        data_dir=site.settings.data_dir,
        jurisdictions_file=site.settings.jurisdictions_file,
        auth_mode="jwks",
        auth_issuer="https://idp.example",
        auth_jwks_url="https://idp.example/jwks",
    )
    app = create_app(jwks, client=site.client, pages=PagesSettings())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://pages") as http:
        page = await http.get("/auth/sign-in")
        assert "Demo identities" not in page.text
        token = csrf_token(page.text)
        picked = await http.post(
            "/auth/dev",
            data={"identity": "dev-coordinator", "csrftoken": token},
            headers={"Origin": "http://pages"},
        )
        assert picked.status_code in (403, 404)
        assert (await http.get("/staff/")).status_code == 303  # nobody signed in


async def test_the_dev_picker_signs_in_as_the_dev_tokens_person(site: Site) -> None:
    async with site.http() as http:
        page = await http.get("/auth/sign-in")
        assert "Demo identities" in page.text
        picked = await http.post(
            "/auth/dev",
            data={"identity": "dev-coordinator", "csrftoken": csrf_token(page.text)},
            headers=origin(site),
        )
        assert picked.status_code == 303
        assert (await http.get("/staff/")).status_code == 200


def _request(held: dict[str, object]) -> Request:
    return Request({"type": "http", "session": held, "headers": []})


def test_a_session_ends_after_the_idle_limit_and_the_longest_life() -> None:
    held: dict[str, object] = {}
    claims = {"sub": "s", "roles": ["coordinator"], "jurisdictions": ["demo"], "name": "Aroha"}
    session.sign_in(_request(held), claims, via="dev")
    assert session.signed_in(_request(held), idle_seconds=60, longest_seconds=3600).name == "Aroha"
    held[session.SEEN] = int(time.time()) - 61
    with pytest.raises(session.SignedOut, match="without activity"):
        session.signed_in(_request(held), idle_seconds=60, longest_seconds=3600)
    assert held == {}  # the session is gone, not only refused
    session.sign_in(_request(held), claims, via="dev")
    held[session.SINCE] = int(time.time()) - 3601
    with pytest.raises(session.SignedOut, match="at most 1 hours"):
        session.signed_in(_request(held), idle_seconds=60, longest_seconds=3600)
