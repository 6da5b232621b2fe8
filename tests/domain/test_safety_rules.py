"""The rules behind safety first: a readiness check cannot clear a conference already due;
what staff may settle while a case is suspended; the police-check task's payload; which
flags of a new incident ask for a fresh multi-agency review."""

from datetime import date, datetime, timedelta

import pytest
from pydantic import ValidationError

from domain.case import CaseState, ReviewRecord
from domain.enums import ReviewTrigger, RiskFlag, Role, Stage, TaskKind
from domain.referral import Incident
from domain.risk import escalations_raised
from domain.task_payloads import (
    MultiAgencyReview,
    ReadinessCheck,
    ResolveFiling,
    ResolvePoliceCheck,
    RiskAssessment,
    TaskPayload,
)
from domain.task_rules import TaskRejected, check_completion
from domain.tasks import Task, TaskCompletion
from tests.domain.factories import DEMO, T0, make_case

CONFERENCE_AT = T0 + timedelta(days=10)
READY = ReadinessCheck(
    victim_safe_to_proceed=True,
    no_new_incidents=True,
    risk_rechecked=RiskAssessment(instrument="ODARA", score=2),
)


def with_task(kind: TaskKind, stage: Stage, *, case_stage: Stage) -> tuple[CaseState, Task]:
    case = make_case(stage=case_stage)
    task = Task(id="t-9", kind=kind, roles=[Role.COORDINATOR], stage=stage, opened_at=T0)
    case.tasks.append(task)
    case.conference.at = CONFERENCE_AT
    return case, task


def complete(case: CaseState, task: Task, payload: TaskPayload, now: datetime = T0) -> None:
    check_completion(case, TaskCompletion(task_id=task.id, payload=payload), now)


# --- the readiness gate ------------------------------------------------------------------


def test_a_readiness_check_before_the_conference_is_accepted() -> None:
    case, task = with_task(TaskKind.READINESS_CHECK, Stage.CONFERENCE, case_stage=Stage.CONFERENCE)
    complete(case, task, READY, CONFERENCE_AT - timedelta(minutes=1))


@pytest.mark.parametrize("late", [timedelta(0), timedelta(hours=3)])
def test_a_readiness_check_at_or_after_the_conference_time_is_refused(late: timedelta) -> None:
    case, task = with_task(TaskKind.READINESS_CHECK, Stage.CONFERENCE, case_stage=Stage.CONFERENCE)
    with pytest.raises(TaskRejected) as refused:
        complete(case, task, READY, CONFERENCE_AT + late)
    message = str(refused.value)
    assert CONFERENCE_AT.isoformat() in message
    assert "cannot clear it" in message and "to be scheduled again" in message


# --- while suspended ---------------------------------------------------------------------


def test_settling_a_filing_is_allowed_while_suspended() -> None:
    case, task = with_task(TaskKind.RESOLVE_FILING, Stage.MONITORING, case_stage=Stage.SUSPENDED)
    complete(case, task, ResolveFiling(refile=True))


def test_a_review_the_suspension_asked_for_is_allowed_while_suspended() -> None:
    case, task = with_task(
        TaskKind.MULTI_AGENCY_REVIEW, Stage.SUSPENDED, case_stage=Stage.SUSPENDED
    )
    complete(case, task, MultiAgencyReview(may_proceed=True, agencies=["police", "probation"]))


def test_the_flow_s_own_tasks_wait_behind_the_suspension() -> None:
    case, task = with_task(TaskKind.READINESS_CHECK, Stage.CONFERENCE, case_stage=Stage.SUSPENDED)
    with pytest.raises(TaskRejected, match="suspended after a safety event"):
        complete(case, task, READY, CONFERENCE_AT - timedelta(days=1))


def test_a_review_decided_after_today_is_refused() -> None:
    case, task = with_task(
        TaskKind.MULTI_AGENCY_REVIEW, Stage.SUSPENDED, case_stage=Stage.SUSPENDED
    )
    tomorrow = T0.date() + timedelta(days=1)
    review = MultiAgencyReview(
        may_proceed=True, agencies=["police", "probation"], decided_on=tomorrow
    )
    with pytest.raises(TaskRejected, match="after today"):
        complete(case, task, review)


# --- the police-check task ---------------------------------------------------------------

INCIDENT = Incident(incident_number="2026-000912", occurred_on=date(2026, 2, 20))


def test_a_manual_police_check_names_who_answered() -> None:
    with pytest.raises(ValidationError, match="names who at the police"):
        ResolvePoliceCheck(retry=False, checked_with="  ")
    with pytest.raises(ValidationError, match="leave the manual check empty"):
        ResolvePoliceCheck(retry=True, checked_with="Records desk")
    ResolvePoliceCheck(retry=False, checked_with="Records desk, Sgt. Noor Haddad")


def test_a_manual_check_cannot_report_an_incident_dated_after_today() -> None:
    case, task = with_task(TaskKind.RESOLVE_POLICE_CHECK, Stage.REFERRED, case_stage=Stage.REFERRED)
    future = INCIDENT.model_copy(update={"occurred_on": T0.date() + timedelta(days=2)})
    with pytest.raises(TaskRejected, match="2026-000912"):
        complete(
            case, task, ResolvePoliceCheck(retry=False, checked_with="desk", incidents=[future])
        )
    complete(case, task, ResolvePoliceCheck(retry=False, checked_with="desk", incidents=[INCIDENT]))


# --- a fresh review ----------------------------------------------------------------------


def incident(number: str, *flags: RiskFlag, dv: bool = True) -> Incident:
    return Incident(incident_number=number, flags=list(flags), domestic_violence=dv)


def test_an_escalation_flag_of_a_new_incident_asks_for_a_review_even_if_seen_before() -> None:
    known = [incident("2025-1", RiskFlag.STRANGULATION)]
    new = incident("2026-2", RiskFlag.STRANGULATION, RiskFlag.INJURY)
    assert escalations_raised(new, known, DEMO.policy) == [RiskFlag.STRANGULATION]


def test_flags_outside_the_escalation_items_ask_for_none() -> None:
    assert escalations_raised(incident("2026-3", RiskFlag.INJURY), [], DEMO.policy) == []


def test_a_flag_made_across_incidents_counts_when_the_policy_escalates_it() -> None:
    policy = DEMO.policy.model_copy(
        update={"escalation_items": [*DEMO.policy.escalation_items, RiskFlag.PRIOR_DV]}
    )
    known = [incident("2025-4")]
    assert escalations_raised(incident("2026-5"), known, policy) == [RiskFlag.PRIOR_DV]
    assert escalations_raised(incident("2026-5"), known, DEMO.policy) == []


def test_a_review_record_reads_in_one_line() -> None:
    record = ReviewRecord(
        task_id="t-4",
        trigger=ReviewTrigger.NEW_INCIDENT,
        incident_number="2026-007450",
        flags=[RiskFlag.STRANGULATION],
        requested_at=T0,
        may_proceed=True,
        agencies=["police", "probation"],
        conditions="shuttle meetings only",
        decided_on=T0.date(),
    )
    assert record.describe() == (
        "review 2026-03-02 (police, probation) on incident 2026-007450: strangulation: "
        "shuttle meetings only"
    )
