"""Phase 3: the coordinator's inbox (`GET /v1/tasks`) over many open cases, its p95, and
where an inbox page spends its time."""

import time
from datetime import UTC, datetime

from temporalio.client import Client

from api.inbox import Cursor
from api.inbox_rows import rows
from api.schemas import InboxItem
from domain.enums import Role
from tests.jurisdictions import HOME

from .fill import IN_FLIGHT, fill, load_average
from .harness import Bench, BenchFailure
from .timing import ProfiledInbox, Timings, ms, percentile

INBOX_HOME = HOME  # the inbox cases, and the inbox caller's only jurisdiction; OTHER's
# cases (ingest and task completion) are kept out of the inbox being measured
TARGET_INBOX_MS = 300.0
INBOX_LIMIT = 25
INBOX_REQUESTS = 50
INBOX_BUDGET = 60.0  # seconds: fewer requests (at least INBOX_MIN_REQUESTS) if slower
INBOX_MIN_REQUESTS = 10
PROFILED_PAGES = 3
DEEP_REQUESTS = 20


async def fill_inbox(bench: Bench, count: int) -> None:
    """`count` open cases in INBOX_HOME, as bench/pages.py fills them too."""
    await fill(bench, INBOX_HOME, count, in_flight=IN_FLIGHT, workers=0)


async def inbox_page(
    bench: Bench, headers: dict[str, str], cursor: str | None = None
) -> tuple[float, list[InboxItem], str | None]:
    params: dict[str, str | int] = {"limit": INBOX_LIMIT}
    if cursor is not None:
        params["cursor"] = cursor
    started = time.perf_counter()
    response = await bench.http.get("/v1/tasks", params=params, headers=headers)
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise BenchFailure(f"GET /v1/tasks: {response.status_code} {response.text}")
    body = response.json()
    items = [InboxItem.model_validate(item) for item in body["items"]]
    return seconds, items, body.get("next_cursor")


async def inbox(
    bench: Bench, count: int, *, in_flight: int, workers: int, minutes: float | None
) -> float:
    count = await fill(
        bench, INBOX_HOME, count, in_flight=in_flight, workers=workers, minutes=minutes
    )
    headers = bench.auth(Role.COORDINATOR, INBOX_HOME)
    cold_s, first, cursor = await inbox_page(bench, headers)  # not in the p95: fits windows
    check_page("the first page", first, count)
    print(f"inbox first page, first request (window edges fitted afresh): {ms(cold_s)}")
    times: list[float] = []
    budget = time.perf_counter() + INBOX_BUDGET
    while len(times) < INBOX_REQUESTS and (
        len(times) < INBOX_MIN_REQUESTS or time.perf_counter() < budget
    ):
        seconds, items, _ = await inbox_page(bench, headers)
        if [i.task.id for i in items] != [i.task.id for i in first]:
            raise BenchFailure("the first page changed between requests")
        times.append(seconds)
    if len(times) < INBOX_REQUESTS:
        print(f"  (only {len(times)} requests: they took over {INBOX_BUDGET:.0f} s)")
    print(
        f"inbox first page (limit {INBOX_LIMIT}, {count} cases), {len(times)} requests: "
        f"p50 {ms(percentile(times, 50))}  p95 {ms(percentile(times, 95))}  "
        f"max {ms(max(times))}; load average {load_average()}"
    )
    if cursor is None:
        raise BenchFailure("the first page has no next_cursor")
    second_s, second, cursor = await inbox_page(bench, headers, cursor)
    check_page("the second page", second, count, after=first[-1])
    if cursor is None:
        raise BenchFailure("the second page has no next_cursor")
    third_s, third, _ = await inbox_page(bench, headers, cursor)
    check_page("the third page", third, count, after=second[-1])
    seen = [i.task.id for i in first + second + third]
    if len(set(seen)) != len(seen):
        raise BenchFailure("a task shows on two pages")
    print(f"inbox second page (cursor once):  {ms(second_s)}")
    print(f"inbox third page (cursor twice):  {ms(third_s)}")
    deep = await repeated(bench, headers, cursor_after(second).encode(), third)
    print(
        f"inbox third page, {len(deep)} requests: p50 {ms(percentile(deep, 50))}  "
        f"p95 {ms(percentile(deep, 95))}  max {ms(max(deep))}"
    )
    await profile_inbox(bench, first, cursor_after(first), cursor_after(second))
    p95 = percentile(times, 95) * 1000
    print(f"bench api_inbox: p95 {p95:.0f} ms (target <= {TARGET_INBOX_MS:.0f} ms)", flush=True)
    return p95


async def repeated(
    bench: Bench, headers: dict[str, str], cursor: str, expected: list[InboxItem]
) -> list[float]:
    """Seconds of `DEEP_REQUESTS` reads of the page after `cursor`, each the same."""
    times: list[float] = []
    for _ in range(DEEP_REQUESTS):
        seconds, items, _ = await inbox_page(bench, headers, cursor)
        if [i.task.id for i in items] != [i.task.id for i in expected]:
            raise BenchFailure("a deeper page changed between requests")
        times.append(seconds)
    return times


async def profile_inbox(
    bench: Bench, first: list[InboxItem], second: Cursor, third: Cursor
) -> None:
    """The same pages read in-process, with counts, lists and memo decoding timed."""
    timings = Timings()
    config = bench.client.config()
    config["interceptors"] = [*config["interceptors"], timings]
    profiled = ProfiledInbox(Client(**config), timings)
    roles, places = frozenset({Role.COORDINATOR}), [INBOX_HOME]
    timings.reset()
    started = time.perf_counter()
    await profiled.page(roles, places, limit=INBOX_LIMIT, after=None, now=datetime.now(UTC))
    timings.total_s = time.perf_counter() - started
    print("inbox breakdown, in-process Inbox.page")
    print(f"  first page, edges fitted afresh: {timings.describe(1)}")
    print(f"  then with those edges (mean of {PROFILED_PAGES} reads):")
    for name, after in (("first", None), ("second", second), ("third", third)):
        timings.reset()
        for _ in range(PROFILED_PAGES):
            started = time.perf_counter()
            items, _ = await profiled.page(
                roles, places, limit=INBOX_LIMIT, after=after, now=datetime.now(UTC)
            )
            timings.total_s += time.perf_counter() - started
        if after is None and [i.task.id for i in items] != [i.task.id for i in first]:
            raise BenchFailure("the in-process first page differs from the HTTP one")
        print(f"  {name:<6} page: {timings.describe(PROFILED_PAGES)}")
    # The list calls alone (rows left undecoded), to split the list time from the rest;
    # and through the SDK's list_workflows, which decodes every attribute of every row.
    listed = Timings()
    decoded = 0.0
    for query in timings.list_queries[-10:]:
        started = time.perf_counter()
        found = [row async for row in rows(bench.client, query)]
        listed.total_s += time.perf_counter() - started
        listed.listed_cases += len(found)
        started = time.perf_counter()
        [e async for e in bench.client.list_workflows(query)]
        decoded += time.perf_counter() - started
    if timings.list_queries[-10:]:
        n = len(timings.list_queries[-10:])
        print(
            f"  one list RPC alone (rows undecoded): {ms(listed.total_s / n)} for "
            f"{listed.listed_cases / n:.0f} cases; through the SDK's list_workflows "
            f"(every attribute decoded) {ms(decoded / n)}"
        )


def cursor_after(page: list[InboxItem]) -> Cursor:
    return Cursor(page[-1].task.due_at, page[-1].task.id)


def check_page(
    name: str, items: list[InboxItem], cases: int, *, after: InboxItem | None = None
) -> None:
    """Full, for coordinators only, and in (due_at, task id) order, after the last page."""
    if len(items) != min(INBOX_LIMIT, cases):
        raise BenchFailure(f"{name} has {len(items)} items, not {INBOX_LIMIT}")
    keys = [(i.task.due_at or datetime.max.replace(tzinfo=UTC), i.task.id) for i in items]
    if any(i.task.due_at is None for i in items):
        raise BenchFailure(f"{name} has a task without due_at (screening tasks have one)")
    if keys != sorted(keys):
        raise BenchFailure(f"{name} is not sorted by task.due_at: {[str(k[0]) for k in keys]}")
    previous = (after.task.due_at, after.task.id) if after and after.task.due_at else None
    if previous is not None and keys[0] <= previous:
        raise BenchFailure(f"{name} does not start after the previous page's last task")
    if any(Role.COORDINATOR not in i.task.roles for i in items):
        raise BenchFailure(f"{name} lists a task that is not for coordinators")
    print(
        f"{name}: {len(items)} tasks, due {items[0].task.due_at:%Y-%m-%d %H:%M:%S.%f} .. "
        f"{items[-1].task.due_at:%Y-%m-%d %H:%M:%S.%f}, sorted"
    )
