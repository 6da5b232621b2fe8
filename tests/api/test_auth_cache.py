"""Verified tokens kept a short while (api/verified_tokens.py, used by api/auth.py): a
token sent again skips the checks, but never past its `exp` or the cache's TTL, never once
its key set is stale or fetched again, never for a token differing in any byte, and a
refusal is never kept. The cache holds a bounded number of tokens.

Whether the checks ran is seen by counting the signature decodes (`jwt.decode`).
"""

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from joserfc import jwt
from joserfc.jwk import ECKey

from api.auth import (
    CLOCK_SKEW_SECONDS,
    JWKS_MIN_REFETCH_SECONDS,
    JWKS_REFRESH_SECONDS,
    AuthError,
    KeySetVerifier,
    jwks_fetcher,
    verify_or_raise,
)
from api.verified_tokens import TTL_SECONDS, VerifiedTokens
from domain.enums import Role
from tests.api.test_auth import (
    AUDIENCE,
    ISSUER,
    JWKS_URL,
    Clock,
    b64url,
    claims,
    jwks,
    new_key,
    signed,
    token,
)


class Decodes:
    """Counts the verifier's signature checks."""

    def __init__(self, real: Callable[..., Any]) -> None:
        self.real = real
        self.count = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.count += 1
        return self.real(*args, **kwargs)


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> Decodes:
    counting = Decodes(jwt.decode)
    monkeypatch.setattr(jwt, "decode", counting)  # the module api.auth calls
    return counting


# -- what is kept, and for how long ------------------------------------------------------------


async def test_a_token_sent_again_is_not_checked_again(
    verifier: KeySetVerifier, key: ECKey, clock: Clock, decodes: Decodes
) -> None:
    minted = token(key, clock, roles=(Role.CLERK,), jurisdictions=("demo", "north"))
    first = await verify_or_raise(verifier, minted)
    clock.advance(TTL_SECONDS - 1)

    again = await verify_or_raise(verifier, minted)

    assert again == first
    assert again.roles == frozenset({Role.CLERK})
    assert decodes.count == 1


async def test_a_kept_token_is_checked_again_after_the_ttl(
    verifier: KeySetVerifier, key: ECKey, clock: Clock, decodes: Decodes
) -> None:
    minted = token(key, clock, ttl_seconds=3600)
    await verify_or_raise(verifier, minted)
    clock.advance(TTL_SECONDS)

    await verify_or_raise(verifier, minted)

    assert decodes.count == 2


@pytest.mark.parametrize("late", [CLOCK_SKEW_SECONDS + 1, 3600])
async def test_a_kept_token_is_refused_once_expired(
    verifier: KeySetVerifier, key: ECKey, clock: Clock, late: int
) -> None:
    minted = token(key, clock, ttl_seconds=5)
    await verify_or_raise(verifier, minted)
    clock.advance(5 + late)  # at first still within the cache's TTL: `exp` decides

    with pytest.raises(AuthError, match="expired"):
        await verify_or_raise(verifier, minted)


async def test_a_kept_token_past_its_exp_is_checked_in_full_not_served(
    verifier: KeySetVerifier, key: ECKey, clock: Clock, decodes: Decodes
) -> None:
    """Within the clock skew after `exp` the full check still accepts the token (as
    without the cache); the cache itself never answers for it then."""
    minted = token(key, clock, ttl_seconds=30)
    await verify_or_raise(verifier, minted)
    clock.advance(30 + CLOCK_SKEW_SECONDS / 2)

    assert (await verify_or_raise(verifier, minted)).subject == "alex"
    assert (await verify_or_raise(verifier, minted)).subject == "alex"
    assert decodes.count == 3  # past `exp`, the acceptance is not kept either


async def test_a_tampered_copy_of_a_kept_token_is_refused(
    verifier: KeySetVerifier, key: ECKey, clock: Clock
) -> None:
    minted = token(key, clock)
    await verify_or_raise(verifier, minted)
    header, _, signature = minted.split(".")
    payload = b64url(json.dumps(claims(clock, roles=["admin"])).encode())

    with pytest.raises(AuthError):
        await verify_or_raise(verifier, f"{header}.{payload}.{signature}")


async def test_a_kept_token_with_one_signature_byte_changed_is_refused(
    verifier: KeySetVerifier, key: ECKey, clock: Clock
) -> None:
    minted = token(key, clock)
    await verify_or_raise(verifier, minted)
    flipped = minted[:-2] + ("A" if minted[-2] != "A" else "B") + minted[-1]

    with pytest.raises(AuthError):
        await verify_or_raise(verifier, flipped)


async def test_a_refusal_is_never_kept(
    verifier: KeySetVerifier, key: ECKey, clock: Clock, decodes: Decodes
) -> None:
    early = signed(key, claims(clock, nbf=int(clock.now) + CLOCK_SKEW_SECONDS + 10))
    for _ in range(2):
        with pytest.raises(AuthError, match="not yet valid"):
            await verify_or_raise(verifier, early)
    clock.advance(11)  # now within the skew of its nbf: the full check accepts it

    assert (await verify_or_raise(verifier, early)).subject == "alex"
    assert decodes.count == 3


# -- the issuer's keys -----------------------------------------------------------------------


def remote_verifier(http: httpx.AsyncClient, clock: Clock) -> KeySetVerifier:
    return KeySetVerifier(
        issuer=ISSUER, audience=AUDIENCE, fetch_keys=jwks_fetcher(JWKS_URL, http), clock=clock
    )


async def test_keys_fetched_again_drop_every_kept_token(
    idp: respx.MockRouter, http: httpx.AsyncClient, clock: Clock
) -> None:
    """The issuer withdraws a key: once a new kid has made us fetch the set again, a
    token signed with the withdrawn key is refused although it was kept a moment ago."""
    withdrawn, rotated = new_key("2026-old"), new_key("2026-new")
    route = idp.get(JWKS_URL).mock(return_value=httpx.Response(200, json=jwks(withdrawn)))
    verifier = remote_verifier(http, clock)
    kept = token(withdrawn, clock)
    await verify_or_raise(verifier, kept)

    route.mock(return_value=httpx.Response(200, json=jwks(rotated)))
    clock.advance(JWKS_MIN_REFETCH_SECONDS + 1)
    await verify_or_raise(verifier, token(rotated, clock))
    assert route.call_count == 2

    with pytest.raises(AuthError):
        await verify_or_raise(verifier, kept)


async def test_a_token_kept_from_a_stale_key_set_is_checked_against_a_fresh_one(
    idp: respx.MockRouter, http: httpx.AsyncClient, clock: Clock
) -> None:
    """Kept just before the key set went stale, within the TTL after: not served, the set
    is fetched again, and the key it was signed with is gone."""
    withdrawn, rotated = new_key("2026-old"), new_key("2026-new")
    route = idp.get(JWKS_URL).mock(return_value=httpx.Response(200, json=jwks(withdrawn)))
    verifier = remote_verifier(http, clock)
    await verify_or_raise(verifier, token(withdrawn, clock))  # keys fetched now
    clock.advance(JWKS_REFRESH_SECONDS - 10)
    kept = token(withdrawn, clock)
    await verify_or_raise(verifier, kept)

    route.mock(return_value=httpx.Response(200, json=jwks(rotated)))
    clock.advance(20)  # the set is stale; the kept token is within the TTL

    with pytest.raises(AuthError):
        await verify_or_raise(verifier, kept)
    assert route.call_count == 2


# -- the cache itself ------------------------------------------------------------------------


def test_the_cache_is_bounded_and_drops_the_oldest_first() -> None:
    cache: VerifiedTokens[str] = VerifiedTokens(max_entries=3)
    for n in range(5):
        cache.put(f"token-{n}", f"caller-{n}", expires_at=1000.0, now=0.0)

    assert len(cache) == 3
    assert [cache.get(f"token-{n}", 1.0) for n in range(5)] == [
        None,
        None,
        "caller-2",
        "caller-3",
        "caller-4",
    ]


def test_a_token_put_again_is_not_dropped_for_being_old() -> None:
    cache: VerifiedTokens[str] = VerifiedTokens(max_entries=2)
    cache.put("a", "first", expires_at=1000.0, now=0.0)
    cache.put("b", "second", expires_at=1000.0, now=0.0)
    cache.put("a", "first", expires_at=1000.0, now=1.0)  # a again: b is now the oldest
    cache.put("c", "third", expires_at=1000.0, now=2.0)

    assert (cache.get("a", 3.0), cache.get("b", 3.0), cache.get("c", 3.0)) == (
        "first",
        None,
        "third",
    )


def test_an_entry_lives_until_exp_or_the_ttl_whichever_is_first() -> None:
    cache: VerifiedTokens[str] = VerifiedTokens(ttl_seconds=60)
    cache.put("short", "s", expires_at=130.0, now=100.0)
    cache.put("long", "l", expires_at=10_000.0, now=100.0)

    assert (cache.get("short", 129.9), cache.get("long", 159.9)) == ("s", "l")
    assert (cache.get("short", 130.0), cache.get("long", 160.0)) == (None, None)
    assert len(cache) == 0  # expired entries are dropped when asked for


def test_a_token_already_past_its_exp_is_not_kept() -> None:
    cache: VerifiedTokens[str] = VerifiedTokens()
    cache.put("late", "x", expires_at=100.0, now=100.0)

    assert len(cache) == 0


@pytest.mark.parametrize("settings", [{"max_entries": 0}, {"ttl_seconds": 0.0}])
def test_a_cache_without_room_or_time_is_refused(settings: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="one entry and a positive TTL"):
        VerifiedTokens(**settings)
