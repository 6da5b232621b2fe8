"""Phase 1: referrals through `POST /v1/referrals` against direct `start_case` calls.

The referrals go out through one httpx client per request in flight, each keeping its one
connection open, not through the bench's shared client: httpcore's pool looks at every
connection it holds for every request it queues or finishes (a readability poll on each
idle one), which at 16 in flight cost this process 1.6 ms of CPU a request against a
server in another process, and 0.6 ms so. The client runs in the process the ratio
charges, so the pool's scans were counted as the API's price. Still httpx, still HTTP/1.1
over a real socket to uvicorn, with the same requests and answers.
"""

import contextlib
import json
import statistics
import time
from collections.abc import AsyncIterator

import httpx

from domain.enums import Role
from tests.jurisdictions import OTHER

from .harness import INGEST_CONCURRENCY, Bench, BenchFailure
from .timing import bounded

WARMUP = 16


@contextlib.asynccontextmanager
async def lanes(bench: Bench) -> AsyncIterator[list[httpx.AsyncClient]]:
    """`INGEST_CONCURRENCY` clients of the API, one connection each (see above)."""
    async with contextlib.AsyncExitStack() as stack:
        yield [
            await stack.enter_async_context(
                httpx.AsyncClient(
                    base_url=bench.http.base_url,
                    timeout=bench.http.timeout,
                    limits=httpx.Limits(max_connections=1),
                )
            )
            for _ in range(INGEST_CONCURRENCY)
        ]


async def ingest_http(bench: Bench, count: int, clients: list[httpx.AsyncClient]) -> float:
    headers = bench.auth(Role.CLERK, OTHER) | {"Content-Type": "application/json"}
    bodies = [json.dumps(bench.referral_data(OTHER)).encode() for _ in range(count)]
    idle = list(clients)  # never empty: `bounded` lets no more requests out than clients

    async def one(n: int) -> None:
        client = idle.pop()
        try:
            response = await client.post("/v1/referrals", content=bodies[n], headers=headers)
        finally:
            idle.append(client)
        if response.status_code != 201:
            raise BenchFailure(f"POST /v1/referrals: {response.status_code} {response.text}")

    seconds = await bounded(count, len(clients), one)
    bench.open_in[OTHER] = bench.open_in.get(OTHER, 0) + count
    return seconds


async def ingest_direct(bench: Bench, count: int) -> float:
    referrals = [bench.referral(OTHER) for _ in range(count)]

    async def one(n: int) -> None:
        await bench.start(referrals[n])

    return await bounded(count, INGEST_CONCURRENCY, one)


async def ingest(bench: Bench, total: int, rounds: int) -> float:
    async with lanes(bench) as clients:
        return await _ingest(bench, total, rounds, clients)


async def _ingest(bench: Bench, total: int, rounds: int, clients: list[httpx.AsyncClient]) -> float:
    count = max(1, total // rounds)
    print(
        f"\n[1] ingest: {count * rounds} referrals each way, in {rounds} rounds of one batch "
        f"of {count} each way (alternating which goes first), {INGEST_CONCURRENCY} in flight",
        flush=True,
    )
    await ingest_direct(bench, WARMUP)
    await ingest_http(bench, WARMUP, clients)
    await bench.drain(OTHER)
    rates: dict[str, list[float]] = {"direct": [], "http": []}
    settled: dict[str, list[float]] = {"direct": [], "http": []}
    cpu: dict[str, list[float]] = {"direct": [], "http": []}
    for r in range(1, rounds + 1):
        order = ["direct", "http"] if r % 2 else ["http", "direct"]
        for name in order:
            cpu_before = time.process_time()
            if name == "direct":
                seconds = await ingest_direct(bench, count)
            else:
                seconds = await ingest_http(bench, count, clients)
            cpu[name].append((time.process_time() - cpu_before) / count)
            drained = await bench.drain(OTHER)
            rates[name].append(count / seconds)
            settled[name].append(count / (seconds + drained))
            print(
                f"  round {r} {name:<6} {count} referrals in {seconds:6.2f} s "
                f"= {count / seconds:6.1f} referrals/s; every task open {drained:4.1f} s later "
                f"({count / (seconds + drained):5.1f} cases/s to an open task)",
                flush=True,
            )
    direct, http = statistics.median(rates["direct"]), statistics.median(rates["http"])
    print(f"ingest direct (start_case): median {direct:6.1f} referrals/s")
    print(f"ingest http (POST /v1/referrals): median {http:6.1f} referrals/s")
    direct_open = statistics.median(settled["direct"])
    http_open = statistics.median(settled["http"])
    print(
        f"to an open screening task (the worker's work included): direct {direct_open:5.1f}/s,"
        f" http {http_open:5.1f}/s, ratio {http_open / direct_open:.2f}"
    )
    # CPU of this process (client, app, and the Temporal client's threads; not the worker's)
    # per referral: what the API adds, much less moved by other work on the machine.
    print(
        f"CPU per referral in this process: direct {1000 * statistics.median(cpu['direct']):.2f}"
        f" ms, http {1000 * statistics.median(cpu['http']):.2f} ms (medians over rounds)"
    )
    ratio = http / direct
    print(f"bench api_ingest: ratio {ratio:.2f}", flush=True)
    return ratio
