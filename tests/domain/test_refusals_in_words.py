"""Refusals and descriptions staff read, pinned word for word: the screening's reasons,
a review's line, match key problems and a completion's refusals, with their boundaries
(mutation testing found them unpinned; docs/mutation.md). The facilitator assignment's
are in test_facilitation.py, the jurisdictions file's in test_policy_refusals.py."""

from datetime import datetime, timedelta

import pytest

from domain.case import ReviewRecord, review_cause
from domain.eligibility import assess_eligibility
from domain.enums import ConferenceResult, ReviewTrigger, RiskFlag, Stage
from domain.person_match import PersonMatcher, check_match_keys
from domain.policy import Policy
from domain.referral import Incident, Participant
from domain.task_payloads import (
    MultiAgencyReview,
    ReadinessCheck,
    RecordOutcome,
    ResolvePoliceCheck,
    RiskAssessment,
    ScheduleConference,
    ScreenCase,
    TaskPayload,
    VerifyEvidence,
)
from domain.task_rules import TaskNotVisible, TaskRejected, check_completion
from domain.tasks import ActingAs, TaskCompletion
from tests.domain.factories import DEMO, T0, make_case

NOW = T0 + timedelta(days=60)


def screening(**changes: object) -> ScreenCase:
    fields: dict[str, object] = {
        "plea": "guilty",
        "responsibility_accepted": True,
        "risk": RiskAssessment(instrument="DA", score=5),
    }
    return ScreenCase.model_validate(fields | changes)


def test_screening_reasons_read_in_full() -> None:
    policy = Policy.model_validate({**DEMO.policy.model_dump(), "moratorium": True})
    result = assess_eligibility(
        screening(responsibility_accepted=False, prior_rj_for_offence=True),
        [RiskFlag.CHILD_HARM, RiskFlag.SEXUAL_VIOLENCE],
        policy,
    )
    assert result.reasons == [
        "the jurisdiction is under a moratorium on new diversion cases",
        "the participant has not accepted responsibility",
        "a restorative process was already held for this offence",
        "hard exclusion: child_harm, sexual_violence",  # flags in order
    ]


def review(**changes: object) -> ReviewRecord:
    fields: dict[str, object] = {
        "task_id": "t-7",
        "trigger": ReviewTrigger.SCREENING,
        "requested_at": T0,
        "agencies": ["police", "probation"],
    }
    return ReviewRecord.model_validate(fields | changes)


def test_a_reviews_line_reads_in_full() -> None:
    assert review().describe() == "review pending (police, probation) on risk level: no conditions"
    decided = review(
        decided_on=T0.date(),
        conditions="  weekly check-ins ",
        flags=[RiskFlag.WEAPON, RiskFlag.STRANGULATION],
        trigger=ReviewTrigger.ORDER_BREACH,
    )
    assert decided.describe() == (
        f"review {T0.date()} (police, probation) on a reported order breach: "
        "weapon, strangulation: weekly check-ins"
    )


@pytest.mark.parametrize(
    ("trigger", "flags", "incident", "cause"),
    [
        (ReviewTrigger.SCREENING, [], None, "risk level"),
        (ReviewTrigger.SCREENING, [RiskFlag.WEAPON], None, "weapon"),
        (
            ReviewTrigger.NEW_INCIDENT,
            [RiskFlag.STRANGULATION],
            "2026-7",
            "incident 2026-7: strangulation",
        ),
        (ReviewTrigger.ORDER_BREACH, [], None, "a reported order breach: risk level"),
    ],
)
def test_what_asked_for_a_review(
    trigger: ReviewTrigger, flags: list[RiskFlag], incident: str | None, cause: str
) -> None:
    assert review_cause(trigger, flags, incident) == cause


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ([], "match keys: at least one key set is needed, or no incident matches"),
        (
            [["given_name", "family_name"]],
            "match key set 1 ['given_name', 'family_name'] is made only of names; add a date "
            "of birth or an identifier, since different people share names",
        ),
        (
            [["state_id"], ["date_of_birth"]],
            "match key set 2 ['date_of_birth'] is a date of birth alone, which many people "
            "share; add a name or an identifier",
        ),
    ],
)
def test_unsafe_match_keys_are_refused_in_full(keys: list[list[str]], message: str) -> None:
    with pytest.raises(ValueError) as refused:
        check_match_keys(keys)
    assert str(refused.value) == message


def test_a_field_on_one_side_only_never_matches() -> None:
    ours = Participant(given_name="Ana", family_name="Silva", identifiers={"state_id": "S-1"})
    theirs = Participant(given_name="Ana", family_name="Silva", identifiers={})
    assert not PersonMatcher([["state_id"]]).matches(ours, theirs)
    assert not PersonMatcher([["state_id"]]).matches(theirs, ours)


# -- a completion's refusals -------------------------------------------------------------------


def refusal(payload: TaskPayload, task_id: str = "t-1", **case_changes: object) -> str:
    case = make_case()
    for name, value in case_changes.items():
        setattr(case, name, value)
    with pytest.raises(TaskRejected) as refused:
        check_completion(case, TaskCompletion(task_id=task_id, payload=payload), NOW)
    return str(refused.value)


def test_a_completions_refusals_read_in_full() -> None:
    verify = VerifyEvidence(evidence_seen=True)
    assert refusal(verify, "t-9") == "no task 't-9' on case case-demo-cr-2026-00417"
    assert refusal(screening()) == "task t-1 is a verify_evidence task, not screen_case"
    assert refusal(verify, outcome="completed") == "the case is closed (completed)"
    assert refusal(verify, stage=Stage.SUSPENDED) == (
        "the case is suspended after a safety event; only its safety review, a "
        "multi-agency review it asked for, or a filing or police check under way"
    )
    case = make_case()
    case.tasks[0].done_at = NOW
    with pytest.raises(TaskRejected) as done:
        check_completion(case, TaskCompletion(task_id="t-1", payload=verify), NOW)
    assert str(done.value) == "task t-1 (verify_evidence) is already done"
    scope = ActingAs(roles=[], jurisdictions=["demo"])
    with pytest.raises(TaskNotVisible) as hidden:
        check_completion(
            make_case(), TaskCompletion(task_id="t-1", payload=verify, acting_as=scope), NOW
        )
    assert str(hidden.value) == "no task 't-1' for you"


def test_a_conference_at_this_very_moment_is_not_in_the_future() -> None:
    case = make_case()
    case.tasks[0].kind = ScheduleConference.model_fields["kind"].default
    with pytest.raises(TaskRejected) as refused:
        check_completion(
            case,
            TaskCompletion(task_id="t-1", payload=ScheduleConference(at=NOW, location="Room 2")),
            NOW,
        )
    assert str(refused.value) == "the conference must be scheduled in the future"


def test_a_review_decided_today_and_an_incident_of_today_are_accepted() -> None:
    today = NOW.date()
    case = make_case()
    case.tasks[0].kind = MultiAgencyReview.model_fields["kind"].default
    review_today = MultiAgencyReview(may_proceed=True, agencies=["a", "b"], decided_on=today)
    check_completion(case, TaskCompletion(task_id="t-1", payload=review_today), NOW)
    case.tasks[0].kind = ResolvePoliceCheck.model_fields["kind"].default
    found = [
        Incident(incident_number="I-1", occurred_on=today),
        Incident(incident_number="I-2", occurred_on=today + timedelta(days=1)),
        Incident(incident_number="I-3", occurred_on=today + timedelta(days=2)),
    ]
    manual = ResolvePoliceCheck(retry=False, checked_with="records desk", incidents=found)
    with pytest.raises(TaskRejected) as refused:
        check_completion(case, TaskCompletion(task_id="t-1", payload=manual), NOW)
    assert str(refused.value) == f"incidents dated after today ({today}): I-2, I-3"


def completing(payload: TaskPayload, *, conference_at: datetime | None = None, by: str = "") -> str:
    """The refusal of `payload` as the case's open task, or "" when it is accepted."""
    case = make_case()
    case.tasks[0].kind = payload.kind
    case.conference.at = conference_at
    completion = TaskCompletion(task_id="t-1", payload=payload, completed_by=by)
    try:
        check_completion(case, completion, NOW)
    except TaskRejected as refused:
        return str(refused)
    return ""


def test_a_screening_score_the_instrument_does_not_allow_is_refused_in_full() -> None:
    assert completing(screening()) == ""
    assert completing(screening(risk=RiskAssessment(instrument="DA", score=39))) == (
        "DA score 39 is outside 0..38"
    )
    assert completing(screening(risk=RiskAssessment(instrument="B-SAFER", score=3))) == (
        "risk instrument 'B-SAFER' is not accepted here (accepted: DA, DASH, ODARA, SARA)"
    )


def test_a_readiness_check_at_the_conference_time_is_refused_in_full() -> None:
    ready = ReadinessCheck(
        victim_safe_to_proceed=True,
        no_new_incidents=True,
        risk_rechecked=RiskAssessment(instrument="ODARA", score=2),
    )
    assert completing(ready, conference_at=NOW + timedelta(minutes=1)) == ""
    assert completing(ready, conference_at=NOW) == (
        f"the conference was scheduled for {NOW.isoformat()}: a readiness check done after "
        "that time cannot clear it; the conference is to be scheduled again"
    )
    rescored = ready.model_copy(
        update={"risk_rechecked": RiskAssessment(instrument="DA", score=-1)}
    )
    assert completing(rescored, conference_at=NOW + timedelta(days=1)) == (
        "DA score -1 is outside 0..38"
    )


def test_an_outcome_may_be_recorded_at_the_very_minute_the_conference_was_scheduled() -> None:
    outcome = RecordOutcome(result=ConferenceResult.NO_AGREEMENT)
    assert completing(outcome, conference_at=NOW, by="staff-ines") == ""
    later = NOW + timedelta(minutes=1)
    assert completing(outcome, conference_at=later, by="staff-ines") == (
        f"the conference is scheduled for {later.isoformat()}, not yet held"
    )
