"""A local OpenID Connect provider for the page tests: oidc-provider-mock (authlib's own
server classes under Flask) on a thread, with one predefined person per test identity.

The mock accepts an authorization code without checking PKCE, so `PkceEnforced` wraps it:
it keeps each code's `code_challenge` (from the authorization request and the redirect
that issues the code) and refuses a token request whose `code_verifier` does not match.
A client that skipped PKCE, or sent a wrong verifier, cannot sign in.
"""

import base64
import hashlib
import io
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import oidc_provider_mock
import werkzeug.serving

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True)
class IdpPerson:
    sub: str
    name: str
    roles: list[str]
    jurisdictions: list[str]


class PkceEnforced:
    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self.challenges: dict[str, str] = {}
        self.verified = 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if path == "/oauth2/authorize" and environ["REQUEST_METHOD"] == "POST":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            challenge = (query.get("code_challenge") or [""])[0]
            method = (query.get("code_challenge_method") or [""])[0]

            def keep_code(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
                location = dict(headers).get("Location", "")
                code = (parse_qs(urlsplit(location).query).get("code") or [""])[0]
                if code:
                    with self._lock:
                        self.challenges[code] = challenge if method == "S256" else ""
                return start_response(status, headers, *rest)

            return self.app(environ, keep_code)
        if path == "/oauth2/token" and environ["REQUEST_METHOD"] == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(size)
            environ["wsgi.input"] = io.BytesIO(body)
            form = parse_qs(body.decode())
            code = (form.get("code") or [""])[0]
            verifier = (form.get("code_verifier") or [""])[0]
            with self._lock:
                challenge = self.challenges.pop(code, "")
            digest = hashlib.sha256(verifier.encode()).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if not challenge or not verifier or expected != challenge:
                start_response("400 Bad Request", [("Content-Type", "application/json")])
                return [b'{"error": "invalid_grant", "error_description": "PKCE failed"}']
            self.verified += 1
        return self.app(environ, start_response)


@dataclass
class Idp:
    url: str
    pkce: PkceEnforced

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"


@contextmanager
def running_idp(people: list[IdpPerson]) -> Iterator[Idp]:
    users = [
        oidc_provider_mock.User(
            sub=p.sub,
            claims={"name": p.name, "roles": p.roles, "jurisdictions": p.jurisdictions},
        )
        for p in people
    ]
    pkce = PkceEnforced(oidc_provider_mock.app(user_claims=users))
    server = werkzeug.serving.make_server("127.0.0.1", 0, pkce, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield Idp(f"http://127.0.0.1:{server.server_port}", pkce)
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()
