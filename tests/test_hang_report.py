"""The report printed before a hung test is ended names where each task waits."""

import asyncio

from tests.conftest import describe_tasks, unfinished_tasks


async def parked_on_an_event(event: asyncio.Event) -> None:
    await event.wait()


async def test_the_report_names_the_await_each_unfinished_task_is_parked_on() -> None:
    event = asyncio.Event()
    task = asyncio.create_task(parked_on_an_event(event), name="parked")
    await asyncio.sleep(0)  # let it start and park
    found = unfinished_tasks()
    assert task in found
    report = describe_tasks("tests/x.py::test_y", found)
    assert "tests/x.py::test_y is still running" in report
    assert "--- parked:" in report
    assert "in parked_on_an_event" in report
    assert "asyncio/locks.py" in report  # the await it is parked on, inside Event.wait
    event.set()
    await task
    assert task not in unfinished_tasks()
