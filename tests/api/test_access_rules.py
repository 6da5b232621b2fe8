"""The access dependencies (api/access.py) without Temporal or HTTP: each is called as
FastAPI would call it, with stand-ins for the services it reads. The API suite checks
the same rules end to end; these are fast enough to run for every mutant
(docs/mutation.md)."""

from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from fastapi.security import HTTPAuthorizationCredentials

from api.access import (
    READ_CASES,
    WITHDRAW_FOR,
    allowed,
    caller_jurisdictions,
    case_access,
    current_caller,
    may_withdraw,
    named_jurisdiction,
)
from api.auth import AuthError, Caller
from api.problems import ProblemError, ProblemKind
from api.services import Services
from domain.enums import Party, Role
from workflows.messages import ConsentWithdrawal


class Verifier:
    def __init__(self, caller: Caller | None = None) -> None:
        self.caller = caller
        self.tokens: list[str] = []

    async def verify(self, token: str) -> Caller:
        self.tokens.append(token)
        if self.caller is None:
            raise AuthError("the token is not valid: bad signature")
        return self.caller


@dataclass
class Gateway:
    known: dict[str, str] = field(default_factory=dict)  # case id -> jurisdiction
    asked: list[tuple[str, list[str]]] = field(default_factory=list)

    async def case_for(self, case_id: str, jurisdictions: list[str]) -> object | None:
        self.asked.append((case_id, list(jurisdictions)))
        return object() if self.known.get(case_id) in jurisdictions else None


def services(
    jurisdictions: tuple[str, ...] = ("demo", "north"),
    verifier: Verifier | None = None,
    gateway: Gateway | None = None,
) -> Services:
    found: Any = type("FakeServices", (), {})()
    found.jurisdictions = dict.fromkeys(jurisdictions)
    found.verifier = verifier or Verifier()
    found.gateway = gateway or Gateway()
    return cast(Services, found)


def caller(*roles: Role, jurisdictions: tuple[str, ...] = ("demo",)) -> Caller:
    return Caller(subject="kiri", roles=frozenset(roles), jurisdictions=frozenset(jurisdictions))


def bearer(token: str, scheme: str = "Bearer") -> HTTPAuthorizationCredentials:
    return HTTPAuthorizationCredentials(scheme=scheme, credentials=token)


async def refused(awaitable: Any) -> ProblemError:
    with pytest.raises(ProblemError) as problem:
        await awaitable
    return problem.value


# -- who is calling ---------------------------------------------------------------------------


async def test_no_credentials_is_unauthorised_with_a_bearer_challenge() -> None:
    problem = await refused(current_caller(None, services()))
    assert problem.kind is ProblemKind.UNAUTHORISED
    assert problem.headers == {"WWW-Authenticate": "Bearer"}
    assert problem.detail == "send a bearer token: Authorization: Bearer <jwt>"


@pytest.mark.parametrize("scheme", ["Basic", "Token", ""])
async def test_another_scheme_is_unauthorised_and_never_verified(scheme: str) -> None:
    verifier = Verifier(caller(Role.ADMIN))
    problem = await refused(current_caller(bearer("t", scheme), services(verifier=verifier)))
    assert problem.kind is ProblemKind.UNAUTHORISED
    assert verifier.tokens == []


async def test_the_scheme_is_read_in_any_case() -> None:
    verifier = Verifier(caller(Role.JUDGE))
    found = await current_caller(bearer("tok", "bearer"), services(verifier=verifier))
    assert found == caller(Role.JUDGE) and verifier.tokens == ["tok"]


async def test_a_token_the_verifier_refuses_is_unauthorised_saying_why() -> None:
    problem = await refused(current_caller(bearer("forged"), services(verifier=Verifier())))
    assert problem.kind is ProblemKind.UNAUTHORISED
    assert problem.detail == "the token is not valid: bad signature"
    assert problem.headers == {"WWW-Authenticate": 'Bearer error="invalid_token"'}


# -- roles -----------------------------------------------------------------------------------


async def test_a_role_in_the_set_passes_and_none_is_forbidden_naming_them() -> None:
    check = allowed(frozenset({Role.JUDGE, Role.CLERK}))
    judge = caller(Role.JUDGE, Role.FACILITATOR)
    assert await check(judge) is judge
    problem = await refused(check(caller(Role.FACILITATOR)))
    assert problem.kind is ProblemKind.FORBIDDEN
    assert problem.detail == "this needs one of the roles: clerk, judge"


def test_one_dependency_per_role_set() -> None:
    assert allowed(READ_CASES) is allowed(frozenset(READ_CASES))
    assert allowed(frozenset({Role.JUDGE})) is not allowed(frozenset({Role.CLERK}))


# -- jurisdictions ---------------------------------------------------------------------------


def test_only_served_jurisdictions_of_the_caller_count_in_order() -> None:
    found = services(jurisdictions=("north", "demo", "lakeshore"))
    mine = caller(Role.CLERK, jurisdictions=("south", "north", "demo"))
    assert caller_jurisdictions(mine, found) == ["demo", "north"]
    assert caller_jurisdictions(caller(Role.CLERK, jurisdictions=()), found) == []


async def test_a_case_in_the_callers_jurisdictions_passes() -> None:
    gateway = Gateway(known={"case-demo-1": "demo"})
    check = case_access(frozenset({Role.JUDGE}))
    found = services(gateway=gateway)
    assert await check("case-demo-1", caller(Role.JUDGE), found) == "case-demo-1"
    assert gateway.asked == [("case-demo-1", ["demo"])]


@pytest.mark.parametrize("case_id", ["case-north-1", "case-demo-missing"])
async def test_another_jurisdictions_case_and_a_missing_one_answer_alike(case_id: str) -> None:
    gateway = Gateway(known={"case-north-1": "north"})
    check = case_access(frozenset({Role.JUDGE}))
    problem = await refused(check(case_id, caller(Role.JUDGE), services(gateway=gateway)))
    assert problem.kind is ProblemKind.NOT_FOUND
    assert problem.detail == f"no case {case_id!r}"


async def test_the_case_is_looked_for_in_served_jurisdictions_only() -> None:
    gateway = Gateway(known={"case-south-1": "south"})
    check = case_access(frozenset({Role.JUDGE}))
    mine = caller(Role.JUDGE, jurisdictions=("south", "demo"))
    await refused(check("case-south-1", mine, services(gateway=gateway)))
    assert gateway.asked == [("case-south-1", ["demo"])]


# -- withdrawals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("party", "role", "other"),
    [
        (Party.VICTIM, Role.VICTIM_ADVOCATE, Role.COORDINATOR),
        (Party.PARTICIPANT, Role.COORDINATOR, Role.VICTIM_ADVOCATE),
    ],
)
async def test_each_partys_withdrawal_is_recorded_by_its_own_role(
    party: Party, role: Role, other: Role
) -> None:
    withdrawal = ConsentWithdrawal(party=party)
    assert await may_withdraw(withdrawal, caller(role)) is withdrawal
    problem = await refused(may_withdraw(withdrawal, caller(other)))
    assert problem.kind is ProblemKind.FORBIDDEN
    spoken = role.value.replace("_", " ")
    assert problem.detail == f"a {party}'s withdrawal is recorded by the {spoken}"
    assert WITHDRAW_FOR[party] is role


# -- the jurisdiction a document is for ------------------------------------------------------


def test_left_out_it_is_the_callers_only_one() -> None:
    found = services()
    assert named_jurisdiction(None, caller(Role.CLERK), found, doing="refer") == "demo"


@pytest.mark.parametrize("mine", [(), ("demo", "north"), ("south",)])
def test_left_out_with_none_or_several_it_must_be_named(mine: tuple[str, ...]) -> None:
    with pytest.raises(ProblemError) as problem:
        named_jurisdiction(None, caller(Role.CLERK, jurisdictions=mine), services(), doing="x")
    assert problem.value.kind is ProblemKind.VALIDATION
    assert problem.value.detail == (
        "jurisdiction: say which jurisdiction's adapter reads this document (?jurisdiction=...)"
    )
    assert problem.value.extensions["errors"] == [
        {"location": "query.jurisdiction", "message": "required"}
    ]


def test_named_it_must_be_served_and_the_callers() -> None:
    found, clerk = services(), caller(Role.CLERK)
    assert named_jurisdiction("demo", clerk, found, doing="refer cases") == "demo"
    with pytest.raises(ProblemError) as unknown:
        named_jurisdiction("atlantis", clerk, found, doing="refer cases")
    assert unknown.value.kind is ProblemKind.VALIDATION
    assert unknown.value.detail == "jurisdiction: 'atlantis' is not served here"
    assert unknown.value.extensions["errors"] == [
        {"location": "query.jurisdiction", "message": "unknown jurisdiction"}
    ]
    with pytest.raises(ProblemError) as foreign:
        named_jurisdiction("north", clerk, found, doing="refer cases")
    assert foreign.value.kind is ProblemKind.FORBIDDEN
    assert foreign.value.detail == "you may not refer cases in 'north'"
