"""The verifier under test, its signing key, its clock and a mocked identity provider, for
the token tests (test_auth.py, test_auth_cache.py); tests/api/conftest.py offers them."""

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import respx
from joserfc.jwk import ECKey, KeySet

from api.auth import KeySetVerifier
from api.dev_tokens import public_key_set
from tests.api.test_auth import AUDIENCE, ISSUER, Clock, new_key


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def key() -> ECKey:
    return new_key("k1")


@pytest.fixture
def verifier(key: ECKey, clock: Clock) -> KeySetVerifier:
    keys = public_key_set(key)

    async def local() -> KeySet:
        return keys

    return KeySetVerifier(issuer=ISSUER, audience=AUDIENCE, fetch_keys=local, clock=clock)


@pytest.fixture
def idp() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client
