"""What every page route needs: the pages' state, the signed-in person, and the API's own
access rules (api/access.py) applied to that person, never a second copy of them."""

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request

from api.access import allowed, case_access
from api.auth import Caller
from api.pages.audit import AuditLog
from api.pages.session import Person, signed_in
from api.pages.settings import PagesSettings
from api.pages.stage_counts import StageCounts
from api.pages.templating import Pages
from api.services import Services, services
from diversion.settings import Settings
from domain.enums import Role


@dataclass(frozen=True)
class DevIdentity:
    """One demo person the dev picker offers."""

    key: str
    label: str
    claims: dict[str, Any]


@dataclass
class PagesState:
    settings: Settings
    config: PagesSettings
    templates: Pages
    audit: AuditLog
    oidc: Any | None  # authlib's Starlette client for the identity provider, if configured
    counts: StageCounts
    dev_identities: list[DevIdentity] = field(default_factory=list)


def pages_state(request: Request) -> PagesState:
    found: PagesState = request.app.state.pages
    return found


async def current_person(
    request: Request, state: Annotated[PagesState, Depends(pages_state)]
) -> Person:
    person = signed_in(
        request,
        idle_seconds=state.config.idle_minutes * 60,
        longest_seconds=state.config.longest_hours * 3600,
    )
    request.state.person = person  # every template shows who is signed in
    return person


SignedIn = Annotated[Person, Depends(current_person)]
State = Annotated[PagesState, Depends(pages_state)]
Found = Annotated[Services, Depends(services)]


async def with_roles(person: Person, roles: frozenset[Role]) -> Caller:
    """The person as a caller, if they hold one of `roles` (403 otherwise, as the API)."""
    return await allowed(roles)(caller=person.caller)


async def reachable_case(
    case_id: str, caller: Caller, found: Services, roles: frozenset[Role]
) -> str:
    """The case, if it is in one of the caller's jurisdictions: 404 otherwise, as the API."""
    return await case_access(roles)(case_id=case_id, caller=caller, found=found)


def zone_of(found: Services, jurisdiction: str) -> str:
    held = found.jurisdictions.get(jurisdiction)
    return held.timezone if held is not None else "UTC"
