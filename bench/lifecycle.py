"""Bench: happy-path DiversionCases per second, against a baseline of the same shape.

On one time-skipping test server and one worker (same settings, same AES-GCM data
converter) it runs, in rotating rounds, N `BaselineCase`s (bench/baseline_workflow.py)
and N real `DiversionCase`s through the whole happy path with three obligations, at most
`--concurrency` at a time, and compares the best throughput of each.

The baseline mirrors the counts of a real case's history (activities, timers, updates,
child workflows and the signals between case and children), measured first from one real
case, so the ratio is the cost of the case's own logic, state and payloads.

Real cases run two ways, each in rounds of its own:

    ours+pdf       each report's PDF rendered with WeasyPrint as the service files it, in
                   the worker's rendering process (rendering/pdf_processes.py, started
                   before the rounds as `diversion worker` starts it):
                   `bench lifecycle: ratio`, the figure held to the target
    ours           each court report's PDF is a stand-in (one PDF rendered before the
                   rounds, filed for every report): `bench lifecycle_without_pdf: ratio`

Why two: the baseline's activities do nothing, and a real case's activities are the real
ones. Most of them cost little, but rendering a report's PDF/A is a tenth of a second of
CPU or more, three times per case: with it, the ratio measures mostly WeasyPrint (0.47
where the same run without it gave 0.96, rendering in a thread of the worker; 0.64 and
0.98 in a rendering process of its own), which no change to the case's logic, state or
payloads could move, and which the baseline skips. The target stays on the figure
with every PDF rendered, as the service files them; the other shows what the rest costs.
Everything else a filing does stays in `ours` (the filing request's payload, the court
format's envelope with a PDF in it, the drop-folder write, the receipt); only the PDF's
rendering is left to bench/reports.py, which times it against WeasyPrint alone. Both
figures are printed from the same run, against the same baseline.

Each round also prints the CPU it spent, this process's (driver and worker) and its
children's (the test server, the rendering process), read from /proc
(lifecycle_parts/cpu_use.py), and at the end the ratio each contender's CPU per case
allows at most with every core of this machine busy: where the measured ratio is close
to that bound, the machine's cores held it back, not waiting.

All cases share the test server's one clock. A case moves it only through `SharedClock`,
which skips time only while every running case is waiting for the clock, so a skip never
lands in the middle of another case's update. Each round drives its cases in two phases
(to the agreement, then to closure) because of a test-server bug: see
lifecycle_parts/rounds.py.

    .venv/bin/python bench/lifecycle.py [--cases 20] [--concurrency 10] [--rounds 3]

The bench and its parts live in bench/lifecycle_parts/, a package beside this script
(not more bench/*.py files, which `make bench` would run one by one as scripts).
"""

import argparse
import asyncio
import base64
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.workflows.* are not an installed package

import baseline_workflow as baseline
from lifecycle_parts.baseline_case import baseline_begin, baseline_finish
from lifecycle_parts.cpu_use import RoundCpu, cores
from lifecycle_parts.harness import OBLIGATIONS, TASK_QUEUE, Bench, bench_jurisdiction
from lifecycle_parts.plan import measure_plan
from lifecycle_parts.real_case import real_begin, real_finish
from lifecycle_parts.rounds import drive_round
from lifecycle_parts.server_output import children_write_to
from shared_clock import CallLog, SharedClock
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

import workflows
from activities.adapter_directory import AdapterDirectory
from activities.case_activities import CaseActivities
from activities.filing_activities import FilingActivities
from activities.notification_activities import NotificationActivities
from diversion.codec import data_converter, generate_key, parse_keys
from diversion.search_attribute_registration import register_search_attributes
from diversion.worker import workflow_runner
from domain.enums import ReportKind
from rendering import pdf_processes
from rendering.pdf import render_pdf_afresh
from tests.rendering.samples import sample_report

TARGET_RATIO = 0.9
CONTENDERS = ["baseline", "ours", "ours+pdf"]
BENCH_CONTACT_KEY = b"bench-contact-key-0123456789abcdef"
TEST_SERVER = ROOT / ".venv" / "bin" / "temporal-test-server"


async def run(cases: int, concurrency: int, rounds: int) -> tuple[float, float]:
    keys = parse_keys(f"bench:{base64.b64encode(generate_key()).decode()}")
    server_log = Path(tempfile.gettempdir()) / f"bench-lifecycle-test-server-{os.getpid()}.log"
    print(f"the test server's own output: {server_log}")
    with children_write_to(server_log):
        environment = await WorkflowEnvironment.start_time_skipping(
            data_converter=data_converter(keys), test_server_existing_path=str(TEST_SERVER)
        )
    async with environment as env:
        await register_search_attributes(env.client)
        log = CallLog()
        config = env.client.config()
        config["interceptors"] = [*config["interceptors"], log]
        client = Client(**config)
        with tempfile.TemporaryDirectory(prefix="bench-lifecycle-") as tmp:
            court_root, outbox = Path(tmp) / "court", Path(tmp) / "outbox"
            jurisdiction = bench_jurisdiction(court_root)
            clock = SharedClock(env)
            bench = Bench(env, client, log, clock, jurisdiction, court_root, outbox)
            adapters = AdapterDirectory({"demo": jurisdiction}, outbox_dir=outbox)
            worker = Worker(
                client,
                task_queue=TASK_QUEUE,
                workflows=[*workflows.WORKFLOWS, *baseline.WORKFLOWS],
                activities=[
                    *CaseActivities(adapters).all(),
                    *FilingActivities(adapters).all(),
                    *NotificationActivities(adapters, BENCH_CONTACT_KEY).all(),
                    *baseline.ACTIVITIES,
                ],
                # The worker's own sandbox; the baseline's module passed through as ours are.
                workflow_runner=workflow_runner(also=[baseline.__name__]),
            )
            court = adapters.court("demo")
            stand_in = stand_in_pdf()
            # Results are awaited without unlocking time: only SharedClock moves it.
            with env.auto_time_skipping_disabled():
                async with worker:
                    pdf_processes.shared().warm_up()
                    await measure_plan(bench)
                    best: dict[str, RoundCpu] = {}
                    for r in range(1, rounds + 1):
                        # Rotated: the server slows as it fills, so none always goes last.
                        shift = (r - 1) % len(CONTENDERS)
                        for name in CONTENDERS[shift:] + CONTENDERS[:shift]:
                            court.render_pdf = (lambda _: stand_in) if name == "ours" else None
                            if name == "baseline":
                                spent, healed = await drive_round(
                                    bench, baseline_begin, baseline_finish, cases, concurrency
                                )
                            else:
                                spent, healed = await drive_round(
                                    bench, real_begin, real_finish, cases, concurrency
                                )
                            if name not in best or spent.wall_s < best[name].wall_s:
                                best[name] = spent
                            print(
                                f"round {r} {name:<8} {cases} cases in {spent.wall_s:6.2f} s "
                                f"= {cases / spent.wall_s:6.2f} cases/s; CPU {spent.cpu_s:5.1f} s"
                                f" ({spent.cores_busy:.2f} cores busy, "
                                f"{spent.cpu_ms_per_case:.0f} ms a case; "
                                f"test server: {healed} leaked locks healed)"
                            )
    rates = {name: best[name].cases / best[name].wall_s for name in CONTENDERS}
    for name in CONTENDERS:
        print(f"best {name + ' throughput:':<22} {rates[name]:.2f} cases/s")
    print_cpu_bound(best, rates["baseline"])
    return rates["ours"] / rates["baseline"], rates["ours+pdf"] / rates["baseline"]


def print_cpu_bound(best: dict[str, RoundCpu], baseline_rate: float) -> None:
    """The ratio each contender's CPU per case allows at most on this machine's cores:
    above the measured ratio, time went to waiting; at it, the cores were the limit."""
    n = cores()
    for name in CONTENDERS[1:]:
        most = best[name].most_cases_per_s(n)
        print(
            f"{name:<8} at {best[name].cpu_ms_per_case:.0f} ms of CPU a case, {n} cores "
            f"fully busy allow at most {most:.2f} cases/s: a ratio of at most "
            f"{most / baseline_rate:.2f}"
        )


def stand_in_pdf() -> bytes:
    """A real report's PDF, rendered once, filed for every report in the `ours` rounds."""
    report = sample_report(ReportKind.AGREEMENT_REACHED)
    return render_pdf_afresh(report)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20, help="cases per round (default 20)")
    parser.add_argument("--concurrency", type=int, default=10, help="cases at a time")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each (default 3)")
    args = parser.parse_args()
    print(
        f"lifecycle bench: {args.cases} happy-path cases ({OBLIGATIONS} obligations each), "
        f"concurrency {args.concurrency}, {args.rounds} rounds of each, rotating; best of each"
    )
    print(
        f"target: ratio (ours+pdf / baseline throughput) >= {TARGET_RATIO:.2f}; "
        "lifecycle_without_pdf (report PDFs a stand-in) printed beside it"
    )
    without_pdf, ratio = asyncio.run(run(args.cases, args.concurrency, args.rounds))
    print(f"bench lifecycle: ratio {ratio:.2f}")
    print(f"bench lifecycle_without_pdf: ratio {without_pdf:.2f}")


if __name__ == "__main__":
    main()
