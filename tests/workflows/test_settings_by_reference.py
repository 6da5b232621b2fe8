"""Settings by reference (DESIGN §4): a case keeps its jurisdiction's id and policy, and
workers file through the adapters of their current configuration, so a court that moves
its e-filing endpoint reaches the cases already open."""

import uuid
from pathlib import Path

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

import workflows
from domain.enums import Outcome, ReportKind
from tests.workflows.conftest import harness_adapters, harness_jurisdiction, worker_activities
from tests.workflows.harness import Harness
from tests.workflows.steps import through_screening, victim_consent


def filed_in(court_root: Path) -> list[str]:
    return sorted(p.name for p in (court_root / "outbox").glob("*.json"))


async def test_a_court_moved_in_configuration_gets_the_next_filing(
    env: WorkflowEnvironment, tmp_path: Path
) -> None:
    old_root, new_root = tmp_path / "court", tmp_path / "court-moved"
    # The case was started holding the old address in its input, as cases did before
    # settings were by reference: the workers' configuration wins.
    harness = Harness(
        env, f"moved-{uuid.uuid4().hex[:8]}", harness_jurisdiction(tmp_path), old_root, tmp_path
    )

    def worker(court_root: Path) -> Worker:
        adapters = harness_adapters(tmp_path, court_root)
        return Worker(
            env.client,
            task_queue=harness.task_queue,
            workflows=workflows.WORKFLOWS,
            activities=worker_activities(adapters),
            max_cached_workflows=0,  # the next worker replays the case from its history
        )

    async with worker(old_root):
        case = await harness.start()
        await through_screening(case)
        await case.filed(ReportKind.SCREENING_OUTCOME)
    assert len(filed_in(old_root)) == 1

    async with worker(new_root):  # the court moved; the workers restart with it
        await case.complete(victim_consent(consents=False))
        assert await case.outcome() is Outcome.NOT_PROCEEDED
        reports = [r.kind for r in (await case.view()).reports]
        failures = await harness.replay_everything()

    assert len(filed_in(old_root)) == 1, "nothing more went to the old address"
    moved = filed_in(new_root)
    assert len(moved) == 1 and "report_2" in moved[0]
    assert reports == [
        ReportKind.SCREENING_OUTCOME,
        ReportKind.NOT_PROCEEDED,
    ]
    assert not failures, failures
