from domain.case import CaseState
from domain.enums import DispositionKind, Outcome, ReportKind, Stage, TaskKind
from domain.task_payloads import VerifyEvidence
from domain.tasks import Task
from tests.workflows.harness import Harness
from tests.workflows.steps import through_conference
from workflows.case import DiversionCase
from workflows.messages import Disposition


async def test_long_monitoring_continues_as_new_with_its_open_tasks(harness: Harness) -> None:
    case = await harness.start(history_limit=100)
    await through_conference(case, count=3)
    first_run = (await case.handle.describe()).run_id

    def verify_tasks(view: CaseState) -> list[Task]:
        return [t for t in view.open_tasks() if t.kind is TaskKind.VERIFY_EVIDENCE]

    # Children may report their first due date just before or just after the switch.
    renewed: CaseState = await case.until(
        "a continue-as-new with every obligation's task open",
        lambda v: v if v.continued_as_new >= 1 and len(verify_tasks(v)) == 3 else None,
    )
    assert (await case.handle.describe()).run_id != first_run
    assert renewed.stage is Stage.MONITORING
    assert renewed.referral == case.referral
    assert [r.kind for r in renewed.reports] == [
        ReportKind.SCREENING_OUTCOME,
        ReportKind.AGREEMENT_REACHED,
    ]
    # The first run's last state, read back from its closed history.
    before = await harness.env.client.get_workflow_handle_for(
        DiversionCase.run, case.handle.id, run_id=first_run
    ).query(DiversionCase.view)
    verify = verify_tasks(renewed)
    assert all(t in verify for t in before.open_tasks()), "open tasks travel with the case"
    assert renewed.tasks[: len(before.tasks)] == before.tasks, "and so does every done task"

    for task in verify:
        await case.complete(VerifyEvidence(evidence_seen=True), task.id)
    await case.filed(ReportKind.FINAL)
    await case.handle.execute_update(
        DiversionCase.record_disposition,
        Disposition(kind=DispositionKind.COMPLETED, decided_on=await case.now()),
    )
    assert await case.outcome() is Outcome.COMPLETED
    assert [r.sequence for r in (await case.view()).reports] == [1, 2, 3]
