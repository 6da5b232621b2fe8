from datetime import timedelta

from domain.enums import ComplianceLevel, DispositionKind, Outcome, ReportKind, Stage, TaskKind
from domain.task_payloads import RecordDisposition
from tests.workflows.harness import Harness
from tests.workflows.steps import VICTIM_STATEMENT, through_conference, verify_all
from workflows.case import DiversionCase
from workflows.messages import Disposition


async def test_happy_path_reaches_completed_and_files_each_report(harness: Harness) -> None:
    case = await harness.start()
    await through_conference(case, count=3)
    await verify_all(case, 3)
    await case.reach(Stage.FINAL_REPORT)
    await case.handle.execute_update(
        DiversionCase.record_disposition,
        Disposition(kind=DispositionKind.COMPLETED, decided_on=await case.now()),
    )

    assert await case.outcome() is Outcome.COMPLETED
    assert case.filed_kinds() == [
        ReportKind.SCREENING_OUTCOME,
        ReportKind.AGREEMENT_REACHED,
        ReportKind.FINAL,
    ]
    final = case.filings()[-1]
    assert final.compliance is ComplianceLevel.FULL
    assert [row.status.value for row in final.obligations] == ["met", "met", "met"]
    case.assert_court_never_sees_the_victim(VICTIM_STATEMENT)
    view = await case.handle.query(DiversionCase.view)
    assert view.open_tasks() == []
    assert [r.sequence for r in view.reports] == [1, 2, 3]


async def test_disposition_not_received_in_time_becomes_a_staff_task(harness: Harness) -> None:
    case = await harness.start()
    await through_conference(case, count=1)
    await verify_all(case, 1)
    await case.advance(timedelta(days=31))
    chase = await case.task(TaskKind.RECORD_DISPOSITION)
    assert chase.roles == ["coordinator"]
    await case.complete(
        RecordDisposition(disposition=DispositionKind.NONCOMPLIANT, decided_on=await case.now()),
        chase.id,
    )
    assert await case.outcome() is Outcome.NONCOMPLIANT
    subjects = [n.subject for n in case.notifications()]
    assert "Disposition overdue" in subjects
