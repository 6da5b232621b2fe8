"""`make faults`, small: five cases, one of each walk, through two API processes and two
workers, while a worker is killed with SIGKILL, the Temporal server is killed and started
again on its database, and the court is down for a while. Nothing may be lost, stuck or
duplicated, and the court must hold each walk's reports exactly once."""

import re
from pathlib import Path

from tests.faults.chaos import ChaosPlan, Event
from tests.faults.paths import Walk
from tests.faults.run import RunConfig, plan_cases, run_faults

LINE = re.compile(
    r"faults: cases 5 closed 5 lost 0 stuck 0 duplicate_cases 0 duplicate_filings 0 "
    r"reports_missing 0 worker_kills 1 server_restarts 1 court_outages 1 http_5xx \d+ "
    r"callback_faults \d+"
)


def test_five_cases_walk_each_path_once() -> None:
    assert sorted(c.walk for c in plan_cases(5, 5)) == sorted(Walk)


async def test_nothing_is_lost_stuck_or_duplicated_under_faults(tmp_path: Path) -> None:
    plan = ChaosPlan(
        first=[Event.KILL_WORKER, Event.RESTART_SERVER, Event.COURT_OUTAGE],
        gap_seconds=(3.0, 5.0),  # all three while the cases are under way
        outage_seconds=(4.0, 6.0),
    )
    config = RunConfig(seed=5, cases=5, duration=150.0, chaos=plan, refer_within=2.0)

    result = await run_faults(config, tmp_path)

    assert result.tally.problems == []
    assert len(plan.log) == 3, plan.log  # every fault happened before the cases closed
    assert LINE.fullmatch(result.line), result.line
    assert result.referral_statuses.get(201) == 5  # racing clerks: one case each, found again
