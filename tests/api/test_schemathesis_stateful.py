"""Schemathesis' stateful phase: sequences of calls that follow the OpenAPI links
(api/links.py) from a referral to its case, from the inbox to a task, its completion, the
next task, and a withdrawal, once as each role with that role's dev token.

Every answer must pass the same checks as the stateless phase (tests/api/test_schemathesis.py:
no 5xx, a documented status and content type, a body matching its schema), and one more:
no answer to anyone but a victim advocate holds a victim's contact details. A case is
referred first with contact details that appear nowhere else, so the check looks for its
values, and for the shape of a victim's contact (any case's, generated ones included).

Requests go through httpx's ASGI transport on the session loop, as in the stateless test
(the reasons are there). Steps and examples are bounded so the whole runs in make test.
"""

import asyncio
import json
from collections.abc import Iterator
from typing import Any, ClassVar

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import Case, Response
from schemathesis.generation.stateful.state_machine import APIStateMachine
from schemathesis.schemas import BaseSchema

from api.app import create_app
from api.dev_tokens import dev_token
from domain.enums import Role
from domain.referral import VictimContact
from tests.api.conftest import Api
from tests.api.test_schemathesis import BASE_URL, CHECKS
from tests.api.walk import SCREENING, Walk, referral
from tests.jurisdictions import FACILITATOR, HOME

SCENARIOS = 8  # per role
STEPS = 6  # calls per scenario, at most
# Contact details no other field of any fixture holds.
CONTACT = {
    "phone": "+64 21 555 0199 73",
    "email": "tuilagi.whetu@example.org",
    "address": "8 Pōhutukawa Terrace, Demo City",
    "safe_times_to_call": "Thursdays between 13:10 and 14:50",
}
CONTACT_FIELDS = set(VictimContact.model_fields)
# Every other call of these sends a body the service accepts instead of the generated one,
# so scenarios go on past the referral and the completion: a generated referral is almost
# never a case (its case number, charges and dates must agree), nor a completion the
# task's own kind.
REAL_BODIES = {
    "POST /v1/referrals": referral,
    "POST /v1/tasks/{task_id}/complete": lambda: SCREENING,
}


# The operations the links join; the stateless test covers every operation alone.
LINKED = [
    "create_referral",
    "list_cases",
    "get_case",
    "get_case_timeline",
    "list_case_reports",
    "list_my_tasks",
    "get_task",
    "complete_task",
    "withdraw_consent",
    "report_safety_event",
]


@pytest.fixture(scope="module")
async def schema(api: Api) -> BaseSchema:
    sibling = create_app(api.settings, client=api.client)
    loaded = schemathesis.openapi.from_asgi("/openapi.json", sibling)
    return loaded.include(operation_id=LINKED)


@pytest.fixture(scope="module")
async def session_loop(api: Api) -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()


@pytest.fixture(scope="module")
async def http(api: Api) -> Any:
    """A case with known contact details, its screening task open; then the client."""
    document = referral()
    document["victim"]["contact"] = CONTACT
    response = await api.http.post("/v1/referrals", json=document, headers=api.auth(Role.CLERK))
    assert response.status_code == 201, response.text
    await Walk(api, response.json()["case"]["case_id"]).wait_for("screen_case")
    transport = httpx.ASGITransport(app=api.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield client


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _contacts(value: Any) -> Iterator[dict[str, Any]]:
    """Objects shaped like a victim's contact details, with anything in them."""
    if isinstance(value, dict):
        if value.keys() >= CONTACT_FIELDS and any(value[k] for k in CONTACT_FIELDS):
            yield value
        for item in value.values():
            yield from _contacts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _contacts(item)


def victim_contact_in(body: bytes) -> list[str]:
    """What of a victim's contact details an answer holds."""
    try:
        decoded: Any = json.loads(body)
    except ValueError:
        decoded = body.decode(errors="replace")
    found = [f"the known {k}" for k, v in CONTACT.items() if v in set(_strings(decoded))]
    if isinstance(decoded, str):
        found += [f"the known {k}" for k, v in CONTACT.items() if v in decoded]
    found += [f"a contact object {c}" for c in _contacts(decoded)]
    return found


def test_the_contact_check_finds_what_it_looks_for() -> None:
    staff_like = {"victim": {"given_name": "A", "contact": dict.fromkeys(CONTACT_FIELDS)}}
    assert victim_contact_in(json.dumps(staff_like).encode()) == []
    leak = {"items": [{"note": CONTACT["address"]}]}
    assert victim_contact_in(json.dumps(leak).encode()) == ["the known address"]
    generated = {"contact": {**dict.fromkeys(CONTACT_FIELDS), "phone": "0"}}
    assert len(victim_contact_in(json.dumps(generated).encode())) == 1
    assert victim_contact_in(f"<p>{CONTACT['phone']}</p>".encode()) == ["the known phone"]


async def test_the_contact_check_sees_the_advocate_s_view_and_not_the_coordinator_s(
    api: Api, http: httpx.AsyncClient
) -> None:
    """On the real answers: the known case as an advocate and as a coordinator see it."""
    for role, sees in ((Role.VICTIM_ADVOCATE, True), (Role.COORDINATOR, False)):
        headers = {"Authorization": f"Bearer {token_for(api, role)}"}
        page = await http.get("/v1/cases", params={"limit": 100}, headers=headers)
        ids = [item["case_id"] for item in page.json()["items"]]
        views = [(await http.get(f"/v1/cases/{i}", headers=headers)).content for i in ids]
        known = [v for v in views if CONTACT["phone"].encode() in v or b"Terrace" in v]
        if sees:
            assert known and all(victim_contact_in(v) for v in known)
        else:
            assert not any(victim_contact_in(v) for v in views)


def token_for(api: Api, role: Role) -> str:
    # A facilitator on the roster, so the facilitator's own task routes answer as in use.
    subject = FACILITATOR.sub if role is Role.FACILITATOR else f"stateful-{role.value}"
    return dev_token(api.settings, role, [HOME], subject=subject)


def machine_for(
    schema: BaseSchema,
    client: httpx.AsyncClient,
    loop: asyncio.AbstractEventLoop,
    token: str,
    role: Role,
) -> type[APIStateMachine]:
    base: Any = schema.as_state_machine()
    seen: dict[str, int] = {}

    class AsRole(base):  # type: ignore[misc]
        answered: ClassVar[list[tuple[str, int]]] = []

        def call(self, case: Case[Any], **kwargs: Any) -> Response:
            sent = case.as_transport_kwargs(
                base_url=BASE_URL, headers={"Authorization": f"Bearer {token}"}
            )
            body = sent.get("data")
            if "json" in sent:
                body = json.dumps(sent["json"]).encode()
            label = case.operation.label
            seen[label] = seen.get(label, 0) + 1
            if label in REAL_BODIES and seen[label] % 2 == 0:
                body = json.dumps(REAL_BODIES[label]()).encode()
            answer = loop.run_until_complete(
                client.request(
                    sent["method"],
                    sent["url"],
                    headers=sent.get("headers"),
                    params=sent.get("params"),
                    content=body,
                )
            )
            self.answered.append((label, answer.status_code))
            return Response.from_httpx(answer, verify=False)

        def validate_response(
            self,
            response: Response,
            case: Case[Any],
            additional_checks: Any = None,
            **kwargs: Any,
        ) -> None:
            case.validate_response(response, checks=CHECKS, headers=dict(response.request.headers))
            if role is not Role.VICTIM_ADVOCATE:
                held = victim_contact_in(response.content)
                assert not held, f"{case.operation.label} answered {role.value} with {held}"

    return AsRole


@pytest.mark.parametrize("role", list(Role))
def test_linked_calls_as_each_role_conform_and_keep_victim_contact_to_advocates(
    api: Api,
    schema: BaseSchema,
    http: httpx.AsyncClient,
    session_loop: asyncio.AbstractEventLoop,
    role: Role,
) -> None:
    machine: Any = machine_for(schema, http, session_loop, token_for(api, role), role)
    machine.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            derandomize=True,  # the same scenarios each run: a failure here is reproducible
            phases=[Phase.explicit, Phase.generate],  # report the first failure, no shrinking
            suppress_health_check=list(HealthCheck),
        )
    )
    # The scenarios reached real cases or tasks through the links, as this role sees them.
    reached = {label for label, status in machine.answered if "{" in label and status < 300}
    assert reached, sorted(set(machine.answered))
