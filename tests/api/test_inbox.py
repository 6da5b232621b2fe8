"""The inbox on the real dev server: each task reaches the roles it is for, in the
caller's jurisdictions, oldest deadline first, page by page.

Lists read Temporal's visibility store, which trails the workflow by milliseconds; the
`listed` helper re-reads it until it shows what the workflow already did."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from temporalio.client import (
    Client,
    CountWorkflowsInput,
    Interceptor,
    OutboundInterceptor,
    WorkflowExecutionCount,
)

from api.inbox import Inbox
from domain.enums import Role
from tests.api.conftest import Api
from tests.api.visibility import eventually
from tests.api.walk import SCREENING, VICTIM_CONSENT, Walk, referral
from tests.jurisdictions import OTHER


async def inbox(api: Api, role: Role, **params: Any) -> dict[str, Any]:
    response = await api.http.get("/v1/tasks", params=params, headers=api.auth(role, [OTHER]))
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def listed(
    api: Api, role: Role, ready: Callable[[list[dict[str, Any]]], bool]
) -> list[dict[str, Any]]:
    async def items() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = (await inbox(api, role, limit=200))["items"]
        return found

    return await eventually(items, ready)


async def refer_north(api: Api) -> Walk:
    response = await api.http.post(
        "/v1/referrals",
        json=referral(jurisdiction=OTHER),
        headers=api.auth(Role.CLERK, [OTHER]),
    )
    assert response.status_code == 201, response.text
    return Walk(api, response.json()["case"]["case_id"], OTHER)


def of(items: list[dict[str, Any]], walks: list[Walk]) -> list[dict[str, Any]]:
    ids = {w.case_id for w in walks}
    return [i for i in items if i["case"]["case_id"] in ids]


async def test_each_task_reaches_its_roles_only_oldest_deadline_first(api: Api) -> None:
    walks = [await refer_north(api) for _ in range(3)]
    coordinator = of(await listed(api, Role.COORDINATOR, lambda i: len(of(i, walks)) == 3), walks)
    assert [i["task"]["kind"] for i in coordinator] == ["screen_case"] * 3
    dues = [datetime.fromisoformat(i["task"]["due_at"]) for i in coordinator]
    assert dues == sorted(dues)
    # A due date is set when its case enters screening, after intake's police check, and
    # cases get there in any order: the deadlines order the inbox, not the referrals.
    assert sorted(i["case"]["case_id"] for i in coordinator) == sorted(w.case_id for w in walks)
    assert not any(i["overdue"] for i in coordinator)
    assert dues[0] > datetime.now(UTC)

    for role in (Role.FACILITATOR, Role.VICTIM_ADVOCATE):
        assert of((await inbox(api, role, limit=200))["items"], walks) == []
    home = await api.http.get(
        "/v1/tasks", params={"limit": 200}, headers=api.auth(Role.COORDINATOR)
    )
    assert of(home.json()["items"], walks) == []  # demo's coordinator: not their jurisdiction
    judge = await api.http.get("/v1/tasks", headers=api.auth(Role.JUDGE, [OTHER]))
    assert judge.status_code == 403

    # The advocate's task appears once the coordinator screened the first case.
    first = walks[0]
    task_id = await first.wait_for("screen_case")
    done = await api.http.post(
        f"/v1/tasks/{task_id}/complete", json=SCREENING, headers=api.auth(Role.COORDINATOR, [OTHER])
    )
    assert done.status_code == 200, done.text
    advocate = of(
        await listed(api, Role.VICTIM_ADVOCATE, lambda i: len(of(i, [first])) == 1), walks
    )
    assert [i["task"]["kind"] for i in advocate] == ["victim_consent"]
    coordinator = of(await listed(api, Role.COORDINATOR, lambda i: len(of(i, walks)) == 2), walks)
    # The other two, still by deadline (which is not the order they were referred in).
    assert sorted(i["case"]["case_id"] for i in coordinator) == sorted(w.case_id for w in walks[1:])
    dues = [datetime.fromisoformat(i["task"]["due_at"]) for i in coordinator]
    assert dues == sorted(dues)

    # Not the advocate's task for the coordinator, even by id.
    consent_id = advocate[0]["task"]["id"]
    peek = await api.http.get(
        f"/v1/tasks/{consent_id}", headers=api.auth(Role.COORDINATOR, [OTHER])
    )
    assert peek.status_code == 404
    wrong = await api.http.post(
        f"/v1/tasks/{consent_id}/complete",
        json=VICTIM_CONSENT,
        headers=api.auth(Role.COORDINATOR, [OTHER]),
    )
    assert wrong.status_code == 404
    mine = await api.http.get(
        f"/v1/tasks/{consent_id}", headers=api.auth(Role.VICTIM_ADVOCATE, [OTHER])
    )
    assert mine.status_code == 200 and mine.json()["task"]["kind"] == "victim_consent"


async def test_pages_follow_each_other_without_gaps_or_repeats(api: Api) -> None:
    walks = [await refer_north(api) for _ in range(3)]
    everything = of(await listed(api, Role.COORDINATOR, lambda i: len(of(i, walks)) == 3), walks)
    ids = [i["task"]["id"] for i in (await inbox(api, Role.COORDINATOR, limit=200))["items"]]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = await inbox(api, Role.COORDINATOR, **params)
        seen += [i["task"]["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids
    assert {i["task"]["id"] for i in everything} <= set(seen)


async def test_tiny_windows_give_the_same_order(api: Api) -> None:
    """Forcing the window to halve down to one case at a time changes nothing but cost."""
    walks = [await refer_north(api) for _ in range(3)]
    await listed(api, Role.COORDINATOR, lambda i: len(of(i, walks)) == 3)
    now = datetime.now(UTC)
    roles = frozenset({Role.COORDINATOR})
    wide, _ = await Inbox(api.client).page(roles, [OTHER], limit=200, after=None, now=now)
    narrow, _ = await Inbox(api.client, max_cases_per_list=1).page(
        roles, [OTHER], limit=200, after=None, now=now
    )
    assert [i.task.id for i in narrow] == [i.task.id for i in wide]
    assert len(of([i.model_dump(mode="json") for i in wide], walks)) == 3


class CountCalls(Interceptor, OutboundInterceptor):
    """Counts the visibility count calls a client makes."""

    def __init__(self) -> None:
        self.counts = 0

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        self.next = next
        return self

    async def count_workflows(self, input: CountWorkflowsInput) -> WorkflowExecutionCount:
        self.counts += 1
        return await self.next.count_workflows(input)


async def test_window_edges_are_reused_but_what_they_hold_is_read_fresh(api: Api) -> None:
    walks = [await refer_north(api) for _ in range(3)]
    await listed(api, Role.COORDINATOR, lambda i: len(of(i, walks)) == 3)
    calls = CountCalls()
    config = api.client.config()
    config["interceptors"] = [*config["interceptors"], calls]
    cached = Inbox(Client(**config), max_cases_per_list=1, edges_ttl=600)
    roles = frozenset({Role.COORDINATOR})

    async def read(inbox: Inbox) -> list[str]:
        items, _ = await inbox.page(roles, [OTHER], limit=200, after=None, now=datetime.now(UTC))
        return [i.task.id for i in items]

    first = await read(cached)
    assert calls.counts > 0
    calls.counts = 0
    assert await read(cached) == first
    assert calls.counts == 0, "the second read reused the edges"

    newcomer = await refer_north(api)
    await listed(api, Role.COORDINATOR, lambda i: len(of(i, [newcomer])) == 1)
    uncached = Inbox(api.client, max_cases_per_list=1, edges_ttl=0)
    after_change = await read(cached)
    assert after_change == await read(uncached)
    assert len(after_change) == len(first) + 1


async def test_a_bad_cursor_is_a_validation_problem(api: Api) -> None:
    response = await api.http.get(
        "/v1/tasks", params={"cursor": "not-a-cursor"}, headers=api.auth(Role.COORDINATOR)
    )
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/validation"
