"""Safety events jump the queue; the court may direct, terminate or withdraw at any stage."""

from datetime import timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError

from domain.enums import (
    DirectiveKind,
    Outcome,
    ReportKind,
    Role,
    SafetyEventKind,
    Stage,
    TaskKind,
)
from domain.task_payloads import SafetyReview
from tests.workflows.harness import Harness
from tests.workflows.steps import (
    VICTIM_STATEMENT,
    through_conference,
    through_screening,
    victim_consent,
)
from workflows.case import DiversionCase
from workflows.messages import CourtDirective, SafetyEvent

INCIDENT = SafetyEvent(
    kind=SafetyEventKind.NEW_INCIDENT, description="Police attended the victim's home on 3 May."
)


async def test_safety_event_suspends_at_once_and_reports_to_court(harness: Harness) -> None:
    case = await harness.start()
    await through_screening(case)
    await case.handle.execute_update(DiversionCase.report_safety_event, INCIDENT)

    view = await case.view()  # no waiting: suspended within the update itself
    assert view.stage is Stage.SUSPENDED
    review = next(t for t in view.open_tasks() if t.kind is TaskKind.SAFETY_REVIEW)
    assert review.urgent and review.roles == [Role.VICTIM_ADVOCATE]

    await case.filed(ReportKind.SAFETY_EVENT)
    urgent = [n for n in case.notifications() if n.subject == "URGENT: safety event"]
    assert urgent and urgent[0].to_role is Role.VICTIM_ADVOCATE
    assert "Police attended" not in case.court_facing_text()

    consent = await case.task(TaskKind.VICTIM_CONSENT)  # opened, but waits behind the review
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await case.complete(victim_consent(), consent.id)
    assert "suspended" in str(refused.value.cause)

    held = (await case.view()).suspension
    assert held is not None and held.stage is Stage.ENGAGEMENT and held.deadline is not None
    await case.advance(timedelta(days=3))
    await case.complete(SafetyReview(safe_to_resume=True), review.id)
    await case.reach(Stage.ENGAGEMENT)
    resumed = await case.view()
    resumed_at = next(e.at for e in resumed.timeline if e.event == "resumed engagement")
    assert resumed_at - held.at >= timedelta(days=3)
    assert resumed.stage_deadline == held.deadline + (resumed_at - held.at), "suspension pauses"


async def test_safety_review_may_end_the_process(harness: Harness) -> None:
    case = await harness.start()
    await through_conference(case, count=2)
    await case.handle.execute_update(DiversionCase.report_safety_event, INCIDENT)
    review = await case.task(TaskKind.SAFETY_REVIEW)
    await case.complete(SafetyReview(safe_to_resume=False, notes="new threats"), review.id)
    assert await case.outcome() is Outcome.TERMINATED_SAFETY
    view = await case.view()
    assert {o.status.value for o in view.obligations} == {"cancelled"}
    case.assert_court_never_sees_the_victim(VICTIM_STATEMENT, "new threats")


async def test_court_terminates_a_suspended_case(harness: Harness) -> None:
    case = await harness.start()
    await through_screening(case)
    await case.handle.execute_update(DiversionCase.report_safety_event, INCIDENT)
    await case.filed(ReportKind.SAFETY_EVENT)
    await case.handle.execute_update(
        DiversionCase.court_directive, CourtDirective(kind=DirectiveKind.TERMINATE)
    )
    assert await case.outcome() is Outcome.TERMINATED_SAFETY


async def test_court_continue_resumes_a_suspended_case(harness: Harness) -> None:
    case = await harness.start()
    await through_screening(case)
    await case.handle.execute_update(DiversionCase.report_safety_event, INCIDENT)
    await case.filed(ReportKind.SAFETY_EVENT)
    await case.handle.execute_update(
        DiversionCase.court_directive, CourtDirective(kind=DirectiveKind.CONTINUE)
    )
    await case.reach(Stage.ENGAGEMENT)
    view = await case.view()
    review = next(t for t in view.tasks if t.kind is TaskKind.SAFETY_REVIEW)
    assert review.cancelled


async def test_court_withdrawal_closes_without_a_report(harness: Harness) -> None:
    case = await harness.start()
    await through_screening(case)
    await case.task(TaskKind.VICTIM_CONSENT)
    filed_before = len(case.filings())
    await case.handle.execute_update(
        DiversionCase.court_directive, CourtDirective(kind=DirectiveKind.WITHDRAW)
    )
    assert await case.outcome() is Outcome.WITHDRAWN_BY_COURT
    assert len(case.filings()) == filed_before


async def test_continue_directive_with_nothing_waiting_is_refused(harness: Harness) -> None:
    case = await harness.start()
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await case.handle.execute_update(
            DiversionCase.court_directive, CourtDirective(kind=DirectiveKind.CONTINUE)
        )
    assert "nothing awaits" in str(refused.value.cause)
