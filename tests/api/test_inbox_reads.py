"""What an inbox page reads to show its tasks, on the real dev server: visibility queries
that SQLite answers from plain indexes (no keyword-list match, which reads a full-text index
whole for every query), and only the memos of the cases that can hold a task of the page."""

from datetime import UTC, datetime
from typing import Any

from temporalio.client import (
    Client,
    CountWorkflowsInput,
    Interceptor,
    ListWorkflowsInput,
    OutboundInterceptor,
    WorkflowExecution,
    WorkflowExecutionAsyncIterator,
    WorkflowExecutionCount,
)

from api.inbox import Inbox
from api.schemas import InboxItem
from domain.enums import Role
from tests.api.conftest import Api
from tests.api.test_inbox import listed, of, refer_north
from tests.jurisdictions import OTHER


class Queries(Interceptor, OutboundInterceptor):
    """The visibility queries a client sends: counts and lists."""

    def __init__(self) -> None:
        self.counts: list[str] = []
        self.lists: list[str] = []

    @property
    def sent(self) -> list[str]:
        return self.counts + self.lists

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        self.next = next
        return self

    async def count_workflows(self, input: CountWorkflowsInput) -> WorkflowExecutionCount:
        self.counts.append(input.query or "")
        return await self.next.count_workflows(input)

    def list_workflows(self, input: ListWorkflowsInput) -> WorkflowExecutionAsyncIterator:
        self.lists.append(input.query or "")
        return self.next.list_workflows(input)


class MemoReads(Inbox):
    """The app's inbox, noting which cases' memos it reads."""

    def __init__(self, client: Client, **options: Any) -> None:
        super().__init__(client, **options)
        self.read: list[str] = []

    async def _items(
        self, execution: WorkflowExecution, roles: frozenset[Role], now: datetime
    ) -> list[InboxItem]:
        self.read.append(execution.id)
        return await super()._items(execution, roles, now)


def client_noting(api: Api, queries: Queries) -> Client:
    config = api.client.config()
    config["interceptors"] = [*config["interceptors"], queries]
    return Client(**config)


async def page(inbox: Inbox, role: Role, limit: int = 200) -> list[InboxItem]:
    items, _ = await inbox.page(
        frozenset({role}), [OTHER], limit=limit, after=None, now=datetime.now(UTC)
    )
    return items


async def test_queries_name_the_jurisdiction_never_the_roles(api: Api) -> None:
    walks = [await refer_north(api) for _ in range(2)]
    await listed(api, Role.COORDINATOR, lambda i: len(of(i, walks)) == 2)
    queries = Queries()
    inbox = Inbox(client_noting(api, queries), max_cases_per_list=1)
    items = await page(inbox, Role.COORDINATOR)
    assert len(of([i.model_dump(mode="json") for i in items], walks)) == 2
    assert queries.sent, "the page read visibility"
    assert all(f"CaseJurisdiction IN ('{OTHER}')" in q for q in queries.sent)
    assert not any("OpenTaskRoles" in q for q in queries.sent)


async def test_only_the_memos_a_page_needs_are_read(api: Api) -> None:
    walks = [await refer_north(api) for _ in range(3)]
    await listed(api, Role.COORDINATOR, lambda i: len(of(i, walks)) == 3)
    everything = await page(Inbox(api.client), Role.COORDINATOR)

    lazy = MemoReads(api.client)
    first = await page(lazy, Role.COORDINATOR, limit=1)
    assert [i.task.id for i in first] == [everything[0].task.id]
    # Each screening case's task is due at its NextDeadline, all different: the first case
    # settles the page, and no later case can hold an earlier task.
    assert lazy.read == [everything[0].case.case_id]


async def test_cases_without_a_task_for_the_caller_are_not_read(api: Api) -> None:
    walks = [await refer_north(api) for _ in range(2)]
    await listed(api, Role.COORDINATOR, lambda i: len(of(i, walks)) == 2)
    facilitator = MemoReads(api.client)
    items = await page(facilitator, Role.FACILITATOR)
    assert of([i.model_dump(mode="json") for i in items], walks) == []
    mine = {w.case_id for w in walks}
    assert not mine & set(facilitator.read), "only screen_case is open: nothing to decrypt"


async def test_every_role_reuses_the_same_window_edges(api: Api) -> None:
    walks = [await refer_north(api) for _ in range(2)]
    await listed(api, Role.COORDINATOR, lambda i: len(of(i, walks)) == 2)
    queries = Queries()
    inbox = Inbox(client_noting(api, queries), max_cases_per_list=5, edges_ttl=600)
    await page(inbox, Role.COORDINATOR)  # to the end of the axis: every window fitted
    assert queries.counts, "the first page fitted the windows"
    queries.counts.clear()
    queries.lists.clear()
    await page(inbox, Role.VICTIM_ADVOCATE)
    assert queries.counts == [], "the advocate's page reused the coordinator's edges"
    assert queries.lists, "and still listed the windows afresh"
    assert len(queries.lists) == len(set(queries.lists)), "each window once"
