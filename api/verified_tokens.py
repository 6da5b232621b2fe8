"""Tokens already verified, kept a short while so a client sending the same token again
is not checked from scratch: the signature check and the claims registry were about a
sixth of a referral's CPU in the API (bench/http_api.py).

Only acceptances are kept, never a refusal. An entry is keyed by the SHA-256 of the token,
so a token differing in any byte (tampered, re-signed, another `exp`) is a new token, checked
in full. It lives no longer than the token's own `exp` (without the clock skew the full check
allows) nor `TTL_SECONDS`; the verifier also drops every entry when it fetches the issuer's
keys again, and asks here only while its key set is fresh (api/auth.py). The number of
entries is bounded: the oldest is dropped first.
"""

import hashlib
from dataclasses import dataclass
from typing import Generic, TypeVar

TTL_SECONDS = 60.0
MAX_ENTRIES = 4096

T = TypeVar("T")


@dataclass(frozen=True)
class _Entry(Generic[T]):
    value: T
    until: float


class VerifiedTokens(Generic[T]):
    def __init__(self, *, ttl_seconds: float = TTL_SECONDS, max_entries: int = MAX_ENTRIES) -> None:
        if max_entries < 1 or ttl_seconds <= 0:
            raise ValueError("a token cache needs room for one entry and a positive TTL")
        self._ttl = ttl_seconds
        self._max = max_entries
        # Insertion order is age order: an entry is never refreshed, only added again.
        self._entries: dict[bytes, _Entry[T]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, token: str, now: float) -> T | None:
        """What `token` was verified as, if it was within `until` of `now`."""
        key = _key(token)
        entry = self._entries.get(key)
        if entry is None:
            return None
        if now >= entry.until:
            del self._entries[key]
            return None
        return entry.value

    def put(self, token: str, value: T, *, expires_at: float, now: float) -> None:
        """Keep `value` for `token`, verified at `now`, until its `exp` or the TTL, whichever
        comes first; a token already past its `exp` (accepted within the skew) is not kept."""
        until = min(expires_at, now + self._ttl)
        if until <= now:
            return
        key = _key(token)
        self._entries.pop(key, None)
        while len(self._entries) >= self._max:
            del self._entries[next(iter(self._entries))]
        self._entries[key] = _Entry(value, until)

    def clear(self) -> None:
        self._entries.clear()


def _key(token: str) -> bytes:
    # surrogatepass: any str has a key (a header's text never holds a surrogate).
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()
