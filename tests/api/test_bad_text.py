"""Text that is not Unicode (issue 17, finding 2): a JSON body holding a lone surrogate
(`"\\ud800"`, or its bytes written raw) is a 422 `/problems/validation` on every
operation, whoever asks and whatever the id; before, it passed validation and answered 500
when the Temporal payload converter could not encode it."""

import json
from typing import Any

import httpx
import pytest

from domain.enums import Role
from tests.api.conftest import Api
from tests.api.walk import SCREENING, Walk, referral
from tests.jurisdictions import OTHER

LONE = "\ud800"
PARAM_DEFAULTS = {"quarantine_id": "q-" + "0" * 24, "number": "1"}


def escaped(body: Any) -> bytes:
    """JSON as most clients write it: the surrogate as a `\\ud800` escape."""
    return json.dumps(body).encode()


def raw(body: Any) -> bytes:
    """The surrogate's own three bytes (ED A0 80), which are not UTF-8."""
    return json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass")


ENCODINGS = {"escaped": escaped, "raw": raw}


@pytest.fixture(scope="module")
async def open_tasks(api: Api) -> dict[str, str]:
    """An open case at home (ids `case_id`, `task_id`) and one in the other jurisdiction
    (`foreign_case_id`, `foreign_task_id`), each with its screening task open."""
    home = await Walk.refer(api)
    created = await api.http.post(
        "/v1/referrals",
        json=referral(jurisdiction=OTHER),
        headers=api.auth(Role.CLERK, [OTHER]),
    )
    assert created.status_code == 201, created.text
    away = Walk(api, created.json()["case"]["case_id"], jurisdiction=OTHER)
    return {
        "case_id": home.case_id,
        "task_id": await home.wait_for("screen_case"),
        "foreign_case_id": away.case_id,
        "foreign_task_id": await away.wait_for("screen_case"),
    }


def bodies() -> dict[str, tuple[str, dict[str, Any]]]:
    """(path, body) per case: a real free-text field holds the surrogate."""
    case = "/v1/cases/{case_id}"
    screening = {**SCREENING, "notes": LONE}
    return {
        "safety event": (f"{case}/safety-events", {"kind": "advocate_alert", "description": LONE}),
        "court directive": (f"{case}/court-directives", {"kind": "continue", "note": LONE}),
        "consent withdrawal": (f"{case}/consent-withdrawals", {"party": "victim", "note": LONE}),
        "task completion": ("/v1/tasks/{task_id}/complete", screening),
        "another jurisdiction's task": ("/v1/tasks/{foreign_task_id}/complete", screening),
        "referral": ("/v1/referrals", referral(notes=LONE)),
        "referral's victim": (
            "/v1/referrals",
            referral(victim={"given_name": LONE, "family_name": "Okafor"}),
        ),
    }


def refused_as_bad_text(response: httpx.Response) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    found = response.json()
    assert found["type"] == "/problems/validation", found
    assert "not valid Unicode" in found["detail"], found
    assert "Traceback" not in response.text


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("name", list(bodies()))
async def test_a_lone_surrogate_in_a_body_is_a_validation_problem(
    api: Api, open_tasks: dict[str, str], lenient: httpx.AsyncClient, name: str, encoding: str
) -> None:
    path, body = bodies()[name]
    response = await lenient.post(
        path.format(**open_tasks),
        content=ENCODINGS[encoding](body),
        headers=api.auth_all() | {"Content-Type": "application/json"},
    )
    refused_as_bad_text(response)


async def test_the_case_is_untouched_by_a_refused_body(
    api: Api, open_tasks: dict[str, str], lenient: httpx.AsyncClient
) -> None:
    path, body = bodies()["safety event"]
    await lenient.post(path.format(**open_tasks), content=escaped(body), headers=api.auth_all())
    case = await api.http.get(f"/v1/cases/{open_tasks['case_id']}", headers=api.auth_all())
    assert case.json()["stage"] == "screening", case.text


async def test_every_json_operation_refuses_a_lone_surrogate(
    api: Api, open_tasks: dict[str, str], lenient: httpx.AsyncClient
) -> None:
    """Operations read from the schema, so a new one is covered the day it is added."""
    ids = PARAM_DEFAULTS | open_tasks
    checked = []
    for path, item in api.app.openapi()["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            response = await lenient.request(
                method.upper(),
                path.format(**ids),
                content=escaped({"text": LONE}),
                headers=api.auth_all() | {"Content-Type": "application/json"},
            )
            refused_as_bad_text(response)
            checked.append(f"{method} {path}")
    assert len(checked) >= 8, checked


@pytest.fixture(scope="module")
async def lenient(api: Api) -> Any:
    """A 500 comes back as a response (as from a server), not as an exception."""
    transport = httpx.ASGITransport(app=api.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        yield client
