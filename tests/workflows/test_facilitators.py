"""Trained people (DESIGN §2 rule 6) in a running case: facilitators come from the roster,
and only they record the pre-meetings and the conference outcome."""

from collections.abc import Awaitable
from datetime import timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError

from domain.enums import ConferenceResult, Outcome, Stage, TaskKind
from domain.task_payloads import (
    AssignFacilitators,
    Facilitator,
    PreMeeting,
    ReadinessCheck,
    RecordOutcome,
    RiskAssessment,
    SafetyPlan,
    ScheduleConference,
)
from tests.workflows import steps
from tests.workflows.harness import Harness


async def refused(update: Awaitable[object]) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await update
    return str(failure.value.cause)


async def test_the_outcome_is_recorded_only_by_an_assigned_facilitator(harness: Harness) -> None:
    case = await harness.start()
    await steps.through_preparation(case)
    at = await case.now() + timedelta(days=10)
    await case.complete(ScheduleConference(at=at, location="Program office, room 2"))
    await case.advance(timedelta(days=9))
    await case.complete(
        ReadinessCheck(
            victim_safe_to_proceed=True,
            no_new_incidents=True,
            risk_rechecked=RiskAssessment(instrument="ODARA", score=2),
        )
    )
    await case.advance(timedelta(days=1, hours=2))
    task = await case.task(TaskKind.RECORD_OUTCOME)
    no_show = RecordOutcome(result=ConferenceResult.PARTICIPANT_NO_SHOW)

    message = await refused(steps.record(case, no_show, by=steps.TRAINEE.sub, task_id=task.id))
    assert message.endswith(
        "the conference outcome is recorded by one of the case's assigned facilitators "
        f"({steps.FACILITATOR.name} or {steps.CO_FACILITATOR.name}); "
        "you are not assigned to this case"
    )
    assert (await case.view()).open_tasks()[0].id == task.id  # still waiting for its outcome

    await steps.record(case, no_show, by=steps.CO_FACILITATOR.sub, task_id=task.id)
    assert await case.outcome() is Outcome.NOT_PROCEEDED


async def test_pre_meetings_need_an_assigned_facilitator(harness: Harness) -> None:
    case = await harness.start()
    await steps.through_engagement(case)
    await case.complete(steps.FACILITATORS)
    now = await case.now()
    participant = PreMeeting(kind=TaskKind.PRE_MEETING_PARTICIPANT, held_on=now)
    message = await refused(steps.record(case, participant, by="dev-victim_advocate"))
    assert "the participant's pre-meeting is recorded by one of the case's assigned" in message

    victim = PreMeeting(kind=TaskKind.PRE_MEETING_VICTIM, held_on=now)
    assert "advocate_present" in await refused(steps.record(case, victim))
    message = await refused(
        steps.record(case, victim.model_copy(update={"advocate_present": steps.ADVOCATE}), by="")
    )
    assert "naming the advocate who was present" in message

    await steps.pre_meetings(case)
    await case.complete(SafetyPlan(in_place=True))
    await case.reach(Stage.CONFERENCE)


async def test_the_case_records_its_facilitators_from_the_roster(harness: Harness) -> None:
    case = await harness.start()
    await steps.through_engagement(case)
    task = await case.task(TaskKind.ASSIGN_FACILITATORS)
    unknown = AssignFacilitators(facilitators=[steps.FACILITATOR.id, "mateus-oliveira"])
    message = await refused(case.complete(unknown.with_roster(steps.ROSTER), task.id))
    assert "'mateus-oliveira' is not on the Demo County" in message

    await case.complete(steps.FACILITATORS, task.id)
    assert (await case.view()).facilitators == [
        Facilitator(id=e.id, name=e.name, subject=e.sub)
        for e in (steps.FACILITATOR, steps.CO_FACILITATOR)
    ]
