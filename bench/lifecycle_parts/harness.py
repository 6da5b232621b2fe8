"""What the parts share: the test server, client, clock and court of one bench run, and
the real case's driver that the baseline replays."""

from dataclasses import dataclass, field
from pathlib import Path

import baseline_workflow as baseline
from shared_clock import CallLog, SharedClock, Step
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.policy import DEMO_FILE, Jurisdiction, load_jurisdictions

OBLIGATIONS = 3
TASK_QUEUE = "bench-lifecycle"


@dataclass
class Bench:
    """One bench run's environment; `measure_plan` fills in the plan and the script."""

    env: WorkflowEnvironment
    client: Client
    log: CallLog
    clock: SharedClock
    jurisdiction: Jurisdiction
    court_root: Path
    outbox: Path
    plan: baseline.Plan | None = None
    script: list[Step] = field(default_factory=list)  # a real case's driver, replayed
    split: int = 0  # where the script's second phase begins

    def require_plan(self) -> baseline.Plan:
        if self.plan is None:
            raise RuntimeError("measure_plan() first")
        return self.plan


def bench_jurisdiction(court_root: Path) -> Jurisdiction:
    demo = load_jurisdictions(DEMO_FILE)["demo"]
    court = demo.court.model_copy(update={"settings": {"transport": {"root": str(court_root)}}})
    return demo.model_copy(update={"court": court})
