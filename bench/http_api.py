"""Bench: what the HTTP API costs on top of Temporal, and the inbox with 5,000 open cases.

One Temporal dev server (diversion.dev_server, in a temporary data dir on a free port; on
tmpfs when there is one), one worker in its own process as deployed (`diversion worker`;
`--worker inline` builds it in this process instead, where it competes with the API for the
interpreter lock), and the real app (api.app.create_app, its lifespan run here) served by
uvicorn over a socket on a free port, in this process and event loop; httpx drives the app
as a client would (h11 alone for the ingest phase's referrals).

1. Ingest: `POST /v1/referrals` (a clerk's token) against `diversion.cases.start_case`, the
   call the route itself ends in, so the ratio of throughputs is the price of HTTP, JSON
   validation, token checks and the route's own extra reads (the client's share included:
   it runs in this process too, speaking HTTP/1.1 with h11 rather than through httpx:
   http_api_parts/ingest.py says why). `--referrals` each way, split into `--rounds`
   batches, 16 requests in flight; rounds alternate which path goes first (direct, http /
   http, direct / ...), and before each batch the worker finishes the cases the last one
   started (visibility counts their screening tasks open), so no batch pays for another's
   backlog. The worker still works during a batch, more of it during a slower one; hence also the
   rate up to every task open, which charges both paths for the whole worker's work.
   Ratio of the medians over rounds. Beside it, the CPU time of this process per referral
   each way (client, app and Temporal client; the worker runs apart): on a machine shared
   with other work the rates move with the load, the CPU a referral costs much less.
2. Task completion: screening tasks completed one at a time, alternately through
   `POST /v1/tasks/{id}/complete` (a coordinator's token, over one h11 connection as in
   the ingest phase) and through the `complete_task` update that route sends, the
   baseline. Latency, not throughput; after each completion the case settles (its victim
   consent task opens) before the next one is timed. The p99 of 100 samples each way is
   their second slowest (nearest rank): with 30, as before, it was their slowest, and one
   pause decided it. The p50s and the CPU per completion (this process) are printed
   beside it.
3. Inbox: `--cases` cases started directly into one jurisdiction (the ingest and task
   cases go to another, so this inbox holds exactly these); once visibility counts them all
   with an open coordinator task, `GET /v1/tasks?limit=25` as a coordinator, timed (after
   one untimed request), and a deeper page (the cursor followed twice). No baseline: the
   target is absolute. The pages are then read in-process with count calls, list calls and
   memo decoding timed apart, to show where an inbox page spends its time.

   The cases start directly with the client (`--in-flight` at once), with
   `--fill-workers` extra worker processes while they run to their screening task.
   With `--data-dir` the database is kept, and a later run over it only tops up.

    .venv/bin/python bench/http_api.py [--referrals 300] [--rounds 3] [--tasks 200] [--cases 5000]
        [--worker process|inline] [--in-flight 200] [--fill-workers 0] [--data-dir DIR]

The file is not `bench/api.py`: bench/ is no package, so mypy would take that file for the
`api` package (a duplicate module), and run as a script it would shadow that package.
The phases and their helpers live in bench/http_api_parts/, a package beside this script
(not more bench/*.py files, which `make bench` would run one by one as scripts).
"""

import argparse
import asyncio
import contextlib
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.jurisdictions is not an installed package

import httpx
import uvicorn
from http_api_parts.fill import IN_FLIGHT
from http_api_parts.harness import Bench, BenchFailure
from http_api_parts.inbox import INBOX_LIMIT, TARGET_INBOX_MS, inbox
from http_api_parts.ingest import ingest
from http_api_parts.tasks import task_latency
from http_api_parts.worker import worker_for

from api.app import create_app
from diversion.dev_server import dev_server, free_port, scratch_dir
from diversion.settings import Settings
from diversion.temporal_client import connect
from tests.jurisdictions import two_jurisdictions_file

TARGET_INGEST = 0.85
TARGET_TASK = 0.7


@contextlib.contextmanager
def data_dir(kept: Path | None) -> Iterator[Path]:
    """`--data-dir` (kept, so a later run measures the same cases again without filling),
    else a temporary directory, on tmpfs when there is one, removed afterwards."""
    if kept is not None:
        kept.mkdir(parents=True, exist_ok=True)
        yield kept
        return
    with tempfile.TemporaryDirectory(prefix="bench-api-", dir=scratch_dir()) as tmp:
        yield Path(tmp)


async def run(args: argparse.Namespace) -> None:
    with data_dir(args.data_dir) as data:
        settings = Settings(
            data_dir=data,
            temporal_address=f"127.0.0.1:{free_port()}",
            jurisdictions_file=two_jurisdictions_file(data),
        )
        async with dev_server(settings, headless=True) as address:
            client = await connect(settings)
            async with worker_for(client, settings, args.worker):
                app = create_app(settings, client=client)
                async with app.router.lifespan_context(app):
                    port = free_port()
                    # lifespan "off": the lifespan already runs here, around the server.
                    config = uvicorn.Config(
                        app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
                    )
                    server = uvicorn.Server(config)
                    serving = asyncio.create_task(server.serve())
                    while not server.started:
                        if serving.done():
                            serving.result()
                            raise BenchFailure("uvicorn stopped while starting")
                        await asyncio.sleep(0.01)
                    print(f"dev server at {address}; API at http://127.0.0.1:{port}", flush=True)
                    try:
                        async with httpx.AsyncClient(
                            base_url=f"http://127.0.0.1:{port}", timeout=120.0
                        ) as http:
                            bench = Bench(settings, client, http)
                            if args.referrals:
                                await ingest(bench, args.referrals, args.rounds)
                            if args.tasks:
                                await task_latency(bench, args.tasks)
                            if args.cases:
                                await inbox(
                                    bench,
                                    args.cases,
                                    in_flight=args.in_flight,
                                    workers=args.fill_workers,
                                    minutes=args.fill_minutes,
                                )
                    finally:
                        server.should_exit = True
                        await serving


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--referrals", type=int, default=300, help="referrals each way (default 300)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="ingest rounds: the referrals are split into this many batches each way (default 3)",
    )
    parser.add_argument(
        "--tasks",
        type=int,
        default=200,
        help="screening tasks completed, half each way (default 200: the p99 of 100)",
    )
    parser.add_argument(
        "--cases", type=int, default=5000, help="open cases in the inbox (default 5000)"
    )
    parser.add_argument(
        "--in-flight",
        type=int,
        default=IN_FLIGHT,
        help=f"inbox fill: case starts in flight at once (default {IN_FLIGHT})",
    )
    parser.add_argument(
        "--fill-workers",
        type=int,
        default=0,
        help="inbox fill: extra worker processes while the cases open (default 0)",
    )
    parser.add_argument(
        "--fill-minutes",
        type=float,
        default=None,
        help="inbox fill: start no new batch after this many minutes; measure what is open",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=(
            "keep the dev server's database here (on tmpfs, e.g. /dev/shm/...; delete it "
            "after): a later run over it only tops the inbox up to --cases"
        ),
    )
    parser.add_argument(
        "--worker",
        choices=("process", "inline"),
        default="process",
        help="the worker in its own process as deployed (default), or in the bench's",
    )
    args = parser.parse_args()
    if 0 < args.cases < 3 * INBOX_LIMIT:
        parser.error(f"--cases: 0 (skip the inbox) or at least {3 * INBOX_LIMIT} (three pages)")
    if args.in_flight < 1 or args.fill_workers < 0:
        parser.error("--in-flight: at least 1; --fill-workers: 0 or more")
    if args.rounds < 1 or args.tasks == 1 or 0 < args.referrals < args.rounds:
        parser.error(
            "--rounds: at least 1; --tasks: 0 or at least 2; --referrals: 0 or >= --rounds"
        )
    print(
        f"api bench: ingest {args.referrals} referrals each way in {args.rounds} rounds, "
        f"{args.tasks} task completions, inbox over {args.cases} open cases, "
        f"worker {args.worker}"
    )
    print(
        f"targets: api_ingest ratio (http/direct throughput) >= {TARGET_INGEST}, "
        f"api_task ratio (direct p99 / http p99) >= {TARGET_TASK}, "
        f"api_inbox p95 <= {TARGET_INBOX_MS:.0f} ms"
    )
    started = time.monotonic()
    try:
        asyncio.run(run(args))
    except BenchFailure as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"\nwall time {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
