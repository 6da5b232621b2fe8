"""Waiting for Temporal's visibility store, which trails a workflow's own state by a
moment: lists, counts and search-attribute queries read it. A short poll is the honest
wait here; there is no workflow event to await for an index catching up."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")
PATIENCE_SECONDS = 15.0


async def eventually(read: Callable[[], Awaitable[T]], shown: Callable[[T], bool]) -> T:
    """`read()` until `shown` holds, or the patience runs out; the last read either way,
    for the caller to assert on (so a failure shows what was seen)."""
    deadline = time.monotonic() + PATIENCE_SECONDS
    while not shown(seen := await read()) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)  # visibility catching up, not the workflow
    return seen
