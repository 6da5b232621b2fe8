"""Ids the API did not issue (issue 17, finding 1): a task or case id is parsed by one
strict pattern, and the gateway checks the workflow's type and the caller's jurisdiction
before any query or update. A closed case's re-arrest follow-up (`<case id>.f`) is a
workflow of another type: asked as a task or a case, it answers the 404 a missing id does,
never a 500 and never a hint that the case exists or has closed."""

import re
import uuid
from typing import Any

import httpx
import pytest

from domain.enums import Role
from tests.api.conftest import Api
from tests.api.walk import SCREENING, Walk
from tests.jurisdictions import HOME, OTHER

QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")  # an id as the detail quotes it
STAFF = (Role.COORDINATOR, Role.FACILITATOR, Role.VICTIM_ADVOCATE)


@pytest.fixture(scope="module")
async def closed_case(api: Api) -> str:
    """A case closed at screening, whose re-arrest follow-up workflow is running."""
    walk = await Walk.refer(api)
    await walk.complete(Role.COORDINATOR, "screen_case", {**SCREENING, "plea": "none"})
    await walk.until_closed()
    await api.client.get_workflow_handle(walk.case_id).result()  # the follow-up has started
    follow_up = await api.client.get_workflow_handle(f"{walk.case_id}.f").describe()
    assert follow_up.workflow_type == "RecidivismFollowUp"
    return walk.case_id


def problem_of(response: httpx.Response) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body: dict[str, Any] = response.json()
    return body


def without_ids(detail: str) -> str:
    return QUOTED.sub("<id>", detail)


def same_404(odd: httpx.Response, missing: httpx.Response) -> None:
    assert odd.status_code == 404, odd.text
    assert missing.status_code == 404, missing.text
    seen, expected = problem_of(odd), problem_of(missing)
    assert seen["type"] == "/problems/not-found"
    assert without_ids(seen["detail"]) == without_ids(expected["detail"])


def odd_task_ids(case_id: str) -> list[str]:
    return [
        f"{case_id}.f.t1",  # the follow-up workflow, as the probe found
        f"{case_id}.f.t0",
        f"{case_id}.o0.t1",  # an obligation's workflow id
        f"{case_id}.t01",  # a task number is written without leading zeros
        f"{case_id}.t\u0661",  # an Arabic-Indic digit one
        f"{case_id.upper()}.t1",
        f"{case_id}.t1.t1",
        f"{case_id} .t1",
    ]


@pytest.mark.parametrize("role", STAFF)
@pytest.mark.parametrize("jurisdiction", [HOME, OTHER])
async def test_a_follow_up_or_other_odd_task_id_answers_like_a_missing_task(
    api: Api, closed_case: str, role: Role, jurisdiction: str
) -> None:
    headers = api.auth(role, [jurisdiction])
    missing_id = f"case-{HOME}-cr-none-{uuid.uuid4().hex[:8]}.t1"
    missing = await api.http.get(f"/v1/tasks/{missing_id}", headers=headers)
    for odd_id in odd_task_ids(closed_case):
        odd = await api.http.get(f"/v1/tasks/{odd_id}", headers=headers)
        same_404(odd, missing)


async def test_completing_a_follow_up_id_is_a_missing_task_not_an_update_error(
    api: Api, closed_case: str
) -> None:
    headers = api.auth(Role.COORDINATOR)
    missing_id = f"case-{HOME}-cr-none-{uuid.uuid4().hex[:8]}.t1"
    missing = await api.http.post(
        f"/v1/tasks/{missing_id}/complete", json=SCREENING, headers=headers
    )
    for odd_id in odd_task_ids(closed_case):
        odd = await api.http.post(f"/v1/tasks/{odd_id}/complete", json=SCREENING, headers=headers)
        same_404(odd, missing)
        assert "Update handler" not in odd.text


@pytest.mark.parametrize("suffix", [".f", ".o0", ".f.t1", "%0A", "-", "%E2%80%8B"])
async def test_a_case_route_given_another_workflows_id_answers_like_a_missing_case(
    api: Api, closed_case: str, suffix: str
) -> None:
    headers = api.auth(Role.JUDGE)
    missing_id = f"case-{HOME}-cr-none-{uuid.uuid4().hex[:8]}"
    for tail in ("", "/timeline", "/follow-up"):
        odd_id = closed_case + suffix
        odd = await api.http.get(f"/v1/cases/{odd_id}{tail}", headers=headers)
        missing = await api.http.get(f"/v1/cases/{missing_id}{tail}", headers=headers)
        same_404(odd, missing)
