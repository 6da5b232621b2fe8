from domain.case import CaseState
from domain.enums import DispositionKind, Outcome, ReportKind, Stage, TaskKind
from domain.tasks import VerifyEvidence
from tests.workflows.harness import Harness
from tests.workflows.steps import through_conference
from workflows.case import DiversionCase
from workflows.messages import Disposition


async def test_long_monitoring_continues_as_new_with_its_open_tasks(harness: Harness) -> None:
    case = await harness.start(history_limit=100)
    await through_conference(case, count=3)
    first_run = (await case.handle.describe()).run_id

    renewed: CaseState = await case.until(
        "a continue-as-new", lambda v: v if v.continued_as_new >= 1 else None
    )
    assert (await case.handle.describe()).run_id != first_run
    assert renewed.stage is Stage.MONITORING
    assert renewed.referral == case.referral
    assert [r.kind for r in renewed.reports] == [
        ReportKind.SCREENING_OUTCOME,
        ReportKind.AGREEMENT_REACHED,
    ]
    verify = [t for t in renewed.open_tasks() if t.kind is TaskKind.VERIFY_EVIDENCE]
    assert len(verify) == 3, "open tasks travel with the case"

    for task in verify:
        await case.complete(VerifyEvidence(evidence_seen=True), task.id)
    await case.filed(ReportKind.FINAL)
    await case.handle.execute_update(
        DiversionCase.record_disposition,
        Disposition(kind=DispositionKind.COMPLETED, decided_on=await case.now()),
    )
    assert await case.outcome() is Outcome.COMPLETED
    assert [r.sequence for r in (await case.view()).reports] == [1, 2, 3]
