"""Security properties of the running API (real dev server, worker and app):

- every operation in the OpenAPI document refuses a missing or bad bearer token with a
  401 problem, whatever the token's defect;
- a case or task of another jurisdiction answers exactly like one that does not exist;
- victim contact details reach the victim advocate and nobody else, through any GET route
  and the outbox;
- bad input (wrong media type, oversized or malformed bodies) answers a problem that
  neither echoes the victim's details nor leaks a traceback.

Routes are read from the app's own schema, never listed by hand.
"""

import base64
import copy
import json
import re
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from joserfc import jwt
from joserfc.jwk import ECKey

from api.dev_tokens import DEV_KEY_ID, dev_signing_key, mint_token
from domain.enums import Role
from tests.api.conftest import Api
from tests.api.walk import SCREENING, Walk, referral
from tests.jurisdictions import HOME, OTHER

METHODS = ("get", "post", "put", "patch", "delete")
PARAM = re.compile(r"\{(\w+)\}")
PROBLEM_JSON = "application/problem+json"

PHONE = "+1 555 0199 731"
EMAIL = "mira.test@example.invalid"
ADDRESS = "77 Quarry Lane, Demo City"
SAFE_TIMES = "Tuesdays after 15:10 only"
VICTIM = {
    "given_name": "Mira",
    "family_name": "Okafor",
    "date_of_birth": "1993-02-02",
    "contact": {
        "phone": PHONE,
        "email": EMAIL,
        "address": ADDRESS,
        "safe_times_to_call": SAFE_TIMES,
    },
}
# The whole values and fragments of them, in case a route reformats a value.
CONTACT_MARKERS = (PHONE, EMAIL, ADDRESS, SAFE_TIMES, "0199 731", "mira.test@", "Quarry Lane")


def victim() -> dict[str, Any]:
    return copy.deepcopy(VICTIM)


NO_SUCH_QUARANTINE_ID = "q-" + "0" * 24
NON_ADVOCATES = [role for role in Role if role is not Role.VICTIM_ADVOCATE]


def leaked(text: str) -> list[str]:
    return [marker for marker in CONTACT_MARKERS if marker in text]


@dataclass(frozen=True)
class Route:
    method: str
    path: str

    def url(self, ids: dict[str, str]) -> str:
        return PARAM.sub(lambda m: ids[m.group(1)], self.path)

    @property
    def params(self) -> set[str]:
        return set(PARAM.findall(self.path))

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def routes_of(api: Api) -> list[Route]:
    paths: dict[str, dict[str, Any]] = api.app.openapi()["paths"]
    return [
        Route(method.upper(), path)
        for path, item in paths.items()
        for method in item
        if method in METHODS
    ]


async def send(
    api: Api, route: Route, ids: dict[str, str], headers: dict[str, str]
) -> httpx.Response:
    body = example_body(api, route) if route.method in ("POST", "PUT", "PATCH") else None
    return await api.http.request(route.method, route.url(ids), json=body, headers=headers)


def example_body(api: Api, route: Route) -> Any:
    """The operation's first documented example: a valid body, so what answers is the
    check under test, not body validation (which says nothing of whether a case exists)."""
    operation = api.app.openapi()["paths"][route.path][route.method.lower()]
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    examples = list(content.get("examples", {}).values())
    return examples[0]["value"] if examples else {}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def roles_token(api: Api, roles: Iterable[Role], jurisdictions: Iterable[str] = (HOME,)) -> str:
    return mint_token(
        dev_signing_key(api.settings),
        issuer=api.settings.token_issuer,
        audience=api.settings.auth_audience,
        subject="security-test",
        roles=roles,
        jurisdictions=jurisdictions,
    )


def problem(response: httpx.Response) -> dict[str, Any]:
    assert response.headers["content-type"].startswith(PROBLEM_JSON), response.headers
    body: dict[str, Any] = response.json()
    return body


# -- the case every test reads -----------------------------------------------------------------


@dataclass(frozen=True)
class ContactCase:
    case_id: str
    screening_task: str
    consent_task: str

    @property
    def ids(self) -> dict[str, str]:
        """Path parameters: the case and its open victim-consent task."""
        return {
            "case_id": self.case_id,
            "task_id": self.consent_task,
            "quarantine_id": NO_SUCH_QUARANTINE_ID,
            "number": "1",
            "sequence": "1",  # the screening outcome report, filed
            "jurisdiction": HOME,  # a court's callbacks
        }


async def wait_until(walk: Walk, done: Callable[[dict[str, Any]], bool]) -> None:
    while not done(case := await walk.view()):
        assert case["outcome"] is None, f"{walk.case_id} closed: {case['outcome']}"
        await walk.changed_since(case)


@pytest.fixture(scope="module")
async def contact_case(api: Api) -> ContactCase:
    """A case whose victim has distinctive contact details, screened, with the victim's
    consent task open; then suspended by a safety event, so it also carries a safety
    review task, a filed report and a notification in the outbox."""
    response = await api.http.post(
        "/v1/referrals",
        json=referral(f"CR-SEC-{uuid.uuid4().hex[:8]}", victim=victim()),
        headers=api.auth(Role.CLERK),
    )
    assert response.status_code == 201, response.text
    walk = Walk(api, response.json()["case"]["case_id"])
    screening = await walk.wait_for("screen_case")
    await walk.complete(Role.COORDINATOR, "screen_case", SCREENING)
    consent = await walk.wait_for("victim_consent")
    alert = {"kind": "advocate_alert", "description": "Worried after a call."}
    reported = await walk.post(Role.VICTIM_ADVOCATE, "safety-events", alert)
    assert reported.status_code == 200, reported.text
    await wait_until(walk, lambda case: any(r["kind"] == "safety_event" for r in case["reports"]))
    case = await walk.view(Role.VICTIM_ADVOCATE)
    assert case["referral"]["victim"]["contact"]["phone"] == PHONE
    assert any(t["id"] == consent and t["done_at"] is None for t in case["tasks"])
    return ContactCase(walk.case_id, screening, consent)


@pytest.fixture(scope="module")
async def lenient(api: Api) -> AsyncIterator[httpx.AsyncClient]:
    """Like api.http, but an unhandled error comes back as the 500 a server would send."""
    transport = httpx.ASGITransport(app=api.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        yield client


def test_the_schema_has_the_operations_these_tests_enumerate(api: Api) -> None:
    routes = routes_of(api)
    assert len(routes) >= 10, routes
    assert any(route.params == {"case_id"} for route in routes)
    assert any(route.params == {"task_id"} for route in routes)


# -- authentication ---------------------------------------------------------------------------


def _claims_token(api: Api, **changes: Any) -> str:
    settings = api.settings
    options: dict[str, Any] = {
        "issuer": settings.token_issuer,
        "audience": settings.auth_audience,
        "subject": "intruder",
        "roles": list(Role),
        "jurisdictions": [HOME],
    }
    key = changes.pop("key", None) or dev_signing_key(settings)
    options.update(changes)
    return mint_token(key, **options)


def _without(api: Api, claim: str) -> str:
    """A token signed with the right key, whose `claim` is left out altogether."""
    now = int(time.time())
    claims = {
        "iss": api.settings.token_issuer,
        "aud": api.settings.auth_audience,
        "sub": "intruder",
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "roles": [r.value for r in Role],
        "jurisdictions": [HOME],
    }
    del claims[claim]
    return jwt.encode({"alg": "ES256", "kid": DEV_KEY_ID}, claims, dev_signing_key(api.settings))


def _alg_none(api: Api) -> str:
    def b64(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    now = int(time.time())
    claims = {
        "iss": api.settings.token_issuer,
        "aud": api.settings.auth_audience,
        "sub": "intruder",
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "roles": [r.value for r in Role],
        "jurisdictions": [HOME],
    }
    return f"{b64({'alg': 'none', 'kid': DEV_KEY_ID, 'typ': 'JWT'})}.{b64(claims)}."


BAD_CREDENTIALS: dict[str, Callable[[Api], dict[str, str]]] = {
    "no authorization header": lambda api: {},
    "expired": lambda api: bearer(_claims_token(api, now=time.time() - 7200, ttl_seconds=3600)),
    "signed by another key with the dev kid": lambda api: bearer(
        _claims_token(
            api, key=ECKey.generate_key("P-256", parameters={"kid": DEV_KEY_ID, "alg": "ES256"})
        )
    ),
    "alg none": lambda api: bearer(_alg_none(api)),
    "wrong audience": lambda api: bearer(_claims_token(api, audience="some-other-service")),
    "no audience at all": lambda api: bearer(_without(api, "aud")),
    "no expiry at all": lambda api: bearer(_without(api, "exp")),
    "wrong issuer": lambda api: bearer(_claims_token(api, issuer="https://idp.evil.test")),
    "not a bearer scheme": lambda api: {"Authorization": f"Basic {_claims_token(api)}"},
}


@pytest.mark.parametrize("defect", list(BAD_CREDENTIALS))
async def test_every_operation_refuses_bad_credentials(
    api: Api, contact_case: ContactCase, defect: str
) -> None:
    headers = BAD_CREDENTIALS[defect](api)
    ids = contact_case.ids | {"task_id": f"{contact_case.case_id}.t1"}
    wrong = []
    for route in routes_of(api):
        response = await send(api, route, ids, headers)
        ok = (
            response.status_code == 401
            and response.headers.get("content-type", "").startswith(PROBLEM_JSON)
            and response.json().get("type") == "/problems/unauthorised"
            and response.headers.get("www-authenticate", "").startswith("Bearer")
        )
        if not ok:
            wrong.append(f"{route}: {response.status_code} {response.text[:200]}")
    assert not wrong, "\n".join(wrong)


async def test_a_good_token_passes_authentication_on_every_operation(
    api: Api, contact_case: ContactCase
) -> None:
    """The control for the test above: the token's defect is what makes the 401."""
    headers = bearer(_claims_token(api))
    ids = contact_case.ids | {"task_id": f"{contact_case.case_id}.t1"}
    for route in routes_of(api):
        response = await send(api, route, ids, headers)
        assert response.status_code != 401, f"{route}: {response.text}"
        assert response.status_code < 500, f"{route}: {response.text}"


# -- jurisdictions ----------------------------------------------------------------------------


def _normalised(body: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    text = json.dumps(body, sort_keys=True)
    for name, value in sorted(ids.items(), key=lambda item: -len(item[1])):
        if len(value) > 1:  # a one-digit statement number would match any digit
            text = text.replace(value, f"<{name}>")
    normal: dict[str, Any] = json.loads(text)
    return normal


async def test_another_jurisdictions_case_answers_like_a_missing_one(
    api: Api, contact_case: ContactCase
) -> None:
    real = contact_case.ids
    missing_case = f"case-{HOME}-cr-nope-{uuid.uuid4().hex[:8]}"
    missing = {
        "case_id": missing_case,
        "task_id": f"{missing_case}.t2",
        "number": "1",
        "sequence": "1",
    }
    checked: dict[Route, list[Role]] = {}
    for route in routes_of(api):
        if not route.params & {"case_id", "task_id"}:
            continue
        checked[route] = []
        for role in Role:
            outsider = api.auth(role, [OTHER])
            response = await send(api, route, real, outsider)
            if response.status_code == 403:
                # Refused for the role itself, as it is at home: not a jurisdiction answer.
                at_home = await send(api, route, real, api.auth(role, [HOME]))
                assert at_home.status_code == 403, f"{route} as {role}: {at_home.text}"
                assert problem(response) == problem(at_home)
                continue
            assert response.status_code == 404, f"{route} as {role}: {response.text[:300]}"
            seen = problem(response)
            assert seen["type"] == "/problems/not-found"
            absent = await send(api, route, missing, outsider)
            assert absent.status_code == 404, f"{route} as {role}: {absent.text}"
            expected = problem(absent)
            assert (seen["type"], seen["title"], seen["status"]) == (
                expected["type"],
                expected["title"],
                expected["status"],
            )
            # Not just the same type: the same body once the ids are taken out.
            assert _normalised(seen, real) == _normalised(expected, missing), route
            checked[route].append(role)
    assert len(checked) >= 6, checked
    unreached = [str(route) for route, roles in checked.items() if not roles]
    assert not unreached, f"no role reached the jurisdiction check on {unreached}"


# -- victim contact details ---------------------------------------------------------------------


def get_routes(api: Api) -> list[Route]:
    return [route for route in routes_of(api) if route.method == "GET"]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
async def test_no_get_route_shows_contact_details_without_the_advocate_role(
    api: Api, contact_case: ContactCase, data: st.DataObject
) -> None:
    roles = data.draw(st.frozensets(st.sampled_from(NON_ADVOCATES), min_size=1), label="roles")
    route = data.draw(st.sampled_from(get_routes(api)), label="route")
    response = await send(api, route, contact_case.ids, bearer(roles_token(api, roles)))
    assert not leaked(response.text), f"{route} as {sorted(roles)}: {leaked(response.text)}"


async def test_no_role_but_the_advocate_sees_contact_details_on_any_get_route(
    api: Api, contact_case: ContactCase
) -> None:
    """Every single role on every GET route (the property test samples combinations)."""
    answered = set()
    for route in get_routes(api):
        for role in NON_ADVOCATES:
            response = await send(api, route, contact_case.ids, api.auth(role))
            assert not leaked(response.text), f"{route} as {role}: {leaked(response.text)}"
            if response.status_code == 200:
                answered.add(route)
    assert {r.path for r in answered} >= {"/v1/cases/{case_id}", "/v1/cases/{case_id}/timeline"}


async def test_the_advocate_does_see_the_contact_details(
    api: Api, contact_case: ContactCase
) -> None:
    response = await api.http.get(
        f"/v1/cases/{contact_case.case_id}", headers=api.auth(Role.VICTIM_ADVOCATE)
    )
    assert response.status_code == 200, response.text
    assert PHONE in response.text
    assert set(leaked(response.text)) == set(CONTACT_MARKERS)


async def test_the_outbox_never_holds_contact_details(api: Api, contact_case: ContactCase) -> None:
    response = await api.http.get("/v1/outbox", params={"limit": 500}, headers=api.auth(Role.ADMIN))
    assert response.status_code == 200, response.text
    notifications = response.json()
    assert any(n["case_id"] == contact_case.case_id for n in notifications), notifications
    assert not leaked(response.text), response.text


# -- bad input ----------------------------------------------------------------------------------


def no_traceback(response: httpx.Response) -> None:
    assert "Traceback" not in response.text
    assert 'File "' not in response.text


async def test_a_document_the_court_format_refuses_is_not_echoed(api: Api) -> None:
    response = await api.http.post(
        "/v1/referrals",
        content=f"<referral><victim><phone>{PHONE}</phone></victim></referral>",
        headers=api.auth(Role.CLERK) | {"Content-Type": "application/xml"},
    )
    assert response.status_code == 422
    assert problem(response)["type"] == "/problems/document-refused"
    assert not leaked(response.text)
    no_traceback(response)


async def test_a_body_over_the_limit_is_refused(api: Api) -> None:
    limit = api.settings.api_max_body_bytes
    document = referral(victim=victim(), notes="x" * limit)
    body = json.dumps(document).encode()
    assert len(body) > limit

    response = await api.http.post(
        "/v1/referrals",
        content=body,
        headers=api.auth(Role.CLERK) | {"Content-Type": "application/json"},
    )

    assert response.status_code == 413
    assert problem(response)["type"] == "/problems/payload-too-large"
    assert not leaked(response.text)
    no_traceback(response)


async def test_a_body_at_the_limit_is_not_refused_for_its_size(api: Api) -> None:
    limit = api.settings.api_max_body_bytes
    body = b'{"notes": "' + b"x" * (limit - 13) + b'"}'
    assert len(body) == limit

    response = await api.http.post(
        "/v1/referrals",
        content=body,
        headers=api.auth(Role.CLERK) | {"Content-Type": "application/json"},
    )

    assert response.status_code == 422, response.text[:300]


def _malformed_referrals() -> dict[str, bytes]:
    document = json.dumps(referral(victim=victim()))
    wrong_types = referral(victim=victim(), charges="assault", plea=7)
    wrong_types["victim"]["contact"]["safe_times_to_call"] = {"when": SAFE_TIMES}
    extra = referral(victim=victim())
    extra["victim"]["contact"]["mobile"] = PHONE
    return {
        "truncated": document[:-40].encode(),
        "trailing garbage": (document + f' {{"phone": "{PHONE}"').encode(),
        "single quotes": document.replace('"', "'").encode(),
        "wrong types": json.dumps(wrong_types).encode(),
        "unknown contact field": json.dumps(extra).encode(),
    }


@pytest.mark.parametrize("kind", list(_malformed_referrals()))
async def test_a_malformed_referral_is_a_validation_problem_that_echoes_nothing(
    api: Api, kind: str
) -> None:
    body = _malformed_referrals()[kind]
    assert PHONE.encode() in body

    response = await api.http.post(
        "/v1/referrals",
        content=body,
        headers=api.auth(Role.CLERK) | {"Content-Type": "application/json"},
    )

    assert response.status_code == 422, response.text
    found = problem(response)
    assert found["type"] == "/problems/validation"
    assert found["errors"], found
    assert not leaked(response.text), response.text
    no_traceback(response)


async def test_a_chunked_body_over_the_limit_is_refused(
    api: Api, lenient: httpx.AsyncClient
) -> None:
    limit = api.settings.api_max_body_bytes
    body = json.dumps(referral(victim=victim(), notes="x" * limit)).encode()

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the limit is counted
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    response = await lenient.post(
        "/v1/referrals",
        content=chunks(),
        headers=api.auth(Role.CLERK) | {"Content-Type": "application/json"},
    )

    assert "content-length" not in response.request.headers
    no_traceback(response)
    assert response.status_code == 413, response.text
    assert problem(response)["type"] == "/problems/payload-too-large"


async def test_a_body_that_is_not_utf8_is_a_client_error(
    api: Api, lenient: httpx.AsyncClient
) -> None:
    body = b'\xff\xfe{"victim": {"contact": {"phone": "' + PHONE.encode() + b'"}}}'

    response = await lenient.post(
        "/v1/referrals",
        content=body,
        headers=api.auth(Role.CLERK) | {"Content-Type": "application/json"},
    )

    no_traceback(response)
    assert not leaked(response.text)
    assert 400 <= response.status_code < 500, response.text


async def test_an_inbox_cursor_without_a_time_zone_is_a_validation_problem(
    api: Api, contact_case: ContactCase, lenient: httpx.AsyncClient
) -> None:
    raw = json.dumps(["2026-01-01T00:00:00", "x"]).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")

    response = await lenient.get(
        "/v1/tasks", params={"cursor": cursor}, headers=api.auth(Role.VICTIM_ADVOCATE)
    )

    no_traceback(response)
    assert response.status_code == 422, response.text
    assert problem(response)["type"] == "/problems/validation"
