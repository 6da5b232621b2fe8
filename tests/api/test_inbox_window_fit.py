"""Fitting inbox windows over a crowded deadline axis (api/inbox_windows.py), against an
in-memory count of 50,000 invented deadlines: every window the walk yields holds at most
a list's worth of cases, the windows follow each other with neither gap nor overlap, and
a cold first page and a whole walk take fewer counts than halving alone did."""

import random
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from api import inbox_windows
from api.inbox_windows import WindowEdges

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
MOST = 100
BASE = "WorkflowType = 'DiversionCase'"
BOUND = re.compile(r"NextDeadline (>|<=) '([^']+)'")


@dataclass
class Counted:
    count: int


class CountingVisibility:
    """Counts the deadlines in a window query as SQL visibility would, and the counts."""

    def __init__(self, deadlines: list[datetime | None]) -> None:
        self.deadlines = sorted(d for d in deadlines if d is not None)
        self.without = len(deadlines) - len(self.deadlines)
        self.calls = 0

    async def count_workflows(self, query: str) -> Counted:
        self.calls += 1
        lower = upper = None
        for op, moment in BOUND.findall(query):
            bound = datetime.fromisoformat(moment.replace("Z", "+00:00"))
            lower, upper = (bound, upper) if op == ">" else (lower, bound)
        first = 0 if lower is None else bisect_right(self.deadlines, lower)
        last = len(self.deadlines) if upper is None else bisect_right(self.deadlines, upper)
        return Counted(max(0, last - first) + (self.without if upper is None else 0))


def crowded() -> list[datetime | None]:
    """50,000 open cases, most due within the next 80 minutes (a morning's intake), some
    later, some overdue, some with no deadline."""
    pick = random.Random(20261206)
    soon = [NOW + timedelta(seconds=pick.uniform(0, 80 * 60)) for _ in range(48_000)]
    later = [NOW + timedelta(days=pick.uniform(1, 200)) for _ in range(1_500)]
    overdue = [NOW - timedelta(days=pick.uniform(0, 30)) for _ in range(400)]
    return [*soon, *later, *overdue, *[None] * 100]


def all_soon() -> list[datetime | None]:
    """50,000 open cases all due within the next 80 minutes, as bench/http_api.py fills."""
    pick = random.Random(61202)
    return [NOW + timedelta(seconds=pick.uniform(0, 80 * 60)) for _ in range(50_000)]


@dataclass
class Cost:
    first_page: int  # counts until a page of 25 cases can be listed
    walk: int  # counts over the whole axis


async def cost(deadlines: list[datetime | None]) -> Cost:
    visibility = CountingVisibility(deadlines)
    edges = WindowEdges(visibility, MOST, ttl=300)  # type: ignore[arg-type]
    first_page, seen = 0, 0
    async for _, count in edges.walk(BASE, NOW):
        seen += count or 0
        if seen >= 25 and not first_page:
            first_page = visibility.calls
    return Cost(first_page, visibility.calls)


@pytest.mark.parametrize("layout", [crowded, all_soon])
async def test_the_windows_cover_every_case_once_each_within_a_list(
    layout: Callable[[], list[datetime | None]],
) -> None:
    deadlines = layout()
    edges = WindowEdges(CountingVisibility(deadlines), MOST, ttl=300)  # type: ignore[arg-type]
    windows = [window async for window in edges.walk(BASE, NOW)]
    assert windows[-1][0] is None
    ends = [end for end, _ in windows[:-1] if end is not None]
    assert len(ends) == len(windows) - 1
    assert ends == sorted(ends) and len(set(ends)) == len(ends)
    assert all(count is not None and count <= MOST for _, count in windows)
    assert sum(count or 0 for _, count in windows) == len(deadlines)


@pytest.mark.parametrize("layout", [crowded, all_soon])
async def test_a_crowded_axis_takes_fewer_counts_than_halving(
    layout: Callable[[], list[datetime | None]], monkeypatch: pytest.MonkeyPatch
) -> None:
    guessed = await cost(layout())
    with monkeypatch.context() as patch:
        patch.setattr(inbox_windows, "_even_share", lambda count, most: 0.5)
        patch.setattr(inbox_windows, "WIDENINGS", 0)
        halved = await cost(layout())
    assert guessed.first_page < halved.first_page
    assert 2 * guessed.walk < halved.walk, (guessed, halved)


async def test_a_cold_first_page_over_50000_cases_due_soon_takes_four_counts() -> None:
    assert (await cost(all_soon())).first_page <= 4  # the ladder's three, then one guess
