"""The staff's side of a case, one step at a time, with sensible valid payloads."""

from datetime import datetime, timedelta

from domain.agreement import Agreement, Obligation
from domain.enums import ConferenceResult, ConsentMode, ObligationKind, Plea, TaskKind
from domain.policy import DEMO_FILE, load_jurisdictions
from domain.task_payloads import (
    AssignFacilitators,
    ParticipantConsent,
    PreMeeting,
    ReadinessCheck,
    RecordOutcome,
    RiskAssessment,
    SafetyPlan,
    ScheduleConference,
    ScreenCase,
    TaskPayload,
    VerifyEvidence,
    VictimConsent,
)
from domain.tasks import Task, TaskCompletion
from tests.workflows.harness import Case
from workflows.case import DiversionCase

VICTIM_STATEMENT = "I want him to understand how frightened the children were that night."


def screening(**changes: object) -> ScreenCase:
    base = ScreenCase(
        plea=Plea.GUILTY,
        responsibility_accepted=True,
        risk=RiskAssessment(instrument="ODARA", score=2),
    )
    return base.model_copy(update=changes)


def victim_consent(consents: bool = True, **changes: object) -> VictimConsent:
    return VictimConsent(
        consents=consents,
        mode=ConsentMode.DIRECT if consents else None,
        informed=True,
        statement=VICTIM_STATEMENT,
        **changes,
    )


def participant_consent(consents: bool = True) -> ParticipantConsent:
    return ParticipantConsent(
        consents=consents,
        legal_advice_explained=True,
        no_obligation_explained=True,
        refusal_not_weighed_explained=True,
    )


# The demo roster: two endorsed facilitators and one in training.
ROSTER = load_jurisdictions(DEMO_FILE)["demo"].roster
FACILITATOR, CO_FACILITATOR, TRAINEE = ROSTER
# As the API sends it: the ids the coordinator chose, with their current roster entries.
FACILITATORS = AssignFacilitators(facilitators=[FACILITATOR.id, CO_FACILITATOR.id]).with_roster(
    ROSTER
)
ADVOCATE = "Leilani Kahale"


async def record(
    case: Case, payload: TaskPayload, by: str = FACILITATOR.sub, task_id: str | None = None
) -> Task:
    """Complete a task as the staff account `by` (a token subject), as the API would after
    checking the token: who records pre-meetings and outcomes matters to the case."""
    if task_id is None:
        task_id = (await case.task(TaskKind(payload.kind))).id
    done = await case.handle.execute_update(
        DiversionCase.complete_task,
        TaskCompletion(task_id=task_id, payload=payload, completed_by=by),
    )
    case.done.append(done.kind)
    return done


async def pre_meetings(case: Case) -> None:
    """Both pre-meetings, recorded by an assigned facilitator (the victim's with the advocate)."""
    now = await case.now()
    await record(
        case, PreMeeting(kind=TaskKind.PRE_MEETING_VICTIM, held_on=now, advocate_present=ADVOCATE)
    )
    await record(
        case, PreMeeting(kind=TaskKind.PRE_MEETING_PARTICIPANT, held_on=now), by=CO_FACILITATOR.sub
    )


def obligations(start: datetime, count: int = 3) -> Agreement:
    kinds = [
        ObligationKind.BEHAVIOUR_CHANGE_PROGRAMME,
        ObligationKind.APOLOGY,
        ObligationKind.RESTITUTION,
        ObligationKind.COUNSELLING,
    ]
    return Agreement(
        obligations=[
            Obligation(
                kind=kinds[i % len(kinds)],
                description=f"Agreement item {i + 1}",
                first_due=start + timedelta(days=20 + 5 * i),
            )
            for i in range(count)
        ]
    )


async def through_screening(case: Case) -> None:
    await case.complete(screening())


async def through_engagement(case: Case) -> None:
    await through_screening(case)
    await case.complete(victim_consent())
    await case.complete(participant_consent())


async def through_preparation(case: Case) -> None:
    await through_engagement(case)
    await prepare(case)


async def prepare(case: Case) -> None:
    """Facilitators, both pre-meetings and a safety plan, once both parties consented."""
    await case.complete(FACILITATORS)
    await pre_meetings(case)
    await case.complete(SafetyPlan(in_place=True))


async def hold_conference(
    case: Case, result: ConferenceResult, agreement: Agreement | None = None
) -> None:
    """Schedule in ten days, pass the readiness gate, hold it, record `result`."""
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
    await record(case, RecordOutcome(result=result, agreement=agreement))


async def through_conference(case: Case, count: int = 3) -> Agreement:
    await through_preparation(case)
    agreement = obligations(await case.now() + timedelta(days=10), count)
    await hold_conference(case, ConferenceResult.AGREEMENT, agreement)
    return agreement


async def verify_all(case: Case, count: int) -> None:
    for _ in range(count):
        await case.complete(VerifyEvidence(evidence_seen=True, reference="provider letter"))
