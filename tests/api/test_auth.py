"""Bearer-token validation (api/auth.py) without Temporal: signature, `iss`, `aud`, `exp`,
`nbf` with the clock skew, the claims that make a `Caller`, and the issuer's JWKS fetched
over HTTP (mocked with respx), cached and refetched at most every few seconds.

Time is a `Clock` handed to `KeySetVerifier(clock=...)`; tokens are minted for that clock.
"""

import base64
import json
from typing import Any

import httpx
import pytest
import respx
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, OctKey, RSAKey

from api.auth import (
    CLOCK_SKEW_SECONDS,
    JWKS_MIN_REFETCH_SECONDS,
    JWKS_REFRESH_SECONDS,
    AuthError,
    Caller,
    KeySetVerifier,
    caller_from_claims,
    jwks_fetcher,
    verify_or_raise,
)
from api.dev_tokens import mint_token, public_key_set
from domain.enums import Role

ISSUER = "https://idp.test/"
AUDIENCE = "restorative-diversion"
JWKS_URL = "https://idp.test/jwks"
T0 = 1_900_000_000.0  # an arbitrary "now", far from the real clock


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def new_key(kid: str) -> ECKey:
    return ECKey.generate_key("P-256", parameters={"kid": kid})


def jwks(*keys: ECKey) -> dict[str, Any]:
    return dict(KeySet([ECKey.import_key(k.as_dict(private=False)) for k in keys]).as_dict())


def token(
    key: ECKey,
    clock: Clock,
    *,
    issuer: str = ISSUER,
    audience: str = AUDIENCE,
    roles: tuple[Role, ...] = (Role.COORDINATOR,),
    jurisdictions: tuple[str, ...] = ("demo",),
    ttl_seconds: int = 600,
    issued_at: float | None = None,
) -> str:
    return mint_token(
        key,
        issuer=issuer,
        audience=audience,
        subject="alex",
        roles=roles,
        jurisdictions=jurisdictions,
        ttl_seconds=ttl_seconds,
        now=clock.now if issued_at is None else issued_at,
    )


def signed(key: ECKey, claims: dict[str, Any]) -> str:
    """A token with exactly these claims (mint_token only takes well-formed ones)."""
    return jwt.encode({"alg": "ES256", "kid": key.kid}, claims, key)


def claims(clock: Clock, **changes: Any) -> dict[str, Any]:
    now = int(clock.now)
    base: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "alex",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "roles": ["coordinator"],
        "jurisdictions": ["demo"],
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# -- claims and signatures -------------------------------------------------------------------


async def test_a_valid_token_gives_the_caller(
    verifier: KeySetVerifier, key: ECKey, clock: Clock
) -> None:
    minted = token(key, clock, roles=(Role.JUDGE, Role.CLERK), jurisdictions=("demo", "north"))

    caller = await verify_or_raise(verifier, minted)

    assert caller == Caller(
        subject="alex",
        roles=frozenset({Role.JUDGE, Role.CLERK}),
        jurisdictions=frozenset({"demo", "north"}),
    )


async def test_unknown_role_strings_grant_nothing(
    verifier: KeySetVerifier, key: ECKey, clock: Clock
) -> None:
    minted = signed(key, claims(clock, roles=["superuser", "judge", "Admin", "root"]))

    caller = await verify_or_raise(verifier, minted)

    assert caller.roles == frozenset({Role.JUDGE})


@pytest.mark.parametrize("subject", [None, "", 42])
async def test_a_token_without_a_subject_is_refused(
    verifier: KeySetVerifier, key: ECKey, clock: Clock, subject: object
) -> None:
    minted = signed(key, claims(clock, sub=subject))

    with pytest.raises(AuthError, match="sub"):
        await verify_or_raise(verifier, minted)


@pytest.mark.parametrize("claim", ["roles", "jurisdictions"])
async def test_roles_and_jurisdictions_must_be_lists_of_strings(
    verifier: KeySetVerifier, key: ECKey, clock: Clock, claim: str
) -> None:
    for bad in ("judge", ["judge", 1], {"judge": True}):
        with pytest.raises(AuthError, match=claim):
            await verify_or_raise(verifier, signed(key, claims(clock, **{claim: bad})))


@pytest.mark.parametrize("late", [CLOCK_SKEW_SECONDS + 1, 3600])
async def test_an_expired_token_is_refused(
    verifier: KeySetVerifier, key: ECKey, clock: Clock, late: int
) -> None:
    minted = token(key, clock, ttl_seconds=60)
    clock.advance(60 + late)

    with pytest.raises(AuthError, match="expired"):
        await verify_or_raise(verifier, minted)


async def test_a_token_expired_within_the_skew_is_accepted(
    verifier: KeySetVerifier, key: ECKey, clock: Clock
) -> None:
    minted = token(key, clock, ttl_seconds=60)
    clock.advance(60 + 10)

    caller = await verify_or_raise(verifier, minted)

    assert caller.subject == "alex"


async def test_a_token_without_exp_is_refused(
    verifier: KeySetVerifier, key: ECKey, clock: Clock
) -> None:
    with pytest.raises(AuthError, match="exp"):
        await verify_or_raise(verifier, signed(key, claims(clock, exp=None)))


async def test_a_token_not_yet_valid_beyond_the_skew_is_refused(
    verifier: KeySetVerifier, key: ECKey, clock: Clock
) -> None:
    later = int(clock.now) + CLOCK_SKEW_SECONDS + 60
    minted = signed(key, claims(clock, nbf=later, exp=later + 600))

    with pytest.raises(AuthError, match="not yet valid"):
        await verify_or_raise(verifier, minted)


async def test_a_token_not_yet_valid_within_the_skew_is_accepted(
    verifier: KeySetVerifier, key: ECKey, clock: Clock
) -> None:
    # The issuer's clock runs 10 s ahead of ours: iat and nbf are both in our future.
    minted = token(key, clock, issued_at=clock.now + 10)

    assert (await verify_or_raise(verifier, minted)).subject == "alex"


async def test_a_token_issued_in_the_future_beyond_the_skew_is_refused(
    verifier: KeySetVerifier, key: ECKey, clock: Clock
) -> None:
    minted = token(key, clock, issued_at=clock.now + CLOCK_SKEW_SECONDS + 60)

    with pytest.raises(AuthError):
        await verify_or_raise(verifier, minted)


async def test_another_issuer_is_refused(
    verifier: KeySetVerifier, key: ECKey, clock: Clock
) -> None:
    with pytest.raises(AuthError, match="iss"):
        await verify_or_raise(verifier, token(key, clock, issuer="https://evil.test/"))


@pytest.mark.parametrize("audience", ["another-service", ["another-service", "yet-another"]])
async def test_another_audience_is_refused(
    verifier: KeySetVerifier, key: ECKey, clock: Clock, audience: str | list[str]
) -> None:
    with pytest.raises(AuthError, match="aud"):
        await verify_or_raise(verifier, signed(key, claims(clock, aud=audience)))


@pytest.mark.parametrize("missing", ["aud", "iss"])
async def test_a_token_without_an_audience_or_issuer_is_refused(
    verifier: KeySetVerifier, key: ECKey, clock: Clock, missing: str
) -> None:
    """Issue 17, finding 8: a claim left out is not a claim that matches."""
    with pytest.raises(AuthError, match=missing):
        await verify_or_raise(verifier, signed(key, claims(clock, **{missing: None})))


@pytest.mark.parametrize("audience", ["", [], [""]])
async def test_an_empty_audience_is_refused(
    verifier: KeySetVerifier, key: ECKey, clock: Clock, audience: str | list[str]
) -> None:
    with pytest.raises(AuthError, match="aud"):
        await verify_or_raise(verifier, signed(key, claims(clock, aud=audience)))


async def test_an_audience_list_naming_us_is_accepted(
    verifier: KeySetVerifier, key: ECKey, clock: Clock
) -> None:
    minted = signed(key, claims(clock, aud=["another-service", AUDIENCE]))

    assert (await verify_or_raise(verifier, minted)).subject == "alex"


async def test_a_token_signed_by_another_key_with_the_same_kid_is_refused(
    verifier: KeySetVerifier, key: ECKey, clock: Clock
) -> None:
    impostor = new_key(str(key.kid))
    assert impostor.kid == key.kid

    with pytest.raises(AuthError):
        await verify_or_raise(verifier, token(impostor, clock))


async def test_a_tampered_payload_is_refused(
    verifier: KeySetVerifier, key: ECKey, clock: Clock
) -> None:
    header, _, signature = token(key, clock).split(".")
    payload = b64url(json.dumps(claims(clock, roles=["admin"])).encode())

    with pytest.raises(AuthError):
        await verify_or_raise(verifier, f"{header}.{payload}.{signature}")


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "none"},
        {"alg": "none", "kid": "k1", "typ": "JWT"},
        {"alg": "HS256", "kid": "k1"},
    ],
)
async def test_unsigned_and_symmetric_tokens_are_refused(
    verifier: KeySetVerifier, clock: Clock, header: dict[str, str]
) -> None:
    head = b64url(json.dumps(header).encode())
    payload = b64url(json.dumps(claims(clock, roles=["admin"])).encode())
    signature = "" if header["alg"] == "none" else b64url(b"not-a-real-mac")

    with pytest.raises(AuthError):
        await verify_or_raise(verifier, f"{head}.{payload}.{signature}")


@pytest.mark.parametrize(
    "garbage", ["", "garbage", "a.b.c", "...", "é.é.é", "a.b.c.d.e", "Bearer x.y.z"]
)
async def test_garbage_is_refused(verifier: KeySetVerifier, garbage: str) -> None:
    with pytest.raises(AuthError):
        await verify_or_raise(verifier, garbage)


async def test_an_unknown_kid_is_refused_even_after_the_refetch_it_triggers(
    key: ECKey, clock: Clock
) -> None:
    fetched: list[float] = []

    async def local() -> KeySet:
        fetched.append(clock.now)
        return public_key_set(key)

    verifier = KeySetVerifier(issuer=ISSUER, audience=AUDIENCE, fetch_keys=local, clock=clock)
    await verify_or_raise(verifier, token(key, clock))
    clock.advance(JWKS_MIN_REFETCH_SECONDS + 1)

    with pytest.raises(AuthError) as refused:
        await verify_or_raise(verifier, token(new_key("stranger"), clock))
    assert str(refused.value).startswith("the token is not valid: ")
    assert "invalid_key_id" not in str(refused.value)  # the description, not the code
    assert len(fetched) == 2


# -- the issuer's JWKS over HTTP ----------------------------------------------------------------


def remote_verifier(http: httpx.AsyncClient, clock: Clock) -> KeySetVerifier:
    return KeySetVerifier(
        issuer=ISSUER, audience=AUDIENCE, fetch_keys=jwks_fetcher(JWKS_URL, http), clock=clock
    )


async def test_keys_are_fetched_once_and_cached(
    idp: respx.MockRouter, http: httpx.AsyncClient, key: ECKey, clock: Clock
) -> None:
    route = idp.get(JWKS_URL).mock(return_value=httpx.Response(200, json=jwks(key)))
    verifier = remote_verifier(http, clock)

    for _ in range(5):
        assert (await verify_or_raise(verifier, token(key, clock))).subject == "alex"
        clock.advance(30)

    assert route.call_count == 1


async def test_keys_are_refreshed_once_stale(
    idp: respx.MockRouter, http: httpx.AsyncClient, key: ECKey, clock: Clock
) -> None:
    route = idp.get(JWKS_URL).mock(return_value=httpx.Response(200, json=jwks(key)))
    verifier = remote_verifier(http, clock)
    await verify_or_raise(verifier, token(key, clock))

    clock.advance(JWKS_REFRESH_SECONDS + 1)
    await verify_or_raise(verifier, token(key, clock))

    assert route.call_count == 2


async def test_a_rotated_key_is_fetched_once_and_unknown_kids_do_not_refetch_again(
    idp: respx.MockRouter, http: httpx.AsyncClient, clock: Clock
) -> None:
    old, rotated = new_key("2026-old"), new_key("2026-new")
    route = idp.get(JWKS_URL).mock(return_value=httpx.Response(200, json=jwks(old)))
    verifier = remote_verifier(http, clock)
    await verify_or_raise(verifier, token(old, clock))
    assert route.call_count == 1

    # The IdP rotates; a token with the new kid arrives after the refetch interval.
    route.mock(return_value=httpx.Response(200, json=jwks(rotated)))
    clock.advance(JWKS_MIN_REFETCH_SECONDS + 1)
    caller = await verify_or_raise(verifier, token(rotated, clock))
    assert caller.subject == "alex"
    assert route.call_count == 2

    # Another unknown kid soon after: refused from the cached set, the IdP is left alone.
    clock.advance(JWKS_MIN_REFETCH_SECONDS / 2)
    with pytest.raises(AuthError):
        await verify_or_raise(verifier, token(new_key("forged"), clock))
    assert route.call_count == 2
    # The rotated key keeps working from the cache.
    assert (await verify_or_raise(verifier, token(rotated, clock))).subject == "alex"
    assert route.call_count == 2


async def test_an_unknown_kid_right_after_a_fetch_does_not_refetch(
    idp: respx.MockRouter, http: httpx.AsyncClient, clock: Clock
) -> None:
    old, rotated = new_key("2026-old"), new_key("2026-new")
    route = idp.get(JWKS_URL).mock(return_value=httpx.Response(200, json=jwks(old)))
    verifier = remote_verifier(http, clock)
    await verify_or_raise(verifier, token(old, clock))
    route.mock(return_value=httpx.Response(200, json=jwks(old, rotated)))

    clock.advance(JWKS_MIN_REFETCH_SECONDS - 1)
    with pytest.raises(AuthError):
        await verify_or_raise(verifier, token(rotated, clock))
    assert route.call_count == 1

    clock.advance(2)  # now past the interval: the same token triggers one refetch
    assert (await verify_or_raise(verifier, token(rotated, clock))).subject == "alex"
    assert route.call_count == 2


async def test_an_idp_failing_on_the_first_fetch_is_an_auth_error(
    idp: respx.MockRouter, http: httpx.AsyncClient, key: ECKey, clock: Clock
) -> None:
    route = idp.get(JWKS_URL).mock(return_value=httpx.Response(500, text="oops"))
    verifier = remote_verifier(http, clock)

    with pytest.raises(AuthError, match="signing keys"):
        await verify_or_raise(verifier, token(key, clock))
    assert route.call_count == 1


async def test_an_unreachable_idp_on_the_first_fetch_is_an_auth_error(
    idp: respx.MockRouter, http: httpx.AsyncClient, key: ECKey, clock: Clock
) -> None:
    idp.get(JWKS_URL).mock(side_effect=httpx.ConnectError("refused"))

    with pytest.raises(AuthError, match="signing keys"):
        await verify_or_raise(remote_verifier(http, clock), token(key, clock))


async def test_an_idp_failing_later_keeps_the_cached_keys(
    idp: respx.MockRouter, http: httpx.AsyncClient, key: ECKey, clock: Clock
) -> None:
    route = idp.get(JWKS_URL).mock(return_value=httpx.Response(200, json=jwks(key)))
    verifier = remote_verifier(http, clock)
    await verify_or_raise(verifier, token(key, clock))

    route.mock(return_value=httpx.Response(503))
    clock.advance(JWKS_REFRESH_SECONDS + 1)

    assert (await verify_or_raise(verifier, token(key, clock))).subject == "alex"
    assert route.call_count == 2


@pytest.mark.parametrize("document", [{}, [], {"error": "temporarily_unavailable"}])
async def test_a_json_answer_that_is_not_a_key_set_is_an_auth_error(
    idp: respx.MockRouter, http: httpx.AsyncClient, key: ECKey, clock: Clock, document: Any
) -> None:
    idp.get(JWKS_URL).mock(return_value=httpx.Response(200, json=document))

    with pytest.raises(AuthError, match="signing keys"):
        await verify_or_raise(remote_verifier(http, clock), token(key, clock))


async def test_unknown_kids_do_not_hammer_a_failing_idp(
    idp: respx.MockRouter, http: httpx.AsyncClient, key: ECKey, clock: Clock
) -> None:
    route = idp.get(JWKS_URL).mock(return_value=httpx.Response(200, json=jwks(key)))
    verifier = remote_verifier(http, clock)
    await verify_or_raise(verifier, token(key, clock))
    route.mock(return_value=httpx.Response(503))

    clock.advance(JWKS_MIN_REFETCH_SECONDS + 1)
    for _ in range(5):
        with pytest.raises(AuthError):
            await verify_or_raise(verifier, token(new_key("forged"), clock))
        clock.advance(1)

    assert route.call_count == 2  # the first fetch and one refetch, not one per forged token


# -- edges, each pinned (docs/mutation.md) -----------------------------------------------------


async def refusal(verifier: KeySetVerifier, minted: str) -> str:
    with pytest.raises(AuthError) as refused:
        await verify_or_raise(verifier, minted)
    return str(refused.value)


def test_claims_left_out_grant_nothing_and_are_no_error() -> None:
    caller = caller_from_claims({"sub": "alex"})
    assert caller.roles == frozenset() and caller.jurisdictions == frozenset()


@pytest.mark.parametrize(
    ("claims_", "message"),
    [
        ({}, "the token has no subject (sub)"),
        ({"sub": "alex", "roles": "judge"}, "the roles claim must be a list of strings"),
        ({"sub": "alex", "roles": [1]}, "the roles claim must be a list of strings"),
        (
            {"sub": "alex", "jurisdictions": "demo"},
            "the jurisdictions claim must be a list of strings",
        ),
        (
            {"sub": "alex", "jurisdictions": [None]},
            "the jurisdictions claim must be a list of strings",
        ),
    ],
)
def test_malformed_claims_are_refused_saying_which(claims_: dict[str, Any], message: str) -> None:
    with pytest.raises(AuthError) as refused:
        caller_from_claims(claims_)
    assert str(refused.value) == message


async def test_a_refusal_reads_the_token_is_not_valid_and_why(
    verifier: KeySetVerifier, key: ECKey, clock: Clock
) -> None:
    said = await refusal(verifier, token(key, clock, issuer="https://evil.test/"))
    assert said.startswith("the token is not valid: ") and "iss" in said
    garbage = await refusal(verifier, "not.a.token")
    assert garbage == "the token is not valid: Invalid header"  # the description, not the code


async def test_an_algorithm_outside_the_list_is_refused_even_with_a_known_key(
    clock: Clock,
) -> None:
    p384 = ECKey.generate_key("P-384", parameters={"kid": "k384"})
    keys = KeySet([ECKey.import_key(p384.as_dict(private=False))])

    async def local() -> KeySet:
        return keys

    verifier = KeySetVerifier(issuer=ISSUER, audience=AUDIENCE, fetch_keys=local, clock=clock)
    minted = jwt.encode({"alg": "ES384", "kid": "k384"}, claims(clock), p384, algorithms=["ES384"])
    assert "not valid" in await refusal(verifier, minted)


async def test_keys_are_kept_for_exactly_the_refresh_interval(
    idp: respx.MockRouter, http: httpx.AsyncClient, key: ECKey, clock: Clock
) -> None:
    route = idp.get(JWKS_URL).mock(return_value=httpx.Response(200, json=jwks(key)))
    verifier = remote_verifier(http, clock)
    await verify_or_raise(verifier, token(key, clock))
    clock.advance(JWKS_REFRESH_SECONDS)
    await verify_or_raise(verifier, token(key, clock))
    assert route.call_count == 1  # at the interval: still fresh
    assert route.calls.last.request.extensions["timeout"]["read"] == 10.0


async def test_an_unknown_kid_refetches_only_past_the_interval_to_the_second(
    idp: respx.MockRouter, http: httpx.AsyncClient, clock: Clock
) -> None:
    old, rotated = new_key("old"), new_key("new")
    route = idp.get(JWKS_URL).mock(return_value=httpx.Response(200, json=jwks(old)))
    verifier = remote_verifier(http, clock)
    await verify_or_raise(verifier, token(old, clock))
    route.mock(return_value=httpx.Response(200, json=jwks(old, rotated)))
    clock.advance(JWKS_MIN_REFETCH_SECONDS)
    with pytest.raises(AuthError):
        await verify_or_raise(verifier, token(rotated, clock))
    assert route.call_count == 1  # at the interval: not yet


async def test_an_idp_that_never_answered_is_retried_only_past_the_interval(
    idp: respx.MockRouter, http: httpx.AsyncClient, key: ECKey, clock: Clock
) -> None:
    route = idp.get(JWKS_URL).mock(return_value=httpx.Response(503))
    verifier = remote_verifier(http, clock)
    assert (await refusal(verifier, token(key, clock))).startswith(
        "cannot fetch the issuer's signing keys: "
    )
    clock.advance(JWKS_MIN_REFETCH_SECONDS)
    assert await refusal(verifier, token(key, clock)) == (
        "cannot fetch the issuer's signing keys (retrying shortly)"
    )
    assert route.call_count == 1
    route.mock(return_value=httpx.Response(200, json=jwks(key)))
    clock.advance(1)
    assert (await verify_or_raise(verifier, token(key, clock))).subject == "alex"


async def test_a_symmetric_key_in_the_set_cannot_sign_a_token(clock: Clock) -> None:
    """An issuer's key set holding an HMAC key (by mistake) still lets no HS256 token
    through: only the listed asymmetric algorithms are read."""
    shared = OctKey.generate_key(256, parameters={"kid": "hs"})

    async def local() -> KeySet:
        return KeySet([shared])

    verifier = KeySetVerifier(issuer=ISSUER, audience=AUDIENCE, fetch_keys=local, clock=clock)
    minted = jwt.encode({"alg": "HS256", "kid": "hs"}, claims(clock), shared, algorithms=["HS256"])
    assert (await refusal(verifier, minted)).startswith("the token is not valid: ")


async def test_the_algorithm_list_holds_on_the_decode_after_a_key_refresh(
    idp: respx.MockRouter, http: httpx.AsyncClient, key: ECKey, clock: Clock
) -> None:
    """A token whose kid is new refreshes the key set and is decoded again, with our
    algorithms: an issuer rotating to PS256 (ours, not among the library's defaults) is
    read on that second decode as on any other."""
    rsa = RSAKey.generate_key(2048, parameters={"kid": "rsa-2026"})
    route = idp.get(JWKS_URL).mock(return_value=httpx.Response(200, json=jwks(key)))
    verifier = remote_verifier(http, clock)
    await verify_or_raise(verifier, token(key, clock))
    rotated = KeySet(
        [
            ECKey.import_key(key.as_dict(private=False)),
            RSAKey.import_key(rsa.as_dict(private=False)),
        ]
    )
    route.mock(return_value=httpx.Response(200, json=dict(rotated.as_dict())))
    clock.advance(JWKS_MIN_REFETCH_SECONDS + 1)

    by_rsa = jwt.encode(
        {"alg": "PS256", "kid": "rsa-2026"}, claims(clock), rsa, algorithms=["PS256"]
    )
    assert (await verify_or_raise(verifier, by_rsa)).subject == "alex"
    assert route.call_count == 2  # read after the refresh, on the second decode
