"""Windows along the `NextDeadline` axis that each hold few enough cases to list at once.

Temporal's SQL visibility (the dev server, most self-hosted clusters) cannot ORDER BY a
custom attribute, so the inbox reads the axis in windows, from the far past on. A window
is fitted by counting it and narrowing it while it holds too many cases. Counting costs in
proportion to the cases in the window (on SQLite, about 10 us each, so ~0.5 s for 50,000
cases in one window), which makes a first fit over a crowded axis slow: the edges found are
kept and reused by every later page over the same cases, whichever roles ask.

A too-full window is narrowed to the share of it that would hold `FILL` of a list if its
cases were spread evenly (`WindowEdges._fit`): over 50,000 deadlines within 80 minutes the
first page takes 4 counts instead of halving's 12, and a walk over all of them about a
third of the counts (tests/api/test_inbox_window_fit.py).
"""

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from temporalio.client import Client

from api.visibility_query import quote
from workflows import search_attributes as sa

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
FILL = 0.7  # of `most`: aiming below it, a guess that falls a little long still fits
WIDENINGS = 3


@dataclass
class _Partition:
    """Window ends found for one query, in order: a prefix of a partition of the axis,
    (None, ends[0]], (ends[0], ends[1]], ... Only the edges are kept, never the cases: every
    page still lists its windows afresh."""

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


class WindowEdges:
    """Fits windows of at most `most` cases for a visibility query, and keeps their edges
    `ttl` seconds. Stale edges cost, never correctness: a window that gained cases lists
    more of them (and is fitted again once it holds over twice `most`), one that lost
    them lists fewer; what a page shows is always read fresh."""

    def __init__(self, client: Client, most: int, ttl: float) -> None:
        self._client = client
        self.most = most
        self._ttl = ttl
        self._partitions: dict[str, _Partition] = {}

    def forget(self, base: str) -> None:
        """Fit the windows of `base` again on the next page: one has filled up."""
        self._partitions.pop(base, None)

    async def walk(
        self, base: str, now: datetime
    ) -> AsyncIterator[tuple[datetime | None, int | None]]:
        """(end, count) of consecutive windows from the far past on, each holding at most
        `most` cases when it was fitted; the last end is None (no bound). The count is None
        for a window from an earlier request: it may have changed since."""
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
                    partition.add(end, count, self.most)  # only at its tip, in order
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
        """The window (lower, end], end <= upper, narrowed while it holds too many cases: its
        end and count, and the smallest end found too full (None when the first fitted).

        A too-full window is narrowed to where `FILL` of a list would end if its cases were
        spread evenly, and at least by half. A guess holding under half that shows they
        are not: it is widened by halving the span between it and the narrowest end known
        too full, at most `WIDENINGS` times. Counting a small window is cheap, and one left
        small would make the walk count the crowded rest again."""
        end = upper
        count = await self._count(base, lower, end)
        if lower is None or end is None:
            return end, count, None
        too_full: datetime | None = None
        full_count = 0
        fits, widenings = lower, 0
        while True:
            if count > self.most:
                if end - fits <= SMALLEST_WINDOW:
                    break  # cases bunched at one instant: a longer list, never a gap
                too_full, full_count = end, count
            elif (
                too_full is None
                or count >= FILL * self.most / 2
                or widenings == WIDENINGS
                or too_full - end <= SMALLEST_WINDOW
            ):
                break
            else:
                fits, widenings = end, widenings + 1
            share = _even_share(full_count, self.most) if not widenings else 0.5
            end = fits + (too_full - fits) * share
            count = await self._count(base, lower, end)
        return end, count, too_full

    async def _count(self, base: str, lower: datetime | None, upper: datetime | None) -> int:
        return (await self._client.count_workflows(window_query(base, lower, upper))).count


def _even_share(count: int, most: int) -> float:
    """The share of a window holding `count` cases that would hold `FILL` of `most` if they
    were spread evenly, and at most half, so it narrows at least as fast as halving."""
    return min(0.5, FILL * most / count)


def window_query(base: str, lower: datetime | None, upper: datetime | None) -> str:
    """`base` narrowed to cases with `NextDeadline` in (lower, upper]; a window with no upper
    bound also holds the cases without a deadline."""
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
