"""A police system that does not answer never stalls a case silently: the check at intake
and at the readiness gate retries for a bounded time, then becomes a coordinator task
naming the outage; staff ask again or record a check made by phone, and the case goes on."""

from datetime import date, timedelta

from domain.enums import Role, Stage, TaskKind
from domain.referral import Incident
from domain.task_payloads import (
    ReadinessCheck,
    ResolvePoliceCheck,
    RiskAssessment,
    ScheduleConference,
)
from tests.workflows.harness import Harness
from tests.workflows.scripted_police import OUTAGE, ScriptedPolice
from tests.workflows.steps import through_preparation
from workflows.case_police import POLICE_PATIENCE

PAST_PATIENCE = POLICE_PATIENCE + timedelta(hours=1)
ON_RECORD = Incident(
    incident_number="2021-003318", occurred_on=date(2021, 8, 9), offense_codes=["13B"]
)


async def test_an_outage_at_intake_becomes_a_task_and_a_phone_check_moves_on(
    harness: Harness, police: ScriptedPolice
) -> None:
    police.down = True
    case = await harness.start()
    await case.advance(PAST_PATIENCE)
    task = await case.task(TaskKind.RESOLVE_POLICE_CHECK)
    assert task.urgent and task.roles == [Role.COORDINATOR]
    assert "police check for intake" in task.subject and OUTAGE in task.subject
    assert police.asked > 3, "it retried before asking staff"
    told = [n for n in case.notifications() if n.subject == "Police check failed"]
    assert told and told[0].to_role is Role.COORDINATOR
    view = await case.view()
    assert view.stage is Stage.REFERRED and view.open_tasks() == [task]

    await case.complete(
        ResolvePoliceCheck(
            retry=False,
            checked_with="Records desk, Constable Aigerim Sadykova",
            incidents=[ON_RECORD],
        )
    )
    await case.task(TaskKind.SCREEN_CASE)
    view = await case.view()
    assert [i.incident_number for i in view.incidents] == ["2021-003318"]
    [manual] = view.manual_police_checks
    assert manual.purpose == "intake" and manual.incident_numbers == ["2021-003318"]
    assert manual.checked_with.startswith("Records desk")
    assert view.safety_events == [], "what intake finds is the record, not a new event"


async def test_an_outage_at_the_readiness_gate_becomes_a_task_and_a_retry_moves_on(
    harness: Harness, police: ScriptedPolice
) -> None:
    case = await harness.start()
    await through_preparation(case)
    at = await case.now() + timedelta(days=10)
    await case.complete(ScheduleConference(at=at, location="Program office, room 2"))
    await case.advance(timedelta(days=9))
    police.down = True
    await case.complete(
        ReadinessCheck(
            victim_safe_to_proceed=True,
            no_new_incidents=True,
            risk_rechecked=RiskAssessment(instrument="ODARA", score=2),
        )
    )
    await case.advance(PAST_PATIENCE)
    task = await case.task(TaskKind.RESOLVE_POLICE_CHECK)
    assert "police check for the readiness gate" in task.subject and task.urgent
    assert not any(t.kind is TaskKind.RECORD_OUTCOME for t in (await case.view()).tasks)

    police.down = False
    await case.complete(ResolvePoliceCheck(retry=True), task.id)
    outcome_task = await case.task(TaskKind.RECORD_OUTCOME)
    assert outcome_task.stage is Stage.CONFERENCE
    assert (await case.view()).manual_police_checks == []


async def test_an_outage_task_at_intake_left_undone_is_reminded_then_escalated(
    harness: Harness, police: ScriptedPolice
) -> None:
    police.down = True
    case = await harness.start()
    await case.advance(PAST_PATIENCE)
    task = await case.task(TaskKind.RESOLVE_POLICE_CHECK)
    # No stage deadline carries a case at intake: the task is chased on its own.
    await case.advance(timedelta(days=9))
    chased = [
        (n.subject, round((n.created_at - task.opened_at).total_seconds() / 86400))
        for n in case.notifications()
        if n.subject.endswith(("resolve_police_check", "resolve_police_check overdue"))
    ]
    assert chased == [
        ("Reminder: resolve_police_check", 1),
        ("Escalation: resolve_police_check overdue", 8),
    ]
    assert {n.to_role for n in case.notifications() if "resolve_police_check" in n.subject} == {
        Role.COORDINATOR
    }
    police.down = False
    await case.complete(ResolvePoliceCheck(retry=True), task.id)
    await case.task(TaskKind.SCREEN_CASE)
