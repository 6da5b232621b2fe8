"""Signing in to the pages without a browser: the same OpenID Connect redirects a browser
follows, walked by hand with httpx (the identity provider's page is a form posting the
chosen person's `sub`)."""

import re
from urllib.parse import urlsplit

import httpx

from tests.pages.conftest import Site
from tests.pages.idp import IdpPerson

CSRF = re.compile(r'(?:name="csrftoken" value="|"x-csrftoken": ")([^"]+)"')


async def sign_in(site: Site, http: httpx.AsyncClient, person: IdpPerson) -> None:
    start = await http.get("/auth/oidc", params={"next": "/staff/"})
    assert start.status_code == 302, start.text
    authorize = start.headers["location"]
    assert authorize.startswith(site.idp.url)
    assert "code_challenge=" in authorize and "code_challenge_method=S256" in authorize
    async with httpx.AsyncClient() as idp:
        chosen = await idp.post(authorize, data={"sub": person.sub})
    assert chosen.status_code == 302, chosen.text
    back = urlsplit(chosen.headers["location"])
    done = await http.get(f"{back.path}?{back.query}")
    assert done.status_code == 303, done.text


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    assert found is not None, "the page has no CSRF token"
    return found.group(1)


def origin(site: Site) -> dict[str, str]:
    return {"Origin": site.url}
