"""A filing heartbeats while it works, so a worker killed mid-filing costs the report the
heartbeat timeout, not the whole attempt's (found by the fault run: two minutes a report)."""

import asyncio

from temporalio import activity
from temporalio.testing import ActivityEnvironment

from activities.case_activities import heartbeating
from workflows.case_waiting import FILING_ATTEMPT_TIMEOUT, FILING_HEARTBEAT_TIMEOUT


async def test_a_long_filing_heartbeats_until_it_has_its_answer() -> None:
    beats: list[object] = []
    env = ActivityEnvironment()
    env.on_heartbeat = lambda *details: beats.append(details)

    async def slow_court() -> str:
        await asyncio.sleep(0.35)  # the court taking its time; heartbeats meanwhile
        return "FC-000001"

    @activity.defn
    async def file() -> str:
        return await heartbeating(slow_court(), every=0.1)

    assert await env.run(file) == "FC-000001"
    assert 2 <= len(beats) <= 4


async def test_a_quick_filing_does_not_heartbeat_and_failures_pass_through() -> None:
    beats: list[object] = []
    env = ActivityEnvironment()
    env.on_heartbeat = lambda *details: beats.append(details)

    async def refused() -> str:
        raise ValueError("the court refused")

    @activity.defn
    async def file() -> str:
        assert await heartbeating(asyncio.sleep(0, "quick"), every=5) == "quick"
        return await heartbeating(refused(), every=5)

    try:
        await env.run(file)
    except ValueError as e:
        assert str(e) == "the court refused"
    else:
        raise AssertionError("the refusal was lost")
    assert beats == []


def test_the_heartbeat_timeout_leaves_room_for_several_heartbeats() -> None:
    from activities.case_activities import HEARTBEAT_EVERY_SECONDS

    assert FILING_HEARTBEAT_TIMEOUT.total_seconds() >= HEARTBEAT_EVERY_SECONDS * 3
    assert FILING_HEARTBEAT_TIMEOUT < FILING_ATTEMPT_TIMEOUT
