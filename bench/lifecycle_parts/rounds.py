"""A timed round: many cases, real or baseline, driven in two phases.

The first phase (up to the agreement) holds every clock move; the second holds every
signal from a case to its children. The test server leaks a time-skipping lock now and
then when a workflow signals its child (temporalio/sdk-java#1618), after which it cannot
skip time; so no clock move ever follows such a signal within a round, and between
rounds, with every workflow closed, `heal` gives the leaked locks back.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from .cpu_use import RoundCpu, tree_cpu_seconds
from .harness import Bench
from .heal import settle

Begun = TypeVar("Begun")


async def drive_round(
    bench: Bench,
    begin: Callable[[Bench, int], Awaitable[Begun]],
    finish: Callable[[Bench, Begun], Awaitable[list[str]]],
    cases: int,
    limit: int,
) -> tuple[RoundCpu, int]:
    """The wall and CPU seconds to drive `cases` cases, at most `limit` at a time; then
    the leaked locks healed (their count returned beside)."""
    gate = asyncio.Semaphore(limit)

    async def first(n: int) -> Begun:
        async with gate, bench.clock.joined():
            return await begin(bench, n)

    async def second(begun: Begun) -> list[str]:
        async with gate:
            return await finish(bench, begun)

    cpu_before = tree_cpu_seconds()
    started = time.perf_counter()
    begun = await asyncio.gather(*(first(n) for n in range(cases)))
    ids = await asyncio.gather(*(second(b) for b in begun))
    spent = RoundCpu(cases, time.perf_counter() - started, tree_cpu_seconds() - cpu_before)
    healed = await settle(bench, [i for group in ids for i in group])
    return spent, healed
