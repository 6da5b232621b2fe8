"""The staff inbox: open tasks for the caller's roles, oldest deadline first.

Temporal's SQL visibility (the dev server, most self-hosted clusters) cannot ORDER BY a
custom attribute, and listing thousands of cases per request is far too slow. So the
inbox walks the `NextDeadline` axis in windows (api/inbox_windows.py). Each case's
`NextDeadline` is the earliest of its open tasks' dues and its stage deadline, so once
every case with `NextDeadline <= H` is read, every task due by H is known: tasks are
emitted in exact order, window by window.

The visibility queries name the jurisdictions, not the roles: `OpenTaskRoles` is a keyword
list, which SQLite visibility matches through a full-text index that it reads whole for
every query (~40 ms per count or list at 50,000 open tasks, whatever the window holds).
The roles are checked on each listed case's `OpenTaskRoles` instead, and again on each
task. The tasks come from each case's encrypted `inbox` memo (no query per case), read in
`NextDeadline` order and only until no later case can hold a task of the page; cases
started before that memo existed are queried.
"""

import base64
import binascii
import heapq
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from temporalio.api.workflow.v1 import WorkflowExecutionInfo
from temporalio.client import Client

from api.inbox_rows import attribute, rows, summary_of_row
from api.inbox_windows import WindowEdges, window_query
from api.problems import ProblemError, ProblemKind
from api.schemas import InboxItem
from api.visibility_query import CASE_TYPE, in_list, quote
from domain.enums import Role
from domain.tasks import INBOX_MEMO, InboxEntry, inbox_entry
from workflows import search_attributes as sa
from workflows.case import DiversionCase

_NEVER = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Cursor:
    """The last task a page showed: the next page starts after it."""

    due: datetime | None
    task_id: str

    def encode(self) -> str:
        raw = json.dumps([self.due.isoformat() if self.due else None, self.task_id])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> "Cursor":
        try:
            due, task_id = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            moment = datetime.fromisoformat(due) if due else None
            if moment is not None and moment.tzinfo is None:
                raise ValueError("a cursor's time has a time zone")
            return cls(moment, str(task_id))
        except (ValueError, TypeError, binascii.Error) as e:
            raise ProblemError(
                ProblemKind.VALIDATION, "cursor: not a cursor this API issued"
            ) from e


def _order(due: datetime | None, task_id: str) -> tuple[datetime, str]:
    return (due or _NEVER, task_id)


@dataclass(order=True)
class _Listed:
    """A listed case with an open task for the caller, its memo not read yet. Every task
    of the case is due at or after its `NextDeadline`, so it sorts by that."""

    key: tuple[datetime, str]
    row: WorkflowExecutionInfo = field(compare=False)


class Inbox:
    """Pages of the open tasks for some roles in some jurisdictions.

    Window edges (api/inbox_windows.py) are kept `edges_ttl` seconds per set of
    jurisdictions, for every role: fitting them over tens of thousands of cases takes
    seconds, while listing a fitted window takes milliseconds. A list costs per case
    listed (the server builds each row) and per call: a window holds at most
    `max_cases_per_list` cases (measured at 20,000 open cases, windows of 50 made the
    first page no faster and the third slower, in more lists)."""

    def __init__(
        self, client: Client, max_cases_per_list: int = 100, edges_ttl: float = 300.0
    ) -> None:
        self._client = client
        self._edges = WindowEdges(client, max_cases_per_list, edges_ttl)

    async def page(
        self,
        roles: frozenset[Role],
        jurisdictions: list[str],
        *,
        limit: int,
        after: Cursor | None,
        now: datetime,
    ) -> tuple[list[InboxItem], Cursor | None]:
        if not roles or not jurisdictions:
            return [], None
        base = (
            f"WorkflowType = {quote(CASE_TYPE)} AND ExecutionStatus = 'Running'"
            f" AND {sa.JURISDICTION.name} IN {in_list(sorted(jurisdictions))}"
        )
        found: list[InboxItem] = []
        unread: list[_Listed] = []  # a heap, earliest NextDeadline first
        lower: datetime | None = None
        async for end, count in self._edges.walk(base, now):
            listed = 0
            if count != 0:  # a window just counted empty is not listed
                async for row in self._rows(window_query(base, lower, end)):
                    listed += 1
                    if _open_for(row, roles):
                        deadline = attribute(row, sa.NEXT_DEADLINE)
                        heapq.heappush(unread, _Listed(_order(deadline, ""), row))
            if count is None and listed > 2 * self._edges.most:
                self._edges.forget(base)  # cases moved into old edges: fit again
            ready = await self._read_memos(found, unread, end, after, limit, roles, now)
            if len(ready) >= limit or end is None:
                page = ready[:limit]
                more = end is not None or len(ready) > limit or bool(unread)
                last = page[-1].task if page else None
                return page, Cursor(last.due_at, last.id) if more and last else None
            lower = end
        return [], None  # unreachable: the last window has no upper bound

    async def _read_memos(
        self,
        found: list[InboxItem],
        unread: list[_Listed],
        upper: datetime | None,
        after: Cursor | None,
        limit: int,
        roles: frozenset[Role],
        now: datetime,
    ) -> list[InboxItem]:
        """Read listed cases' tasks into `found`, earliest case first, until `limit` tasks
        are settled and no unread case can hold one due before the last of them; the
        settled tasks, in order. Decrypting a memo costs more than listing its case."""
        while True:
            ready = _ready(found, upper, after)
            if not unread or (
                len(ready) >= limit
                and unread[0].key > _order(ready[limit - 1].task.due_at, ready[limit - 1].task.id)
            ):
                return ready
            # Short of `limit`, each case holds at least one task: read that many at once.
            for _ in range(min(len(unread), max(1, limit - len(ready)))):
                found += await self._items(heapq.heappop(unread).row, roles, now)

    def _rows(self, query: str) -> AsyncIterator[WorkflowExecutionInfo]:
        return rows(self._client, query)

    async def _items(
        self, row: WorkflowExecutionInfo, roles: frozenset[Role], now: datetime
    ) -> list[InboxItem]:
        memo = row.memo.fields.get(INBOX_MEMO)
        if memo is not None:
            [entries] = await self._client.data_converter.decode([memo], [list[InboxEntry]])
        else:  # started before the memo existed
            case_id = row.execution.workflow_id
            handle = self._client.get_workflow_handle_for(DiversionCase.run, case_id)
            entries = [inbox_entry(t) for t in await handle.query(DiversionCase.open_tasks)]
        summary = summary_of_row(row)
        return [
            InboxItem(
                task=entry,
                case=summary,
                overdue=entry.due_at is not None and entry.due_at < now,
            )
            for entry in entries
            if roles & set(entry.roles)
        ]


def _open_for(row: WorkflowExecutionInfo, roles: frozenset[Role]) -> bool:
    """Whether the case's `OpenTaskRoles` names one of `roles`."""
    names = set(attribute(row, sa.OPEN_TASK_ROLES) or ())
    return any(role.value in names for role in roles)


def _ready(found: list[InboxItem], upper: datetime | None, after: Cursor | None) -> list[InboxItem]:
    """Tasks whose place is settled: due by `upper` (all of them once nothing is unread)."""
    floor = _order(after.due, after.task_id) if after else None
    ready = [
        item
        for item in found
        if (upper is None or (item.task.due_at is not None and item.task.due_at <= upper))
        and (floor is None or _order(item.task.due_at, item.task.id) > floor)
    ]
    return sorted(ready, key=lambda i: _order(i.task.due_at, i.task.id))
