"""Timing helpers: percentiles, millisecond formatting, bounded concurrency, and the
client interceptor and inbox subclass that split an inbox page's time into its calls."""

import asyncio
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime

from temporalio.api.workflow.v1 import WorkflowExecutionInfo
from temporalio.client import (
    Client,
    CountWorkflowsInput,
    Interceptor,
    OutboundInterceptor,
    WorkflowExecutionCount,
)

from api.inbox import Inbox
from api.schemas import InboxItem
from domain.enums import Role

MAX_PER_LIST = 100  # api.inbox.Inbox's default: a window holding more cases is halved


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


async def bounded(count: int, limit: int, one: Callable[[int], Awaitable[None]]) -> float:
    """Wall seconds to run `one(0) .. one(count - 1)`, at most `limit` at a time."""
    gate = asyncio.Semaphore(limit)

    async def run(n: int) -> None:
        async with gate:
            await one(n)

    started = time.perf_counter()
    await asyncio.gather(*(run(n) for n in range(count)))
    return time.perf_counter() - started


class Timings(Interceptor):
    """Times an inbox's count calls (a client interceptor); ProfiledInbox notes its lists."""

    def __init__(self) -> None:
        self.list_queries: list[str] = []
        self.reset()

    def reset(self) -> None:
        self.total_s = self.count_s = self.items_s = 0.0
        self.lists = self.listed_cases = 0
        self.counted: list[int] = []  # what each count call answered

    def describe(self, pages: int) -> str:
        rest = self.total_s - self.count_s - self.items_s
        over = sum(1 for c in self.counted if c > MAX_PER_LIST)
        empty = sum(1 for c in self.counted if c == 0)
        return (
            f"total {ms(self.total_s / pages)}\n"
            f"    {len(self.counted) / pages:5.1f} count RPCs {ms(self.count_s / pages)} "
            f"({ms(self.count_s / max(1, len(self.counted)))} each; per page "
            f"{over / pages:.1f} over {MAX_PER_LIST} cases, so halved, {empty / pages:.1f} empty)\n"
            f"    {self.lists / pages:5.1f} list RPCs and the rest {ms(rest / pages)}\n"
            f"    memos read of {self.listed_cases / pages:5.1f} cases "
            f"{ms(self.items_s / pages)}"
        )

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        return _Timed(next, self)


class _Timed(OutboundInterceptor):
    def __init__(self, next: OutboundInterceptor, timings: Timings) -> None:
        super().__init__(next)
        self.timings = timings

    async def count_workflows(self, input: CountWorkflowsInput) -> WorkflowExecutionCount:
        started = time.perf_counter()
        counted = await super().count_workflows(input)
        self.timings.count_s += time.perf_counter() - started
        self.timings.counted.append(counted.count)
        return counted


class ProfiledInbox(Inbox):
    """The app's inbox, noting its list queries and timing the memo decoding of each case
    it reads."""

    def __init__(self, client: Client, timings: Timings) -> None:
        super().__init__(client)
        self.timings = timings

    def _rows(self, query: str) -> AsyncIterator[WorkflowExecutionInfo]:
        self.timings.lists += 1
        self.timings.list_queries.append(query)
        return super()._rows(query)

    async def _items(
        self, row: WorkflowExecutionInfo, roles: frozenset[Role], now: datetime
    ) -> list[InboxItem]:
        started = time.perf_counter()
        try:
            return await super()._items(row, roles, now)
        finally:
            self.timings.items_s += time.perf_counter() - started
            self.timings.listed_cases += 1
