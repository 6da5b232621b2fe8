"""Phase 1: referrals through `POST /v1/referrals` against direct `start_case` calls.

The referrals go out over keep-alive HTTP/1.1 connections spoken with h11 (lanes.py), not
through httpx. A court's system runs in its own process; here the client runs in the one
whose CPU the ratio charges to the API, so the client's own work counted as the API's
price. Measured against a canned server in another process, at 16 requests in flight, a
request cost this process: httpx's shared client 1.6 ms of CPU (httpcore's pool checks
every connection it holds for every request it queues or finishes, with a readability
poll on each idle one), one httpx client per request in flight 0.6-0.7 ms, h11 over
asyncio's streams 0.13 ms; the app itself costs about 0.3 ms a referral and uvicorn's
parsing 0.1 ms. The server's side is unchanged: the same requests over a real TCP socket
to uvicorn, the same answers, each one's status checked.
"""

import json
import statistics
import time

from domain.enums import Role
from tests.jurisdictions import OTHER

from .harness import INGEST_CONCURRENCY, Bench, BenchFailure
from .lanes import lanes
from .timing import bounded

WARMUP = 16


async def ingest_http(bench: Bench, count: int) -> float:
    headers = list((bench.auth(Role.CLERK, OTHER) | {"Content-Type": "application/json"}).items())
    bodies = [json.dumps(bench.referral_data(OTHER)).encode() for _ in range(count)]
    url = bench.http.base_url
    assert url.host and url.port, "the bench serves the API on a host and port"
    # Connections for this batch only: uvicorn closes one idle for 5 s, and the worker's
    # catching up between batches takes longer than that.
    async with lanes(url.host, url.port) as api:

        async def one(n: int) -> None:
            status, answer = await api.post("/v1/referrals", bodies[n], headers)
            if status != 201:
                raise BenchFailure(f"POST /v1/referrals: {status} {answer.decode()}")

        seconds = await bounded(count, INGEST_CONCURRENCY, one)
    bench.open_in[OTHER] = bench.open_in.get(OTHER, 0) + count
    return seconds


async def ingest_direct(bench: Bench, count: int) -> float:
    referrals = [bench.referral(OTHER) for _ in range(count)]

    async def one(n: int) -> None:
        await bench.start(referrals[n])

    return await bounded(count, INGEST_CONCURRENCY, one)


async def ingest(bench: Bench, total: int, rounds: int) -> float:
    count = max(1, total // rounds)
    print(
        f"\n[1] ingest: {count * rounds} referrals each way, in {rounds} rounds of one batch "
        f"of {count} each way (alternating which goes first), {INGEST_CONCURRENCY} in flight",
        flush=True,
    )
    await ingest_direct(bench, WARMUP)
    await ingest_http(bench, WARMUP)
    await bench.drain(OTHER)
    rates: dict[str, list[float]] = {"direct": [], "http": []}
    settled: dict[str, list[float]] = {"direct": [], "http": []}
    cpu: dict[str, list[float]] = {"direct": [], "http": []}
    for r in range(1, rounds + 1):
        order = ["direct", "http"] if r % 2 else ["http", "direct"]
        for name in order:
            run = ingest_direct if name == "direct" else ingest_http
            cpu_before = time.process_time()
            seconds = await run(bench, count)
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
