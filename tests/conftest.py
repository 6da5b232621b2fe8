"""Before pytest-timeout ends a hung run, say where each coroutine of the hung test waits.

pytest-timeout's thread method prints every thread's stack, and for an async test that
is only the event loop waiting in `select`. A hang that cannot be reproduced (seen once
in `tests/api`) needs the await each task is parked on, so shortly before the timeout
this prints the test's name and the stack of every unfinished asyncio task.
"""

import asyncio
import gc
import sys
import threading
from collections.abc import Iterator

import pytest
from hypothesis import settings

# Property tests assert behaviour, not speed (timing belongs in bench/): on a shared
# machine an example can take longer than Hypothesis' default 200 ms deadline, and that
# is no failure of the rule tested.
settings.register_profile("behaviour-only", deadline=None)
settings.load_profile("behaviour-only")

# Printed this long before pytest-timeout's own limit ends the run.
AHEAD_SECONDS = 20.0


def unfinished_tasks() -> list["asyncio.Task[object]"]:
    # The loop belongs to another thread and cannot be asked; the collector can.
    return [o for o in gc.get_objects() if isinstance(o, asyncio.Task) and not o.done()]


def describe_tasks(test: str, tasks: list["asyncio.Task[object]"]) -> str:
    lines = [f"\n{test} is still running; its unfinished asyncio tasks:"]
    for task in tasks:
        lines.append(f"--- {task.get_name()}:")
        awaiting: object = task.get_coro()
        # `Task.get_stack` gives a suspended task's outer frame only; the await chain
        # leads to the one it is parked on.
        while awaiting is not None:
            frame = getattr(awaiting, "cr_frame", None) or getattr(awaiting, "gi_frame", None)
            if frame is None:
                lines.append(f"    awaiting {awaiting!r}")
                break
            lines.append(
                f"    {frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}"
            )
            awaiting = getattr(awaiting, "cr_await", None) or getattr(
                awaiting, "gi_yieldfrom", None
            )
    return "\n".join(lines)


def _print_tasks(test: str) -> None:
    # Captured, and printed with the test's output when pytest-timeout ends the run.
    sys.stderr.write(describe_tasks(test, unfinished_tasks()) + "\n")
    sys.stderr.flush()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    # Setup, call and teardown, as pytest-timeout times them.
    limit = float(item.config.getini("timeout") or 0)
    if limit <= AHEAD_SECONDS:
        yield
        return
    timer = threading.Timer(limit - AHEAD_SECONDS, _print_tasks, args=(item.nodeid,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
