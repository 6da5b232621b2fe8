"""Who is signed in to the pages: the same claims as an API token (subject, roles,
jurisdictions), kept in the signed session cookie. The session ends after
`idle_minutes` without a request, and after `longest_hours` whatever happens.
"""

import time
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from api.auth import AuthError, Caller, caller_from_claims

PERSON = "person"
SEEN = "seen"
SINCE = "since"


class SignedOut(Exception):
    """No one is signed in, or the session has ended; the message says which."""


@dataclass(frozen=True)
class Person:
    caller: Caller
    name: str
    via: str  # "oidc" or "dev"


def sign_in(request: Request, claims: dict[str, Any], *, via: str) -> Person:
    """Start a session for the person these claims describe (as a token's would be read)."""
    try:
        caller = caller_from_claims(claims)
    except AuthError as e:
        raise SignedOut(f"the identity provider's answer cannot be used: {e}") from None
    name = claims.get("name")
    person = Person(caller, name if isinstance(name, str) and name else caller.subject, via)
    request.session.clear()  # a new session, never one an earlier visitor left
    now = int(time.time())
    request.session.update(
        {
            PERSON: {
                "sub": caller.subject,
                "name": person.name,
                "roles": sorted(r.value for r in caller.roles),
                "jurisdictions": sorted(caller.jurisdictions),
                "via": via,
            },
            SEEN: now,
            SINCE: now,
        }
    )
    return person


def signed_in(request: Request, *, idle_seconds: int, longest_seconds: int) -> Person:
    """The person of this session, and the session kept alive; `SignedOut` otherwise."""
    session = request.session
    held = session.get(PERSON)
    if not isinstance(held, dict):
        raise SignedOut("you are not signed in")
    now = int(time.time())
    if now - int(session.get(SEEN, 0)) > idle_seconds:
        session.clear()
        raise SignedOut(f"you were signed out after {idle_seconds // 60} minutes without activity")
    if now - int(session.get(SINCE, 0)) > longest_seconds:
        session.clear()
        raise SignedOut(f"sessions last at most {longest_seconds // 3600} hours")
    session[SEEN] = now
    caller = caller_from_claims(
        {"sub": held["sub"], "roles": held["roles"], "jurisdictions": held["jurisdictions"]}
    )
    return Person(caller, str(held.get("name", caller.subject)), str(held.get("via", "")))


def sign_out(request: Request) -> None:
    request.session.clear()
