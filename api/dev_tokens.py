"""Dev-mode tokens: a local signing key in `data_dir`, its JWKS, and minted tokens.

Only for `make run` and tests. Production refuses dev auth unless explicitly allowed
(diversion/settings.py), because whoever reads the key file can mint any role.
"""

import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.jwk import ECKey, KeySet

from diversion.settings import Settings
from domain.enums import Role

DEV_SIGNING_KEY_FILE = "dev-jwt-key.json"
DEV_KEY_ID = "dev-signing-key"
DEFAULT_TTL_SECONDS = 8 * 3600


def dev_signing_key(settings: Settings) -> ECKey:
    """The dev key in `data_dir`, created once (atomically, owner-only) and then reused."""
    path = settings.data_dir / DEV_SIGNING_KEY_FILE
    if not path.exists():
        _create_key_file(path)
    return ECKey.import_key(json.loads(path.read_text(encoding="utf-8")))


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = ECKey.generate_key("P-256", parameters={"kid": DEV_KEY_ID, "alg": "ES256"})
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(key.as_dict(private=True), f)
    try:
        os.link(draft, path)  # never replaces a key another process wrote first
    except FileExistsError:
        pass
    finally:
        draft.unlink()


def public_key_set(key: ECKey) -> KeySet:
    return KeySet([ECKey.import_key(key.as_dict(private=False))])


def jwks_document(key: ECKey) -> dict[str, Any]:
    return dict(public_key_set(key).as_dict(private=False))


def mint_token(
    key: ECKey,
    *,
    issuer: str,
    audience: str,
    subject: str,
    roles: Iterable[Role],
    jurisdictions: Iterable[str],
    ttl_seconds: int = DEFAULT_TTL_SECONDS,
    now: float | None = None,
) -> str:
    issued = int(time.time() if now is None else now)
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "iat": issued,
        "nbf": issued,
        "exp": issued + ttl_seconds,
        "roles": [r.value for r in roles],
        "jurisdictions": list(jurisdictions),
    }
    return jwt.encode({"alg": "ES256", "kid": key.kid or DEV_KEY_ID}, claims, key)


def dev_token(
    settings: Settings,
    role: Role,
    jurisdictions: Iterable[str],
    *,
    ttl_seconds: int = DEFAULT_TTL_SECONDS,
    subject: str | None = None,
) -> str:
    return mint_token(
        dev_signing_key(settings),
        issuer=settings.token_issuer,
        audience=settings.auth_audience,
        subject=subject or f"dev-{role.value}",
        roles=[role],
        jurisdictions=jurisdictions,
        ttl_seconds=ttl_seconds,
    )
