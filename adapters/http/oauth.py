"""OAuth2 client credentials (RFC 6749 §4.4): a bearer token for calling a peer's API.

The token is fetched with authlib's httpx client, kept until shortly before
`expires_in` runs out, and fetched again after; `invalidate` drops it when the API
answered 401 (revoked early, or the peer's clock disagrees). A token response without
`expires_in` is kept until such a 401.

Neither the token nor the client secret is ever logged or put in an error message.
"""

import asyncio
import ssl
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import authlib.deprecate  # noqa: F401  (its import installs the filter ours must follow)
import httpx

from adapters.errors import AdapterError
from adapters.http import unreachable
from adapters.http.settings import OAuth2ClientCredentials

with warnings.catch_warnings():
    # authlib 1.9 prefers the httpx2 fork and warns when it falls back to the httpx we
    # pin; the fallback is authlib's supported path until it removes it.
    warnings.filterwarnings("ignore", message="The httpx module is deprecated")
    from authlib.integrations.base_client import OAuthError
    from authlib.integrations.httpx_client import AsyncOAuth2Client

# Refetch this long before the peer says the token expires, so a request never leaves
# with a token that dies on the way; for short-lived tokens, half their life instead.
EARLY_REFRESH_SECONDS = 30.0


@dataclass(frozen=True)
class _Token:
    value: str
    refresh_at: float | None  # monotonic seconds; None: until the API refuses it


class ClientCredentialsToken:
    """One cached bearer token for one client registration."""

    def __init__(
        self,
        settings: OAuth2ClientCredentials,
        *,
        timeout_seconds: float,
        verify: ssl.SSLContext | bool = True,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._timeout = timeout_seconds
        self._verify = verify
        self._monotonic = monotonic
        self._token: _Token | None = None
        # Concurrent requests that find no token wait for one fetch, not one each.
        self._lock = asyncio.Lock()

    async def bearer(self) -> str:
        async with self._lock:
            if self._token is None or self._expired(self._token):
                self._token = await self._fetch()
            return self._token.value

    def invalidate(self, refused: str) -> None:
        """Forget the token the API refused, unless another request already replaced it."""
        if self._token is not None and self._token.value == refused:
            self._token = None

    def _expired(self, token: _Token) -> bool:
        return token.refresh_at is not None and self._monotonic() >= token.refresh_at

    async def _fetch(self) -> _Token:
        asked_at = self._monotonic()  # lifetime counts from the request, not the answer
        response = await self._token_response()
        value = response.get("access_token")
        if not isinstance(value, str) or not value:
            raise AdapterError("the token endpoint's answer has no access_token")
        token_type = response.get("token_type", "Bearer")
        if not isinstance(token_type, str) or token_type.lower() != "bearer":
            raise AdapterError("the token endpoint issued a token that is not a bearer token")
        return _Token(value=value, refresh_at=_refresh_at(asked_at, response.get("expires_in")))

    async def _token_response(self) -> dict[str, Any]:
        url = httpx.URL(self.settings.token_url)
        extra = {"audience": self.settings.audience} if self.settings.audience else {}
        async with AsyncOAuth2Client(
            client_id=self.settings.client_id,
            # Read now rather than at start-up, so a rotated secret is used at once.
            client_secret=self.settings.client_secret(),
            scope=self.settings.scope,
            timeout=self._timeout,
            verify=self._verify,
        ) as oauth:
            try:
                token = await oauth.fetch_token(
                    self.settings.token_url, grant_type="client_credentials", **extra
                )
            except OAuthError as e:
                # The RFC 6749 error code only; the description is free text.
                raise AdapterError(
                    f"the token endpoint refused our client credentials: {e.error}"
                ) from None
            except httpx.HTTPStatusError as e:
                raise AdapterError(
                    f"the token endpoint answered HTTP {e.response.status_code}"
                ) from None
            except httpx.TransportError as e:
                raise unreachable(e, "the token endpoint", url) from None
            except ValueError:
                raise AdapterError("the token endpoint's answer is not a JSON object") from None
        return dict(token)


def _refresh_at(asked_at: float, expires_in: object) -> float | None:
    if isinstance(expires_in, str) and expires_in.strip().isdigit():
        expires_in = int(expires_in)  # some servers send it as a string
    if isinstance(expires_in, bool) or not isinstance(expires_in, int | float):
        return None
    lifetime = float(expires_in)
    return asked_at + lifetime - min(EARLY_REFRESH_SECONDS, lifetime / 2)
