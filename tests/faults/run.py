"""A fault run: the stack started, cases referred by racing clerks and walked by staff
through the API while the chaos plan runs, then the ledger checked. Bounded: every case
must close within `duration` seconds, or it is counted stuck."""

import asyncio
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from domain.enums import Role
from tests.faults.api_client import ApiPool
from tests.faults.chaos import ChaosPlan, run_chaos
from tests.faults.court_clerk import docket_and_call_back
from tests.faults.jurisdictions import ECF_COURT, REST_COURT, EcfRoute
from tests.faults.ledger import Tally, check
from tests.faults.paths import PlannedCase, Walk
from tests.faults.stack import Stack
from tests.faults.staff import CaseRecord, drive

RACE_EVERY = 3  # every third referral is posted by three clerks at the same moment


@dataclass
class RunConfig:
    seed: int
    cases: int
    duration: float  # seconds for every case to close, from the first referral
    chaos: ChaosPlan
    refer_within: float = 20.0  # referrals arrive spread over this many seconds
    workers: int = 2
    apis: int = 2
    ecf_route: EcfRoute = "callbacks"  # how the ECF court's answers reach the cases


@dataclass
class RunResult:
    tally: Tally
    line: str
    chaos_log: list[str]
    referral_statuses: dict[int, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.tally.ok


def plan_cases(seed: int, count: int) -> list[PlannedCase]:
    """Every walk in turn (shuffled by the seed), both courts in turn."""
    rng = random.Random(seed)
    walks = [list(Walk)[n % len(Walk)] for n in range(count)]
    rng.shuffle(walks)
    return [
        PlannedCase(
            number=n,
            walk=walk,
            jurisdiction=(REST_COURT, ECF_COURT)[n % 2],
            case_number=f"FLT-{seed}-{n:04d}",
            racing_clerks=3 if n % RACE_EVERY == 0 else 1,
        )
        for n, walk in enumerate(walks)
    ]


async def refer(api: ApiPool, record: CaseRecord, statuses: dict[int, int]) -> None:
    """The case's clerks post its referral at the same moment, each through the pool."""
    case = record.planned
    body = case.referral()
    answers = await asyncio.gather(
        *(
            api.call(
                "POST",
                "/v1/referrals",
                role=Role.CLERK,
                jurisdiction=case.jurisdiction,
                subject=f"faults-clerk-{k}",
                json=body,
            )
            for k in range(case.racing_clerks)
        )
    )
    for answer in answers:
        assert answer is not None
        statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
        if answer.status_code not in (200, 201):
            record.refusals.append(f"referral: {answer.status_code} {answer.text[:300]}")
        else:
            found = answer.json()["case"]["case_id"]
            if found != case.case_id:
                raise AssertionError(f"{case.case_number}: answered {found}, not {case.case_id}")


def slowest(records: list[CaseRecord], count: int = 3) -> list[str]:
    """The cases that took longest from referral to closing, to say where time went."""
    timed = [
        (r.closed_at - r.referred_at, r)
        for r in records
        if r.closed_at is not None and r.referred_at is not None
    ]
    timed.sort(key=lambda pair: pair[0], reverse=True)
    return [f"{r.planned.case_id} ({r.planned.walk}) {s:.0f} s" for s, r in timed[:count]]


async def run_faults(config: RunConfig, data: Path) -> RunResult:
    rng = random.Random(config.seed)
    stack = Stack(data, workers=config.workers, apis=config.apis, ecf_route=config.ecf_route)
    try:
        await stack.start()
        assert stack.client is not None
        cases = plan_cases(config.seed, config.cases)
        records = [CaseRecord(case) for case in cases]
        statuses: dict[int, int] = {}
        async with httpx.AsyncClient(timeout=30.0) as http:
            api = ApiPool(stack.api_urls, stack.settings, http)
            loop = asyncio.get_running_loop()
            deadline = loop.time() + config.duration
            done = asyncio.Event()
            chaos = asyncio.create_task(run_chaos(stack, config.chaos, rng, done))
            calls_back = config.ecf_route == "callbacks"
            clerk = asyncio.create_task(
                docket_and_call_back(stack.court, api, done, call_back=calls_back)
            )
            arrivals = sorted(rng.uniform(0, config.refer_within) for _ in cases)

            async def one(record: CaseRecord, arrival: float) -> None:
                await asyncio.sleep(arrival)  # when the court refers it: load shape, not a wait
                await refer(api, record, statuses)
                await drive(api, record, deadline)

            try:
                await asyncio.gather(*(one(r, a) for r, a in zip(records, arrivals, strict=True)))
            finally:
                done.set()
                await chaos
                await clerk
            if not stack.court.is_up:
                stack.court_up()
            stack.court.clear_faults()
            tally = await check(records, api, stack.client, stack.court)
            line = tally.line(stack.counts, api.counts)
            print(
                f"  api: {api.counts.requests} requests, {api.counts.http_5xx} answered 5xx, "
                f"{api.counts.callback_faults} callbacks answered with a SOAP fault, "
                f"{api.counts.unreachable} unreachable; referrals answered {statuses}; "
                f"court: {stack.court.counts.requests} requests, "
                f"{stack.court.received_twice()} received twice, "
                f"faults {dict(stack.court.counts.faults)}, "
                f"{stack.counts.api_restarts} API restarts",
                file=sys.stderr,
                flush=True,
            )
            for record in slowest(records):
                print(f"  slowest: {record}", file=sys.stderr, flush=True)
            return RunResult(tally, line, config.chaos.log, statuses)
    finally:
        await stack.close()
