"""An incident the readiness gate finds is a safety event (DESIGN §2 rule 6): the case
is suspended, the advocate gets an urgent task and notice, the court a safety report;
once the safety review clears it, the conference is scheduled again. So is a conference
whose readiness check was not done by its time: a late check cannot clear it."""

from datetime import date, timedelta

from domain.enums import (
    ConferenceResult,
    Outcome,
    ReportKind,
    RiskFlag,
    Role,
    SafetyEventKind,
    Stage,
    TaskKind,
)
from domain.referral import Incident
from domain.task_payloads import ReadinessCheck, RiskAssessment, SafetyReview, ScheduleConference
from tests.workflows.harness import Harness
from tests.workflows.scripted_police import ScriptedPolice
from tests.workflows.steps import hold_conference, through_preparation

AT_THE_GATE = Incident(
    incident_number="2026-006021",
    occurred_on=date(2026, 12, 1),
    offense_codes=["13C"],
    flags=[RiskFlag.INJURY],
    domestic_violence=True,
)


async def test_an_incident_at_the_readiness_gate_is_a_safety_event(
    harness: Harness, police: ScriptedPolice
) -> None:
    case = await harness.start()
    await through_preparation(case)
    at = await case.now() + timedelta(days=10)
    await case.complete(ScheduleConference(at=at, location="Program office, room 2"))
    await case.advance(timedelta(days=9))
    police.incidents = [AT_THE_GATE]  # reported to the police since the last weekly check
    await case.complete(
        ReadinessCheck(
            victim_safe_to_proceed=True,
            no_new_incidents=True,
            risk_rechecked=RiskAssessment(instrument="ODARA", score=2),
        )
    )

    await case.reach(Stage.SUSPENDED)
    view = await case.view()
    assert view.suspension is not None and view.suspension.stage is Stage.CONFERENCE
    assert [(e.kind, e.description) for e in view.safety_events] == [
        (SafetyEventKind.NEW_INCIDENT, "police incident 2026-006021")
    ]
    assert "2026-006021" in [i.incident_number for i in view.incidents]
    review = await case.task(TaskKind.SAFETY_REVIEW)
    assert review.urgent and review.roles == [Role.VICTIM_ADVOCATE]
    await case.filed(ReportKind.SAFETY_EVENT)
    assert case.filed_kinds()[-1] is ReportKind.SAFETY_EVENT
    urgent = [n for n in case.notifications() if n.subject == "URGENT: safety event"]
    assert [n.to_role for n in urgent] == [Role.VICTIM_ADVOCATE]
    assert view.outcome is None, "no longer the end of the case"
    assert not any(t.kind is TaskKind.RECORD_OUTCOME for t in view.tasks)

    await case.complete(SafetyReview(safe_to_resume=True, notes="safety plan updated"), review.id)
    rescheduled = await case.task(TaskKind.SCHEDULE_CONFERENCE)
    view = await case.view()
    assert view.stage is Stage.CONFERENCE and rescheduled.stage is Stage.CONFERENCE
    assert view.conference.reschedules == 0, "not a victim no-show"
    assert rescheduled.due_at is not None
    assert rescheduled.due_at - await case.now() > timedelta(days=29), "time to reschedule"

    # Cleared, the conference goes on; the incident, now known, is not new at the gate.
    await hold_conference(case, ConferenceResult.NO_AGREEMENT)
    assert await case.outcome() is Outcome.NOT_PROCEEDED
    assert case.filed_kinds().count(ReportKind.SAFETY_EVENT) == 1
    assert [e.description for e in (await case.view()).safety_events] == [
        "police incident 2026-006021"
    ]
    case.assert_court_never_sees_the_victim("safety plan updated")


async def test_a_conference_not_cleared_by_its_time_is_scheduled_again(harness: Harness) -> None:
    case = await harness.start()
    await through_preparation(case)
    at = await case.now() + timedelta(days=10)
    await case.complete(ScheduleConference(at=at, location="Program office, room 2"))
    await case.advance(timedelta(days=9))
    await case.task(TaskKind.READINESS_CHECK)  # opened; the advocate never completes it
    await case.advance(timedelta(days=1, hours=1))
    rescheduled = await case.task(TaskKind.SCHEDULE_CONFERENCE)
    view = await case.view()
    [readiness] = [t for t in view.tasks if t.kind is TaskKind.READINESS_CHECK]
    assert readiness.cancelled
    assert rescheduled.due_at is not None and rescheduled.due_at > at + timedelta(days=29)
    told = await case.until(
        "the coordinator's notice",
        lambda _: (
            [n for n in case.notifications() if n.subject.startswith("Conference to be")] or None
        ),
    )
    assert told[0].to_role is Role.COORDINATOR and "not done before" in told[0].body
    assert view.outcome is None and not any(t.kind is TaskKind.RECORD_OUTCOME for t in view.tasks)
