"""Who may do what (DESIGN §5): every role and jurisdiction check is a dependency here.

A case outside the caller's jurisdictions answers 404 exactly like a missing one, so a
caller never learns that it exists.
"""

import functools
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Body, Depends, Path
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api import examples
from api.auth import AuthError, Caller, verify_or_raise
from api.problems import ProblemError, ProblemKind
from api.services import Services, services
from domain.enums import Party, Role
from workflows.messages import ConsentWithdrawal

STAFF = frozenset({Role.COORDINATOR, Role.FACILITATOR, Role.VICTIM_ADVOCATE})
COURT = frozenset({Role.CLERK, Role.JUDGE, Role.INTEGRATOR})
READ_CASES = STAFF | COURT | {Role.ADMIN}
REFER = frozenset({Role.CLERK, Role.INTEGRATOR})
PUSH_INCIDENTS = frozenset({Role.INTEGRATOR})
# A court's system answering our filings signs in as the jurisdiction's integrator.
RECEIVE_COURT_ANSWERS = frozenset({Role.INTEGRATOR})
WORK_TASKS = STAFF
REPORT_SAFETY = STAFF | {Role.CLERK, Role.JUDGE}
ACT_FOR_COURT = COURT
ADMIN = frozenset({Role.ADMIN})
SPEAK_FOR_VICTIM = frozenset({Role.VICTIM_ADVOCATE})
# A choice about our messages someone made by phone or in person.
RECORD_CONTACT_CHOICES = frozenset({Role.COORDINATOR, Role.VICTIM_ADVOCATE})
# Only the advocate speaks for the victim; the coordinator records the participant's choice.
WITHDRAW_FOR = {Party.VICTIM: Role.VICTIM_ADVOCATE, Party.PARTICIPANT: Role.COORDINATOR}

_bearer = HTTPBearer(auto_error=False, description="A JWT from the configured issuer.")
_CHALLENGE = {"WWW-Authenticate": 'Bearer error="invalid_token"'}


async def current_caller(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    found: Annotated[Services, Depends(services)],
) -> Caller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ProblemError(
            ProblemKind.UNAUTHORISED,
            "send a bearer token: Authorization: Bearer <jwt>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    try:
        return await verify_or_raise(found.verifier, credentials.credentials)
    except AuthError as e:
        raise ProblemError(ProblemKind.UNAUTHORISED, str(e), headers=_CHALLENGE) from None


@functools.cache  # one function per role set, so FastAPI verifies a token once per request
def allowed(roles: frozenset[Role]) -> Callable[..., Awaitable[Caller]]:
    """A dependency: the caller, if they hold one of `roles`; 403 otherwise."""

    async def check(caller: Annotated[Caller, Depends(current_caller)]) -> Caller:
        if not caller.has_any(roles):
            names = ", ".join(sorted(r.value for r in roles))
            raise ProblemError(ProblemKind.FORBIDDEN, f"this needs one of the roles: {names}")
        return caller

    return check


def caller_jurisdictions(caller: Caller, found: Services) -> list[str]:
    """The caller's jurisdictions that this deployment serves (only those reach a query)."""
    return sorted(caller.jurisdictions & found.jurisdictions.keys())


@functools.cache
def case_access(roles: frozenset[Role]) -> Callable[..., Awaitable[str]]:
    """A dependency: the path's case id, if it exists in one of the caller's jurisdictions."""

    async def check(
        case_id: Annotated[str, Path(max_length=200)],
        caller: Annotated[Caller, Depends(allowed(roles))],
        found: Annotated[Services, Depends(services)],
    ) -> str:
        # Missing, another jurisdiction's or another workflow's: one path, one answer.
        if await found.gateway.case_for(case_id, caller_jurisdictions(caller, found)) is None:
            raise ProblemError(ProblemKind.NOT_FOUND, f"no case {case_id!r}")
        return case_id

    return check


async def may_withdraw(
    withdrawal: Annotated[
        ConsentWithdrawal,
        Body(openapi_examples=examples.one("The victim withdraws", examples.CONSENT_WITHDRAWAL)),
    ],
    caller: Annotated[Caller, Depends(allowed(frozenset(WITHDRAW_FOR.values())))],
) -> ConsentWithdrawal:
    needed = WITHDRAW_FOR[withdrawal.party]
    if needed not in caller.roles:
        raise ProblemError(
            ProblemKind.FORBIDDEN,
            f"a {withdrawal.party}'s withdrawal is recorded by the "
            f"{needed.value.replace('_', ' ')}",
        )
    return withdrawal


def named_jurisdiction(given: str | None, caller: Caller, found: Services, *, doing: str) -> str:
    """The jurisdiction a document is for: as given, or the caller's only one."""
    mine = caller_jurisdictions(caller, found)
    if given is None:
        if len(mine) != 1:
            raise ProblemError(
                ProblemKind.VALIDATION,
                "jurisdiction: say which jurisdiction's adapter reads this document "
                "(?jurisdiction=...)",
                errors=[{"location": "query.jurisdiction", "message": "required"}],
            )
        return mine[0]
    if given not in found.jurisdictions:
        raise ProblemError(
            ProblemKind.VALIDATION,
            f"jurisdiction: {given!r} is not served here",
            errors=[{"location": "query.jurisdiction", "message": "unknown jurisdiction"}],
        )
    if given not in mine:
        raise ProblemError(ProblemKind.FORBIDDEN, f"you may not {doing} in {given!r}")
    return given
