"""A report waiting on staff is never dropped and never ends a case (DESIGN §2 rule 7):
the stage's ladder holds while it waits, its `resolve_filing` task is reminded and then
escalated to the coordinator week after week, and it keeps its sequence. A refile after
the court refused it is the report's next version, under its own key; a plain retry
after the court was down keeps the key."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
import respx
from temporalio.api.enums.v1 import EventType

from domain.enums import DispositionKind, Outcome, ReportKind, Role, Stage, TaskKind
from domain.task_payloads import RecordDisposition, ResolveFiling
from tests.workflows.fake_court import Answer, FakeCourt
from tests.workflows.harness import Case, Harness
from tests.workflows.steps import (
    VICTIM_STATEMENT,
    through_conference,
    through_screening,
    verify_all,
    victim_consent,
)
from tests.workflows.test_court_rejection import over_rest
from workflows.case import DiversionCase
from workflows.messages import Disposition

# Down for the whole of the policy's patience (set to one hour where used), then back.
DOWN: list[Answer] = ["down"] * 50
PAST_PATIENCE = timedelta(hours=1, minutes=5)


@pytest.fixture
def court(harness: Harness) -> Iterator[FakeCourt]:
    over_rest(harness)
    with respx.mock(assert_all_called=True) as router:
        yield FakeCourt(router)


def to_coordinator(case: Case, subject: str) -> list[float]:
    """When each notification with `subject` went to the coordinator, in days after the
    first of them."""
    sent = [n for n in case.notifications() if n.subject == subject]
    assert all(n.to_role is Role.COORDINATOR for n in sent)
    return [round((n.created_at - sent[0].created_at).total_seconds() / 86400, 2) for n in sent]


async def no_failed_workflow_task(case: Case) -> None:
    async for event in case.handle.fetch_history_events():
        assert event.event_type != EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, event


async def test_an_agreement_report_refused_and_resolved_three_days_later_goes_on_to_monitoring(
    harness: Harness, court: FakeCourt
) -> None:
    court.plan(ReportKind.AGREEMENT_REACHED, "refuse")
    case = await harness.start()
    await through_conference(case, count=2)
    resolve = await case.task(TaskKind.RESOLVE_FILING)
    assert resolve.urgent and "could not be filed" in resolve.subject

    # Three days: past the conference stage's deadline (the conference + 1 day), which
    # ended such a case as not proceeded while its report waited.
    await case.advance(timedelta(days=3))
    view = await case.view()
    assert view.outcome is None and view.stop is None
    assert view.stage is Stage.CONFERENCE
    await case.complete(ResolveFiling(refile=True), resolve.id)

    await case.reach(Stage.MONITORING)
    await verify_all(case, 2)
    await case.reach(Stage.FINAL_REPORT)
    await case.handle.execute_update(
        DiversionCase.record_disposition,
        Disposition(kind=DispositionKind.COMPLETED, decided_on=await case.now()),
    )
    assert await case.outcome() is Outcome.COMPLETED

    view = await case.view()
    assert [(r.kind, r.sequence, r.version) for r in view.reports] == [
        (ReportKind.SCREENING_OUTCOME, 1, 1),
        (ReportKind.AGREEMENT_REACHED, 2, 2),  # one agreement report on file
        (ReportKind.FINAL, 3, 1),
    ]
    key = case.handle.id + ":report:{}"
    # Refused, then refiled as its next version: a key of its own, each sent once.
    assert court.keys(ReportKind.AGREEMENT_REACHED) == [key.format(2), key.format(2) + ":v2"]
    assert [k for kind, k in court.sent if kind is ReportKind.AGREEMENT_REACHED] == [
        key.format(2),
        key.format(2) + ":v2",
    ]
    assert court.keys(ReportKind.FINAL) == [key.format(3)]
    assert court.one_document_per_key()
    assert ReportKind.NOT_PROCEEDED not in {kind for kind, _ in court.sent}
    assert to_coordinator(case, "Report not filed") == [0]
    assert to_coordinator(case, "Reminder: resolve_filing") == [0]  # one day after it opened
    assert not to_coordinator(case, "Escalation: resolve_filing overdue")  # only a week on
    assert court.never_saw_the_victim(case.referral, VICTIM_STATEMENT)


async def test_a_refused_not_proceeded_report_waits_thirty_days_and_the_case_then_closes(
    harness: Harness, court: FakeCourt
) -> None:
    court.plan(ReportKind.NOT_PROCEEDED, "refuse")
    case = await harness.start()
    await through_screening(case)
    await case.complete(victim_consent(consents=False))
    resolve = await case.task(TaskKind.RESOLVE_FILING)

    # Thirty days: past the engagement stage's deadline (21 days), whose ladder, run in the
    # ending itself, used to escape the workflow and fail its task again and again.
    await case.advance(timedelta(days=30))
    view = await case.view()
    assert view.outcome is None
    assert [t.id for t in view.open_tasks()] == [resolve.id]
    chased = next(t for t in view.tasks if t.id == resolve.id)
    assert chased.reminded and chased.escalations == 4
    assert to_coordinator(case, "Reminder: resolve_filing") == [0]
    assert to_coordinator(case, "Escalation: resolve_filing overdue") == [0, 7, 14, 21]

    await case.complete(ResolveFiling(refile=False, reference="LKDC clerk stamp 3001"))
    assert await case.outcome() is Outcome.NOT_PROCEEDED
    view = await case.view()
    assert [(r.kind, r.sequence, r.court_reference) for r in view.reports] == [
        (ReportKind.SCREENING_OUTCOME, 1, "LKDC-F-0001"),
        (ReportKind.NOT_PROCEEDED, 2, "LKDC clerk stamp 3001"),
    ]
    assert court.keys(ReportKind.NOT_PROCEEDED) == [f"{case.handle.id}:report:2"]
    assert [n.subject for n in case.notifications()][-1] == "Case closed"
    await no_failed_workflow_task(case)


async def test_a_plain_retry_after_the_court_was_down_keeps_its_key(
    harness: Harness, court: FakeCourt
) -> None:
    court.plan(ReportKind.SCREENING_OUTCOME, *DOWN)
    case = await harness.start(filing_patience_hours=1)
    await through_screening(case)
    await case.advance(PAST_PATIENCE)
    resolve = await case.task(TaskKind.RESOLVE_FILING)
    assert "could not be filed" in resolve.subject
    court.plan(ReportKind.SCREENING_OUTCOME)  # back
    await case.complete(ResolveFiling(refile=True), resolve.id)

    await case.filed(ReportKind.SCREENING_OUTCOME)
    await case.complete(victim_consent(consents=False))
    assert await case.outcome() is Outcome.NOT_PROCEEDED
    view = await case.view()
    assert [(r.kind, r.sequence, r.version) for r in view.reports] == [
        (ReportKind.SCREENING_OUTCOME, 1, 1),
        (ReportKind.NOT_PROCEEDED, 2, 1),
    ]
    sent = [key for kind, key in court.sent if kind is ReportKind.SCREENING_OUTCOME]
    assert len(sent) > 2 and set(sent) == {f"{case.handle.id}:report:1"}
    assert court.one_document_per_key()  # the same report, resent as it was


async def test_an_amended_refile_after_an_outage_is_a_new_version(
    harness: Harness, court: FakeCourt
) -> None:
    court.plan(ReportKind.SCREENING_OUTCOME, *DOWN)
    case = await harness.start(filing_patience_hours=1)
    await through_screening(case)
    await case.advance(PAST_PATIENCE)
    resolve = await case.task(TaskKind.RESOLVE_FILING)
    court.plan(ReportKind.SCREENING_OUTCOME)
    await case.complete(ResolveFiling(refile=True, amended=True), resolve.id)

    await case.filed(ReportKind.SCREENING_OUTCOME)
    await case.complete(victim_consent(consents=False))
    assert await case.outcome() is Outcome.NOT_PROCEEDED
    key = f"{case.handle.id}:report:1"
    assert court.keys(ReportKind.SCREENING_OUTCOME) == [key, f"{key}:v2"]
    assert court.keys(ReportKind.NOT_PROCEEDED) == [f"{case.handle.id}:report:2"]
    assert court.one_document_per_key()
    view = await case.view()
    assert [(r.sequence, r.version) for r in view.reports] == [(1, 2), (2, 1)]


async def test_the_stage_does_not_lose_the_time_its_report_waited_on_staff(
    harness: Harness, court: FakeCourt
) -> None:
    court.plan(ReportKind.FINAL, "refuse")
    case = await harness.start()
    await through_conference(case, count=1)
    await verify_all(case, 1)
    resolve = await case.task(TaskKind.RESOLVE_FILING)
    before = (await case.view()).stage_deadline
    assert before is not None
    await case.advance(timedelta(days=10))
    await case.complete(ResolveFiling(refile=False, reference="LKDC clerk stamp 4410"), resolve.id)
    await case.filed(ReportKind.FINAL)
    held = (await case.view()).stage_deadline
    assert held is not None and timedelta(days=10) <= held - before < timedelta(days=10, hours=1)

    # The court's thirty days for its disposition count from the report, not before it.
    await case.advance(timedelta(days=25))
    assert not any(t.kind is TaskKind.RECORD_DISPOSITION for t in (await case.view()).tasks)
    await case.advance(timedelta(days=6))
    chase = await case.task(TaskKind.RECORD_DISPOSITION)
    await case.complete(
        RecordDisposition(disposition=DispositionKind.COMPLETED, decided_on=await case.now()),
        chase.id,
    )
    assert await case.outcome() is Outcome.COMPLETED
    assert [(r.kind, r.sequence, r.court_reference) for r in (await case.view()).reports][-1] == (
        ReportKind.FINAL,
        3,
        "LKDC clerk stamp 4410",
    )
    assert court.keys(ReportKind.FINAL) == [f"{case.handle.id}:report:3"]
