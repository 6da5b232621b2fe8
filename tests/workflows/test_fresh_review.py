"""A risk found after screening reaches a review (DESIGN §2 rule 5): a new incident with
one of the policy's escalation items (here strangulation) suspends the case until a
multi-agency review is recorded, whatever the advocate decides; every review is kept with
its agencies, decision, conditions and date, and listed for the coordinator later on."""

from datetime import date, timedelta

from domain.enums import (
    NotProceededReason,
    Outcome,
    ReportKind,
    ReviewTrigger,
    RiskFlag,
    Role,
    SafetyEventKind,
    Stage,
    TaskKind,
)
from domain.referral import Incident
from domain.reports import Notification
from domain.task_payloads import MultiAgencyReview, SafetyReview
from tests.workflows.harness import Case, Harness
from tests.workflows.steps import (
    participant_consent,
    screening,
    through_conference,
    victim_consent,
)
from workflows.case import DiversionCase
from workflows.messages import SafetyEvent

STRANGULATION = Incident(
    incident_number="2026-007450",
    occurred_on=date(2026, 12, 2),
    offense_codes=["13A"],
    flags=[RiskFlag.STRANGULATION, RiskFlag.INJURY],
    domestic_violence=True,
)
AGENCIES = ["Demo County Police", "Probation", "Hana Ruiz-Oyelaran, victim services"]
CONDITIONS = "No direct conference; shuttle meetings only; weekly probation check-in."
NOTICE = "Multi-agency review conditions in force"


async def strangulation_during_monitoring(harness: Harness) -> Case:
    case = await harness.start()
    await through_conference(case, count=1)
    await case.reach(Stage.MONITORING)
    assert await case.handle.execute_update(DiversionCase.report_incident, STRANGULATION)
    return case


async def test_a_strangulation_incident_needs_a_review_before_the_case_resumes(
    harness: Harness,
) -> None:
    case = await strangulation_during_monitoring(harness)
    view = await case.view()
    assert view.stage is Stage.SUSPENDED
    [pending] = view.pending_reviews()
    assert pending.trigger is ReviewTrigger.NEW_INCIDENT
    assert pending.incident_number == "2026-007450" and pending.flags == [RiskFlag.STRANGULATION]
    review_task = next(t for t in view.open_tasks() if t.id == pending.task_id)
    assert review_task.kind is TaskKind.MULTI_AGENCY_REVIEW and review_task.urgent
    assert review_task.roles == [Role.COORDINATOR] and review_task.stage is Stage.SUSPENDED
    await case.filed(ReportKind.SAFETY_EVENT)

    await case.complete(SafetyReview(safe_to_resume=True))
    await case.advance(timedelta(hours=6))
    view = await case.view()
    assert view.stage is Stage.SUSPENDED, "the advocate's review alone does not resume it"
    assert view.pending_reviews()

    decided = (await case.now()).date() - timedelta(days=1)
    await case.complete(
        MultiAgencyReview(
            may_proceed=True, agencies=AGENCIES, conditions=CONDITIONS, decided_on=decided
        ),
        review_task.id,
    )
    await case.reach(Stage.MONITORING)
    [record] = (await case.view()).reviews
    assert record.may_proceed is True and record.agencies == AGENCIES
    assert record.conditions == CONDITIONS and record.decided_on == decided
    listed = await case.until("the coordinator's note", lambda _: _sent(case, NOTICE))
    assert listed[-1].to_role is Role.COORDINATOR
    assert CONDITIONS in listed[-1].body and "2026-007450" in listed[-1].body
    assert CONDITIONS not in case.court_facing_text()


async def test_a_review_that_refuses_ends_the_case_for_safety(harness: Harness) -> None:
    case = await strangulation_during_monitoring(harness)
    await case.complete(SafetyReview(safe_to_resume=True))
    await case.complete(MultiAgencyReview(may_proceed=False, agencies=AGENCIES))
    assert await case.outcome() is Outcome.TERMINATED_SAFETY
    report = case.filings()[-1]
    assert report.kind is ReportKind.NOT_PROCEEDED
    assert report.not_proceeded_reason is NotProceededReason.NOT_SUITABLE
    view = await case.view()
    assert view.stop is not None and "multi-agency review" in view.stop.cause
    assert {o.status.value for o in view.obligations} == {"cancelled"}


async def test_the_screening_review_is_recorded_and_listed_at_each_later_stage(
    harness: Harness,
) -> None:
    case = await harness.start()
    await case.complete(screening(additional_flags=[RiskFlag.WEAPON]))
    await case.complete(
        MultiAgencyReview(may_proceed=True, agencies=AGENCIES[:2], conditions=CONDITIONS)
    )
    await case.reach(Stage.ENGAGEMENT)
    [record] = (await case.view()).reviews
    assert record.trigger is ReviewTrigger.SCREENING and record.flags == [RiskFlag.WEAPON]
    assert record.decided_on == (await case.now()).date() and record.agencies == AGENCIES[:2]

    await case.complete(victim_consent())
    await case.complete(participant_consent())
    await case.reach(Stage.PREPARATION)
    listed = await case.until("both notes", lambda _: _sent(case, NOTICE, at_least=2))
    assert [n.to_role for n in listed] == [Role.COORDINATOR] * 2
    assert all(CONDITIONS in n.body for n in listed)
    notes = [e for e in (await case.view()).timeline if e.event.startswith("multi-agency reviews")]
    assert [(e.stage, e.audience) for e in notes] == [
        (Stage.ENGAGEMENT, "staff"),
        (Stage.PREPARATION, "staff"),
    ]
    assert CONDITIONS not in case.court_facing_text()


def _sent(case: Case, subject: str, at_least: int = 1) -> list[Notification] | None:
    """The notices with `subject` in the outbox, once there are `at_least` of them."""
    found = [n for n in case.notifications() if n.subject == subject]
    return found if len(found) >= at_least else None


async def test_a_reported_order_breach_after_screening_also_needs_a_review(
    harness: Harness,
) -> None:
    case = await harness.start()
    await case.complete(screening())
    await case.reach(Stage.ENGAGEMENT)
    breach = SafetyEvent(kind=SafetyEventKind.ORDER_BREACH, description="Texted her 40 times.")
    await case.handle.execute_update(DiversionCase.report_safety_event, breach)
    [pending] = (await case.view()).pending_reviews()
    assert pending.trigger is ReviewTrigger.ORDER_BREACH
    assert pending.flags == [RiskFlag.ORDER_BREACH]

    await case.complete(SafetyReview(safe_to_resume=True))
    await case.complete(MultiAgencyReview(may_proceed=True, agencies=AGENCIES[:2]))
    await case.reach(Stage.ENGAGEMENT)
    assert (await case.view()).reviews[0].may_proceed is True
