"""Faults: nothing lost, stuck or duplicated while processes die and the court fails.

Starts the whole service as separate processes (tests/faults/stack.py): the Temporal dev
server on a database file in a temporary directory, two workers (`diversion worker`), two
API processes (`diversion api`) and the fake court (tests/fakes/court.py: REST, and SOAP
for ECF), on two test jurisdictions with short waits (tests/faults/jurisdictions.py).
Clerks refer `--cases` cases through the API, a third of them posted by three clerks at
the same moment; staff, the judge and the advocate walk each through the API to its end
(agreement, the victim's decline, the participant's withdrawal, a missed obligation the
court terminates, a safety event), while the chaos plan (seeded) kills a worker with
SIGKILL, kills and restarts the Temporal server on the same database, takes the court
down for a while, restarts an API process, and switches the court into 5xx, resets, lost
answers, latency and a refusal. Every kind happens at least once; more follow at random
until every case has closed.

Then it checks every case (tests/faults/ledger.py) and prints one line:

    faults: cases <n> closed <n> lost 0 stuck 0 duplicate_cases 0 duplicate_filings 0
        reports_missing 0 worker_kills <k> server_restarts <r> court_outages <o> http_5xx <m>
        callback_faults <c>

(one line; http_5xx counts the API's 5xx answers the driver saw and retried, apart from
callback_faults: the SOAP faults, HTTP 500 by that protocol, answering a court's docketing
callback that came before its case had recorded the filing; the court sends it again). It exits 1
on any case lost (not found), stuck (open after `--duration` seconds), duplicated (a second
case, or a report docketed twice), any report missing (each walk's reports, as the court
holds them), an outcome other than the walk's, or a referral sent again refused.
Progress, the chaos log and what was wrong go to stderr.

    .venv/bin/python bench/faults.py [--seed 1] [--cases 24] [--duration 420] \
        [--ecf-route callbacks|status_query]

The ECF court's clerk dockets each filing and posts the callback (`callbacks`, the
default), or dockets silently and the cases learn it by asking (`status_query`:
GetFilingStatus every few seconds).
"""

import argparse
import asyncio
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests package (tests/faults, tests/fakes) is not installed

from diversion.dev_server import scratch_dir
from tests.faults.chaos import EVERY_KIND, ChaosPlan
from tests.faults.run import RunConfig, run_faults
from tests.faults.stack import StackFailure

EXTRA_EVERY_SECONDS = 25.0  # one random event more per this many seconds of the bound


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="seeds the walks and the chaos")
    parser.add_argument("--cases", type=int, default=24, help="cases referred (default 24)")
    parser.add_argument(
        "--duration",
        type=float,
        default=420.0,
        help="seconds every case has to close once referrals start (default 420)",
    )
    parser.add_argument(
        "--ecf-route",
        choices=["callbacks", "status_query"],
        default="callbacks",
        help="how the ECF court answers: its clerk's callbacks (default), or GetFilingStatus",
    )
    args = parser.parse_args()
    if args.cases < 1 or args.duration < 60:
        parser.error("--cases: at least 1; --duration: at least 60 seconds")
    rng = random.Random(args.seed)
    first = list(EVERY_KIND)
    rng.shuffle(first)
    plan = ChaosPlan(first=first, extra=int(args.duration / EXTRA_EVERY_SECONDS))
    config = RunConfig(
        seed=args.seed,
        cases=args.cases,
        duration=args.duration,
        chaos=plan,
        refer_within=args.duration / 3,  # cases at every stage while the chaos runs
        ecf_route=args.ecf_route,
    )
    print(
        f"faults: seed {args.seed}, {args.cases} cases, every one closed within "
        f"{args.duration:.0f} s; chaos: {', '.join(first)}, then up to {plan.extra} more",
        file=sys.stderr,
        flush=True,
    )
    started = time.monotonic()
    data = Path(tempfile.mkdtemp(prefix="faults-", dir=scratch_dir()))
    try:
        result = asyncio.run(run_faults(config, data))
    except StackFailure as e:
        print(f"error: {e}; the processes' logs are kept in {data}", file=sys.stderr)
        sys.exit(2)
    for problem in result.tally.problems:
        print(f"  {problem}", file=sys.stderr)
    print(f"wall time {time.monotonic() - started:.0f} s", file=sys.stderr)
    if result.ok:
        shutil.rmtree(data, ignore_errors=True)
    else:  # what the processes logged is what explains it
        print(f"the processes' logs and the server's database are kept in {data}", file=sys.stderr)
    print(result.line, flush=True)
    sys.exit(0 if result.ok else 1)


if __name__ == "__main__":
    main()
