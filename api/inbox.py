"""The staff inbox: open tasks for the caller's roles, oldest deadline first.

Temporal's SQL visibility (the dev server, most self-hosted clusters) cannot ORDER BY a
custom attribute, and listing thousands of cases per request is far too slow. So the
inbox walks the `NextDeadline` axis in windows, counting before listing and halving a
window while it holds too many cases. Each case's `NextDeadline` is the earliest of its
open tasks' dues and its stage deadline, so once every case with `NextDeadline <= H` is
read, every task due by H is known: tasks are emitted in exact order, window by window.
The tasks themselves come from each case's encrypted `inbox` memo (no query per case);
cases started before that memo existed are queried.
"""

import base64
import binascii
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from temporalio.client import Client, WorkflowExecution

from api.gateway import CASE_TYPE, in_list, quote, summary_of
from api.problems import ProblemError, ProblemKind
from api.schemas import InboxItem
from domain.enums import Role
from domain.tasks import INBOX_MEMO, InboxEntry, inbox_entry
from workflows import search_attributes as sa
from workflows.case import DiversionCase

FAR_PAST = timedelta(days=365)
# Window edges after "now": most work is due within days, so the ladder is fine there.
STEPS = (
    timedelta(0),
    timedelta(hours=1),
    timedelta(days=1),
    timedelta(days=7),
    timedelta(days=30),
    timedelta(days=365),
)
SMALLEST_WINDOW = timedelta(seconds=1)
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


@dataclass
class _Partition:
    """Window ends along `NextDeadline` found for one inbox query, in order: a prefix of a
    partition of the axis, (None, ends[0]], (ends[0], ends[1]], ... Only the edges are
    kept, never the cases: every page still lists its windows afresh."""

    ends: list[datetime | None]
    counts: list[int]  # cases in each window when it was fitted
    expires: float

    def add(self, end: datetime | None, count: int, most: int) -> None:
        """Append a window, or widen the last one when both fit in one list together."""
        if self.counts and self.counts[-1] + count <= most:
            self.ends[-1] = end
            self.counts[-1] += count
        else:
            self.ends.append(end)
            self.counts.append(count)


class Inbox:
    """Pages of the open tasks for some roles in some jurisdictions.

    Finding windows that hold at most `max_cases_per_list` cases costs a count per halving
    (about 20 ms each with thousands of open cases), far more than listing them. The edges
    found are kept `edges_ttl` seconds per query and reused by the next pages and callers
    with the same roles and jurisdictions. Stale edges only make a window list more or
    fewer cases: what a page shows is always read fresh."""

    def __init__(
        self, client: Client, max_cases_per_list: int = 100, edges_ttl: float = 10.0
    ) -> None:
        self._client = client
        self._max = max_cases_per_list
        self._ttl = edges_ttl
        self._partitions: dict[str, _Partition] = {}

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
            f" AND {sa.JURISDICTION.name} IN {in_list(jurisdictions)}"
            f" AND {sa.OPEN_TASK_ROLES.name} IN {in_list(sorted(r.value for r in roles))}"
        )
        found: list[InboxItem] = []
        lower: datetime | None = None
        async for end, count in self._windows(base, now):
            listed = 0
            if count != 0:  # a window just counted empty is not listed
                async for execution in self._client.list_workflows(_window(base, lower, end)):
                    found += await self._items(execution, roles, now)
                    listed += 1
            if count is None and listed > 2 * self._max:
                self._partitions.pop(base, None)  # cases moved into old edges: fit again
            ready = _ready(found, end, after)
            if len(ready) >= limit or end is None:
                page = ready[:limit]
                more = end is not None or len(ready) > limit
                last = page[-1].task if page else None
                return page, Cursor(last.due_at, last.id) if more and last else None
            lower = end
        return [], None  # unreachable: the last window has no upper bound

    async def _windows(
        self, base: str, now: datetime
    ) -> AsyncIterator[tuple[datetime | None, int | None]]:
        """(end, count) of consecutive windows from the far past on, each holding at most
        `max_cases_per_list` cases when it was fitted; the last end is None (no bound). The
        count is None for a window from an earlier request: it may have changed since."""
        partition = self._partition(base)
        cached = list(partition.ends)  # other requests may extend it while this one reads
        for end in cached:
            yield end, None
        if cached and cached[-1] is None:
            return
        lower = cached[-1] if cached else None
        ladder = [now - FAR_PAST] + [now + step for step in STEPS] + [None]
        for upper in [u for u in ladder if lower is None or u is None or u > lower]:
            ceiling = upper
            while True:
                end, count, too_full = await self._fit(base, lower, ceiling)
                if partition.ends[-1:] == [lower] or (lower is None and not partition.ends):
                    partition.add(end, count, self._max)  # only at its tip, in order
                yield end, count
                lower = end
                if end is None or end == upper:
                    break
                # Halving resumes below the last window that was too full, not from `upper`.
                ceiling = too_full if too_full is not None else upper

    def _partition(self, base: str) -> _Partition:
        clock = time.monotonic()
        partition = self._partitions.get(base)
        if partition is None or partition.expires < clock:
            for stale in [k for k, p in self._partitions.items() if p.expires < clock]:
                del self._partitions[stale]
            partition = _Partition(ends=[], counts=[], expires=clock + self._ttl)
            self._partitions[base] = partition
        return partition

    async def _fit(
        self, base: str, lower: datetime | None, upper: datetime | None
    ) -> tuple[datetime | None, int, datetime | None]:
        """The window (lower, end], end <= upper, halved while it holds too many cases: its
        end and count, and the smallest end found too full (None when the first fitted)."""
        end = upper
        too_full: datetime | None = None
        count = (await self._client.count_workflows(_window(base, lower, end))).count
        while (
            count > self._max
            and lower is not None
            and end is not None
            and end - lower > SMALLEST_WINDOW
        ):
            too_full = end
            end = lower + (end - lower) / 2
            count = (await self._client.count_workflows(_window(base, lower, end))).count
        return end, count, too_full

    async def _items(
        self, execution: WorkflowExecution, roles: frozenset[Role], now: datetime
    ) -> list[InboxItem]:
        entries = await execution.memo_value(INBOX_MEMO, None, type_hint=list[InboxEntry])
        if entries is None:  # started before the memo existed
            handle = self._client.get_workflow_handle_for(DiversionCase.run, execution.id)
            entries = [inbox_entry(t) for t in await handle.query(DiversionCase.open_tasks)]
        summary = summary_of(execution)
        return [
            InboxItem(
                task=entry,
                case=summary,
                overdue=entry.due_at is not None and entry.due_at < now,
            )
            for entry in entries
            if roles & set(entry.roles)
        ]


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


def _window(base: str, lower: datetime | None, upper: datetime | None) -> str:
    query = base
    if lower is not None:
        query += f" AND {sa.NEXT_DEADLINE.name} > {quote(_iso(lower))}"
    if upper is not None:
        query += f" AND {sa.NEXT_DEADLINE.name} <= {quote(_iso(upper))}"
    elif lower is not None:
        query = f"{base} AND ({sa.NEXT_DEADLINE.name} > {quote(_iso(lower))}" + (
            f" OR {sa.NEXT_DEADLINE.name} IS NULL)"
        )
    return query


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
