"""Bearer-token validation (DESIGN §5): signature against the issuer's JWKS, then `iss`,
`aud`, `exp` and `nbf` with a small clock skew. Claims `roles` and `jurisdictions` make
the `Caller` every route dependency checks. A token that passed is kept for a short while
(api/verified_tokens.py), so a client's next request with it skips the checks.

JOSE comes from joserfc, the library authlib 1.9 itself uses and points to in place
of its deprecated `authlib.jose`.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from api.verified_tokens import VerifiedTokens
from domain.enums import Role

ALGORITHMS = ["ES256", "RS256", "PS256"]
CLOCK_SKEW_SECONDS = 30
JWKS_REFRESH_SECONDS = 300
# An unknown `kid` refreshes the key set at most this often, so forged tokens cannot
# turn the API into a flood of requests against the identity provider.
JWKS_MIN_REFETCH_SECONDS = 10


class AuthError(Exception):
    """The token is missing or not acceptable; the message says which check failed."""


@dataclass(frozen=True)
class Caller:
    subject: str
    roles: frozenset[Role]
    jurisdictions: frozenset[str]

    def has_any(self, roles: frozenset[Role]) -> bool:
        return bool(self.roles & roles)


class TokenVerifier(Protocol):
    async def verify(self, token: str) -> Caller: ...


def caller_from_claims(claims: dict[str, Any]) -> Caller:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise AuthError("the token has no subject (sub)")
    roles = claims.get("roles", [])
    jurisdictions = claims.get("jurisdictions", [])
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise AuthError("the roles claim must be a list of strings")
    if not isinstance(jurisdictions, list) or not all(isinstance(j, str) for j in jurisdictions):
        raise AuthError("the jurisdictions claim must be a list of strings")
    known = {r.value for r in Role}
    return Caller(
        subject=subject,
        # A role this service does not know grants nothing; it is not an error.
        roles=frozenset(Role(r) for r in roles if r in known),
        jurisdictions=frozenset(jurisdictions),
    )


class KeySetVerifier:
    """Validates against a key set obtained by `fetch_keys`, refetched on an unknown kid."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        fetch_keys: Callable[[], Awaitable[KeySet]],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._issuer = issuer
        self._audience = audience
        self._fetch_keys = fetch_keys
        self._clock = clock
        self._keys: KeySet | None = None
        self._fetched_at = float("-inf")
        self._attempted_at = float("-inf")
        self._lock = asyncio.Lock()
        self._verified: VerifiedTokens[Caller] = VerifiedTokens()

    async def verify(self, token: str) -> Caller:
        now = self._clock()
        # Only while the key set is fresh: once stale, the full check below fetches it
        # again (and drops every kept token), so a withdrawn key stops working as before.
        if now - self._fetched_at <= JWKS_REFRESH_SECONDS:
            kept = self._verified.get(token, now)
            if kept is not None:
                return kept
        keys = await self._key_set(refresh=False)
        try:
            decoded = jwt.decode(token, keys, algorithms=ALGORITHMS)
        except InvalidKeyIdError:
            decoded = jwt.decode(token, await self._key_set(refresh=True), algorithms=ALGORITHMS)
        except JoseError as e:
            raise AuthError(f"the token is not valid: {e.description or e.error}") from None
        registry = jwt.JWTClaimsRegistry(
            now=lambda: int(self._clock()),
            leeway=CLOCK_SKEW_SECONDS,
            iss={"essential": True, "value": self._issuer},
            aud={"essential": True, "value": self._audience},
            exp={"essential": True},
        )
        try:
            registry.validate(decoded.claims)
        except JoseError as e:
            raise AuthError(f"the token is not valid: {e.description or e.error}") from None
        caller = caller_from_claims(decoded.claims)
        # `exp` is there and a number: the registry above requires it.
        self._verified.put(token, caller, expires_at=float(decoded.claims["exp"]), now=now)
        return caller

    async def _key_set(self, *, refresh: bool) -> KeySet:
        async with self._lock:
            now = self._clock()
            stale = self._keys is None or now - self._fetched_at > JWKS_REFRESH_SECONDS
            wanted = stale or (refresh and now - self._fetched_at > JWKS_MIN_REFETCH_SECONDS)
            # Throttled on attempts, not successes: a failing IdP is not asked on every request.
            if wanted and now - self._attempted_at > JWKS_MIN_REFETCH_SECONDS:
                self._attempted_at = now
                try:
                    self._keys = await self._fetch_keys()
                    self._fetched_at = now
                    self._verified.clear()  # checked against keys that may be gone now
                except (httpx.HTTPError, ValueError, KeyError, TypeError, JoseError) as e:
                    # KeyError/TypeError: JSON that is not a key set ({} or a list).
                    if self._keys is None:
                        raise AuthError(f"cannot fetch the issuer's signing keys: {e}") from None
            if self._keys is None:
                raise AuthError("cannot fetch the issuer's signing keys (retrying shortly)")
            return self._keys


async def verify_or_raise(verifier: TokenVerifier, token: str) -> Caller:
    """`verify`, with any JOSE failure (even one raised after a key refresh) as AuthError."""
    try:
        return await verifier.verify(token)
    except JoseError as e:
        raise AuthError(f"the token is not valid: {e.description or e.error}") from None


def jwks_fetcher(url: str, http: httpx.AsyncClient) -> Callable[[], Awaitable[KeySet]]:
    async def fetch() -> KeySet:
        response = await http.get(url, timeout=10.0)
        response.raise_for_status()
        return KeySet.import_key_set(response.json())

    return fetch
