"""Whether a task completion may enter the case: checked by the workflow's update validator.

Pure, so a rejected completion never touches history and every rule is unit-testable.
"""

from datetime import datetime

from domain.case import CaseState
from domain.enums import Stage, TaskKind
from domain.facilitation import assignment_problem, recorder_problem
from domain.risk import risk_level
from domain.task_payloads import (
    AssignFacilitators,
    MultiAgencyReview,
    PreMeeting,
    ReadinessCheck,
    RecordOutcome,
    ResolvePoliceCheck,
    ScheduleConference,
    ScreenCase,
)
from domain.tasks import ActingAs, Task, TaskCompletion

# What staff may still do while a safety event holds the case: the reviews the suspension
# waits for (opened for it, stage `suspended`), and settling a filing or a police check
# already under way, which the suspension must not strand.
# A message that reached nobody is passed on whatever holds the case: it may be the alert.
_SETTLED_WHILE_SUSPENDED = frozenset(
    {TaskKind.RESOLVE_FILING, TaskKind.RESOLVE_POLICE_CHECK, TaskKind.PASS_ON_MESSAGE}
)


class TaskRejected(ValueError):
    """The completion is refused; the message is meant for the person who sent it."""


class TaskNotVisible(TaskRejected):
    """The task is not for the caller's roles or jurisdictions: callers answer as for a
    task that does not exist, so the refusal says no more than that."""


def visible_to(scope: ActingAs, task: Task, jurisdiction: str) -> bool:
    """Whether the task is for one of the scope's roles, in one of its jurisdictions."""
    return jurisdiction in scope.jurisdictions and bool(set(task.roles) & set(scope.roles))


def check_completion(case: CaseState, completion: TaskCompletion, now: datetime) -> None:
    task = next((t for t in case.tasks if t.id == completion.task_id), None)
    scope = completion.acting_as
    if scope is not None and (task is None or not visible_to(scope, task, case.jurisdiction.id)):
        raise TaskNotVisible(f"no task {completion.task_id!r} for you")
    if task is None:
        raise TaskRejected(f"no task {completion.task_id!r} on case {case.case_id}")
    if task.done_at is not None:
        raise TaskRejected(f"task {task.id} ({task.kind}) is already done")
    if case.outcome is not None:
        raise TaskRejected(f"the case is closed ({case.outcome})")
    payload = completion.payload
    if payload.kind != task.kind:
        raise TaskRejected(f"task {task.id} is a {task.kind} task, not {payload.kind}")
    if case.stage is Stage.SUSPENDED and not _allowed_while_suspended(task):
        raise TaskRejected(
            "the case is suspended after a safety event; only its safety review, a "
            "multi-agency review it asked for, or a filing or police check under way"
        )
    policy = case.jurisdiction.policy
    try:
        if isinstance(payload, ScreenCase):
            risk_level(payload.risk, policy)
        elif isinstance(payload, ReadinessCheck):
            risk_level(payload.risk_rechecked, policy)
    except ValueError as e:
        raise TaskRejected(str(e)) from e
    if isinstance(payload, PreMeeting | RecordOutcome):
        _refuse_if(recorder_problem(case.facilitators, payload, completion.completed_by))
    if isinstance(payload, ReadinessCheck):
        _check_readiness(case, now)
    elif isinstance(payload, ResolvePoliceCheck | MultiAgencyReview):
        _check_not_after_today(payload, now)
    if isinstance(payload, AssignFacilitators):
        _refuse_if(assignment_problem(payload, case.jurisdiction, now))
    elif isinstance(payload, ScheduleConference) and payload.at <= now:
        raise TaskRejected("the conference must be scheduled in the future")
    elif isinstance(payload, RecordOutcome):
        held_at = case.conference.at
        if held_at is not None and held_at > now:
            raise TaskRejected(
                f"the conference is scheduled for {held_at.isoformat()}, not yet held"
            )


def _refuse_if(problem: str | None) -> None:
    if problem is not None:
        raise TaskRejected(problem)


def _allowed_while_suspended(task: Task) -> bool:
    return task.stage is Stage.SUSPENDED or task.kind in _SETTLED_WHILE_SUSPENDED


def _check_readiness(case: CaseState, now: datetime) -> None:
    """The gate clears a conference that is still to come, never one already due."""
    scheduled = case.conference.at
    if scheduled is not None and now >= scheduled:
        raise TaskRejected(
            f"the conference was scheduled for {scheduled.isoformat()}: a readiness check "
            "done after that time cannot clear it; the conference is to be scheduled again"
        )


def _check_not_after_today(payload: ResolvePoliceCheck | MultiAgencyReview, now: datetime) -> None:
    today = now.date()
    if isinstance(payload, MultiAgencyReview):
        if payload.decided_on is not None and payload.decided_on > today:
            raise TaskRejected(f"the review cannot be decided after today ({today})")
        return
    future = [
        i.incident_number for i in payload.incidents if i.occurred_on and i.occurred_on > today
    ]
    if future:
        raise TaskRejected(f"incidents dated after today ({today}): {', '.join(future)}")
