"""What an inbox page reads to show its tasks, on the real dev server: visibility queries
that SQLite answers from plain indexes (no keyword-list match, which reads a full-text index
whole for every query), and only the memos of the cases that can hold a task of the page."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from temporalio.api.workflow.v1 import WorkflowExecutionInfo
from temporalio.client import (
    Client,
    CountWorkflowsInput,
    Interceptor,
    OutboundInterceptor,
    WorkflowExecutionCount,
)

from api.gateway import summary_of
from api.inbox import Inbox
from api.inbox_rows import attribute, rows, summary_of_row
from api.schemas import InboxItem
from domain.enums import Role
from domain.tasks import INBOX_MEMO
from tests.api.conftest import Api
from tests.api.test_inbox import listed, of, refer_north
from tests.jurisdictions import OTHER
from workflows import search_attributes as sa


class Counts(Interceptor, OutboundInterceptor):
    """The visibility counts a client sends."""

    def __init__(self) -> None:
        self.queries: list[str] = []

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        self.next = next
        return self

    async def count_workflows(self, input: CountWorkflowsInput) -> WorkflowExecutionCount:
        self.queries.append(input.query or "")
        return await self.next.count_workflows(input)


class Noting(Inbox):
    """The app's inbox, noting the counts and lists it sends and whose memos it reads."""

    def __init__(self, api: Api, **options: Any) -> None:
        self.counts = Counts()
        config = api.client.config()
        config["interceptors"] = [*config["interceptors"], self.counts]
        super().__init__(Client(**config), **options)
        self.lists: list[str] = []
        self.read: list[str] = []

    def _rows(self, query: str) -> AsyncIterator[WorkflowExecutionInfo]:
        self.lists.append(query)
        return super()._rows(query)

    async def _items(
        self, row: WorkflowExecutionInfo, roles: frozenset[Role], now: datetime
    ) -> list[InboxItem]:
        self.read.append(row.execution.workflow_id)
        return await super()._items(row, roles, now)


async def page(inbox: Inbox, role: Role, limit: int = 200) -> list[InboxItem]:
    items, _ = await inbox.page(
        frozenset({role}), [OTHER], limit=limit, after=None, now=datetime.now(UTC)
    )
    return items


async def test_queries_name_the_jurisdiction_never_the_roles(api: Api) -> None:
    walks = [await refer_north(api) for _ in range(2)]
    await listed(api, Role.COORDINATOR, lambda i: len(of(i, walks)) == 2)
    inbox = Noting(api, max_cases_per_list=1)
    items = await page(inbox, Role.COORDINATOR)
    assert len(of([i.model_dump(mode="json") for i in items], walks)) == 2
    sent = inbox.counts.queries + inbox.lists
    assert inbox.counts.queries and inbox.lists, "the page counted and listed windows"
    assert all(f"CaseJurisdiction IN ('{OTHER}')" in q for q in sent)
    assert not any("OpenTaskRoles" in q for q in sent)


async def test_only_the_memos_a_page_needs_are_read(api: Api) -> None:
    walks = [await refer_north(api) for _ in range(3)]
    await listed(api, Role.COORDINATOR, lambda i: len(of(i, walks)) == 3)
    everything = await page(Inbox(api.client), Role.COORDINATOR)

    lazy = Noting(api)
    first = await page(lazy, Role.COORDINATOR, limit=1)
    assert [i.task.id for i in first] == [everything[0].task.id]
    # Each screening case's task is due at its NextDeadline, all different: the first case
    # settles the page, and no later case can hold an earlier task.
    assert lazy.read == [everything[0].case.case_id]


async def test_cases_without_a_task_for_the_caller_are_not_read(api: Api) -> None:
    walks = [await refer_north(api) for _ in range(2)]
    await listed(api, Role.COORDINATOR, lambda i: len(of(i, walks)) == 2)
    facilitator = Noting(api)
    items = await page(facilitator, Role.FACILITATOR)
    assert of([i.model_dump(mode="json") for i in items], walks) == []
    mine = {w.case_id for w in walks}
    assert not mine & set(facilitator.read), "only screen_case is open: nothing to decrypt"


async def test_every_role_reuses_the_same_window_edges(api: Api) -> None:
    walks = [await refer_north(api) for _ in range(2)]
    await listed(api, Role.COORDINATOR, lambda i: len(of(i, walks)) == 2)
    inbox = Noting(api, max_cases_per_list=5, edges_ttl=600)
    await page(inbox, Role.COORDINATOR)  # to the end of the axis: every window fitted
    assert inbox.counts.queries, "the first page fitted the windows"
    inbox.counts.queries.clear()
    inbox.lists.clear()
    await page(inbox, Role.VICTIM_ADVOCATE)
    assert inbox.counts.queries == [], "the advocate's page reused the coordinator's edges"
    assert inbox.lists, "and still listed the windows afresh"
    assert len(inbox.lists) == len(set(inbox.lists)), "each window once"


async def test_a_row_reads_as_the_sdk_reads_it_and_without_its_memo_by_a_query(
    api: Api,
) -> None:
    walk = await refer_north(api)
    await listed(api, Role.COORDINATOR, lambda i: len(of(i, [walk])) == 1)
    query = f"WorkflowId = '{walk.case_id}'"
    [row] = [r async for r in rows(api.client, query)]
    [execution] = [e async for e in api.client.list_workflows(query)]
    assert summary_of_row(row) == summary_of(execution)
    assert attribute(row, sa.OPEN_TASK_ROLES) == ["coordinator"]
    assert attribute(row, sa.NEXT_DEADLINE) == execution.typed_search_attributes.get(
        sa.NEXT_DEADLINE
    )

    inbox, roles, now = Inbox(api.client), frozenset({Role.COORDINATOR}), datetime.now(UTC)
    from_memo = await inbox._items(row, roles, now)
    # A case started before the inbox memo existed: its tasks come from a query.
    del row.memo.fields[INBOX_MEMO]
    assert await inbox._items(row, roles, now) == from_memo
    assert [i.task.kind for i in from_memo] == ["screen_case"]
