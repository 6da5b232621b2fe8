"""The inbox filters each case's tasks by role, not just its cases (issue 17, finding 8):
a case with open tasks for two roles at once shows each role its own task only. Without
the per-task filter, the case's search attribute (which names every open task's roles)
would bring an advocate a coordinator's task, and the other way round."""

import copy
from typing import Any

from domain.enums import Role
from tests.api.conftest import Api
from tests.api.test_inbox import listed, of
from tests.api.walk import Walk, referral
from tests.jurisdictions import OTHER


async def test_a_case_with_tasks_for_two_roles_shows_each_role_its_own(api: Api) -> None:
    clerk = api.auth(Role.CLERK, [OTHER])
    document = referral(jurisdiction=OTHER)
    created = await api.http.post("/v1/referrals", json=document, headers=clerk)
    assert created.status_code == 201, created.text
    walk = Walk(api, created.json()["case"]["case_id"], OTHER)
    await walk.wait_for("screen_case")  # the coordinator's
    repeat: dict[str, Any] = copy.deepcopy(document)
    repeat["victim"]["contact"] = {"phone": "+1 555 0168 302"}
    assert (await api.http.post("/v1/referrals", json=repeat, headers=clerk)).status_code == 200
    await walk.wait_for("review_victim_contact")  # the advocate's, open beside it

    def kinds(items: list[dict[str, Any]]) -> list[str]:
        return sorted(i["task"]["kind"] for i in of(items, [walk]))

    coordinator = await listed(api, Role.COORDINATOR, lambda i: bool(of(i, [walk])))
    assert kinds(coordinator) == ["screen_case"]
    advocate = await listed(api, Role.VICTIM_ADVOCATE, lambda i: bool(of(i, [walk])))
    assert kinds(advocate) == ["review_victim_contact"]
    facilitator = await listed(api, Role.FACILITATOR, lambda i: True)
    assert kinds(facilitator) == []
