"""Trained people (DESIGN §2 rule 6), as the case's validator applies them: facilitators
come from the jurisdiction's roster with a current endorsement, and only they record the
pre-meetings and the outcome."""

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.case import CaseState, ConferenceRecord
from domain.enums import ConferenceResult, Role, Stage, TaskKind
from domain.policy import Jurisdiction
from domain.roster import RosterFacilitator
from domain.task_payloads import (
    AssignFacilitators,
    Facilitator,
    PreMeeting,
    RecordOutcome,
    TaskPayload,
)
from domain.task_rules import TaskRejected, check_completion
from domain.tasks import Task, TaskCompletion
from tests.domain.factories import DEMO, T0, make_case

NOW = T0  # 2026-03-02, 09:00 in Demo County (America/Chicago)


def on_roster(
    id: str, name: str, *, endorsed: bool = True, expires: date | None = date(2027, 1, 31)
) -> RosterFacilitator:
    return RosterFacilitator(
        id=id, name=name, sub=f"staff-{id}", fv_endorsed=endorsed, fv_endorsement_expires=expires
    )


ROSTER = [
    on_roster("aiyana-redcloud", "Aiyana Redcloud"),
    on_roster("bao-tran", "Bảo Trần"),
    on_roster("chiara-lombardi", "Chiara Lombardi", endorsed=False),
    on_roster("dmitri-volkov", "Dmitri Volkov", expires=date(2026, 2, 28)),
    on_roster("efua-mensah", "Efua Mensah", expires=date(2026, 3, 2)),
]
ASSIGNED = [
    Facilitator(id="aiyana-redcloud", name="Aiyana Redcloud", subject="staff-aiyana-redcloud"),
    Facilitator(id="bao-tran", name="Bảo Trần", subject="staff-bao-tran"),
]


def case_with(
    kind: TaskKind,
    facilitators: list[Facilitator] | None = None,
    jurisdiction: Jurisdiction = DEMO,
) -> CaseState:
    task = Task(
        id="case-demo-cr-2026-00417.t9",
        kind=kind,
        roles=[Role.COORDINATOR],
        stage=Stage.PREPARATION,
        opened_at=T0,
    )
    return make_case(stage=Stage.PREPARATION).model_copy(
        update={
            "tasks": [task],
            "facilitators": ASSIGNED if facilitators is None else facilitators,
            "jurisdiction": jurisdiction,
            "conference": ConferenceRecord(at=T0 - timedelta(hours=2), location="Room 2"),
        }
    )


def verdict(case: CaseState, payload: TaskPayload, by: str = "", now: datetime = NOW) -> str:
    """The refusal's message, or "" when the case accepts the completion."""
    completion = TaskCompletion(task_id=case.tasks[0].id, payload=payload, completed_by=by)
    try:
        check_completion(case, completion, now)
    except TaskRejected as refused:
        return str(refused)
    return ""


def assign(*ids: str) -> AssignFacilitators:
    """As the API sends it: the ids, with their roster entries."""
    return AssignFacilitators(facilitators=list(ids)).with_roster(ROSTER)


# --- assigning from the roster -----------------------------------------------------------


def test_two_endorsed_facilitators_from_the_roster_are_accepted() -> None:
    case = case_with(TaskKind.ASSIGN_FACILITATORS, facilitators=[])
    assert verdict(case, assign("aiyana-redcloud", "bao-tran")) == ""


def test_the_case_records_who_was_assigned_with_their_account() -> None:
    assert assign("bao-tran", "aiyana-redcloud").assigned() == [ASSIGNED[1], ASSIGNED[0]]


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        pytest.param(
            ("aiyana-redcloud", "zeynep-kaya"),
            "'zeynep-kaya' is not on the Demo County Restorative Justice Program facilitator "
            "roster",
            id="unknown-id",
        ),
        pytest.param(
            ("aiyana-redcloud", "chiara-lombardi"),
            "Chiara Lombardi (chiara-lombardi) has no family-violence endorsement on the roster",
            id="unendorsed",
        ),
        pytest.param(
            ("aiyana-redcloud", "dmitri-volkov"),
            "Dmitri Volkov (dmitri-volkov)'s family-violence endorsement expired on 2026-02-28",
            id="expired",
        ),
        pytest.param(
            ("aiyana-redcloud",),
            "a conference needs 2 different facilitators from the roster, not 1",
            id="one-facilitator",
        ),
        pytest.param(
            ("aiyana-redcloud", "aiyana-redcloud"),
            "Aiyana Redcloud (aiyana-redcloud) is named twice",
            id="duplicate",
        ),
        pytest.param((), "not 0", id="nobody"),
    ],
)
def test_assignment_is_refused_naming_the_person(ids: tuple[str, ...], expected: str) -> None:
    case = case_with(TaskKind.ASSIGN_FACILITATORS, facilitators=[])
    assert expected in verdict(case, assign(*ids))


def test_every_problem_reads_in_full_in_the_order_named() -> None:
    """Each repeat is named (by id when the roster does not know it) and the check goes on
    past it, so the coordinator sees every problem at once."""
    case = case_with(TaskKind.ASSIGN_FACILITATORS, facilitators=[])
    named = ("zeynep-kaya", "zeynep-kaya", "aiyana-redcloud", "aiyana-redcloud", "chiara-lombardi")
    assert verdict(case, assign(*named)) == (
        "'zeynep-kaya' is not on the Demo County Restorative Justice Program facilitator "
        "roster; 'zeynep-kaya' is named twice; Aiyana Redcloud (aiyana-redcloud) is named "
        "twice; Chiara Lombardi (chiara-lombardi) has no family-violence endorsement on the "
        "roster"
    )


def test_a_duplicate_does_not_count_as_a_second_facilitator() -> None:
    case = case_with(TaskKind.ASSIGN_FACILITATORS, facilitators=[])
    assert "not 1" in verdict(case, assign("bao-tran", "bao-tran"))


def test_every_problem_is_named_at_once() -> None:
    case = case_with(TaskKind.ASSIGN_FACILITATORS, facilitators=[])
    message = verdict(case, assign("chiara-lombardi", "dmitri-volkov"))
    assert "Chiara Lombardi" in message and "Dmitri Volkov" in message


def test_an_endorsement_is_current_through_its_expiry_date_in_local_time() -> None:
    case = case_with(TaskKind.ASSIGN_FACILITATORS, facilitators=[])
    payload = assign("aiyana-redcloud", "efua-mensah")  # expires 2026-03-02
    late_evening = datetime(2026, 3, 3, 4, 30, tzinfo=UTC)  # still 2 March in Chicago
    assert verdict(case, payload, now=late_evening) == ""
    next_morning = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
    assert "expired on 2026-03-02" in verdict(case, payload, now=next_morning)


def test_a_policy_may_ask_for_more_than_two() -> None:
    policy = DEMO.policy.model_copy(update={"facilitators_per_conference": 3})
    demo = DEMO.model_copy(update={"policy": policy})
    case = case_with(TaskKind.ASSIGN_FACILITATORS, facilitators=[], jurisdiction=demo)
    assert "needs 3 different facilitators" in verdict(case, assign("aiyana-redcloud", "bao-tran"))


def test_a_policy_of_one_still_needs_two() -> None:
    """A policy kept from before the rule, with 1, is held to DESIGN's two."""
    policy = DEMO.policy.model_copy(update={"facilitators_per_conference": 1})
    demo = DEMO.model_copy(update={"policy": policy})
    case = case_with(TaskKind.ASSIGN_FACILITATORS, facilitators=[], jurisdiction=demo)
    assert "needs 2 different facilitators" in verdict(case, assign("aiyana-redcloud"))


def test_roster_entries_a_caller_made_up_are_replaced_by_the_configured_ones() -> None:
    forged = on_roster("chiara-lombardi", "Chiara Lombardi", endorsed=True)
    sent = AssignFacilitators(facilitators=["aiyana-redcloud", "chiara-lombardi"], roster=[forged])
    resolved = sent.with_roster(ROSTER)
    assert resolved.roster == [ROSTER[0], ROSTER[2]]
    case = case_with(TaskKind.ASSIGN_FACILITATORS, facilitators=[])
    assert "Chiara Lombardi (chiara-lombardi) has no family-violence" in verdict(case, resolved)


def test_the_roster_is_not_part_of_the_public_payload_schema() -> None:
    assert "roster" not in AssignFacilitators.model_json_schema()["properties"]


# --- who records ---------------------------------------------------------------------


def outcome() -> RecordOutcome:
    return RecordOutcome(result=ConferenceResult.NO_AGREEMENT)


def meeting(kind: TaskKind, advocate: str = "") -> PreMeeting:
    return PreMeeting(kind=kind, held_on=NOW, advocate_present=advocate)


def test_an_assigned_facilitator_records_the_outcome() -> None:
    case = case_with(TaskKind.RECORD_OUTCOME)
    assert verdict(case, outcome(), by="staff-bao-tran") == ""


def test_the_outcome_from_someone_not_assigned_is_refused() -> None:
    case = case_with(TaskKind.RECORD_OUTCOME)
    message = verdict(case, outcome(), by="staff-chiara-lombardi")
    assert message == (
        "the conference outcome is recorded by one of the case's assigned facilitators "
        "(Aiyana Redcloud or Bảo Trần); you are not assigned to this case"
    )
    assert verdict(case, outcome(), by="") == message


def test_the_participants_pre_meeting_from_someone_not_assigned_is_refused() -> None:
    case = case_with(TaskKind.PRE_MEETING_PARTICIPANT)
    refused = verdict(case, meeting(TaskKind.PRE_MEETING_PARTICIPANT), by="staff-dmitri-volkov")
    assert "the participant's pre-meeting is recorded by one of the case's assigned" in refused
    accepted = verdict(case, meeting(TaskKind.PRE_MEETING_PARTICIPANT), by="staff-bao-tran")
    assert accepted == ""


def test_the_victims_pre_meeting_is_an_assigned_facilitator_with_the_advocate() -> None:
    case = case_with(TaskKind.PRE_MEETING_VICTIM)
    with_advocate = meeting(TaskKind.PRE_MEETING_VICTIM, advocate="Leilani Kahale")
    assert verdict(case, with_advocate, by="staff-aiyana-redcloud") == ""
    by_the_advocate = verdict(case, with_advocate, by="staff-advocate-leilani")
    assert "naming the advocate who was present; you are not assigned" in by_the_advocate
    alone = verdict(case, meeting(TaskKind.PRE_MEETING_VICTIM, "  "), by="staff-aiyana-redcloud")
    assert "name the advocate who was present (advocate_present)" in alone


def test_nothing_is_recorded_before_facilitators_are_assigned() -> None:
    case = case_with(TaskKind.PRE_MEETING_PARTICIPANT, facilitators=[])
    message = verdict(case, meeting(TaskKind.PRE_MEETING_PARTICIPANT), by="staff-bao-tran")
    assert message.startswith("no facilitators are assigned to this case yet")


def test_who_records_is_checked_before_when() -> None:
    case = case_with(TaskKind.RECORD_OUTCOME)
    case.conference.at = datetime(2026, 4, 1, tzinfo=UTC)
    assert "not assigned" in verdict(case, outcome(), by="staff-chiara-lombardi")
    assert "not yet held" in verdict(case, outcome(), by="staff-bao-tran")


# --- cases assigned before the roster ------------------------------------------------------

BEFORE_ROSTER = {"name": "Ines Valcourt", "fv_endorsed": True}


def test_an_assignment_from_before_the_roster_still_decodes() -> None:
    completion = TaskCompletion.model_validate(
        {
            "task_id": "case-demo-cr-2026-00417.t9",
            "payload": {
                "kind": "assign_facilitators",
                "facilitators": [BEFORE_ROSTER, {"name": "Tomasz Brennan", "fv_endorsed": True}],
            },
        }
    )
    assert isinstance(completion.payload, AssignFacilitators)
    assigned = completion.payload.assigned()
    assert assigned == [Facilitator(name="Ines Valcourt"), Facilitator(name="Tomasz Brennan")]


def test_a_new_assignment_in_the_old_form_is_refused() -> None:
    case = case_with(TaskKind.ASSIGN_FACILITATORS, facilitators=[])
    old_form = AssignFacilitators.model_validate({"facilitators": [BEFORE_ROSTER]})
    assert "'Ines Valcourt' is not on the" in verdict(case, old_form.with_roster(ROSTER))


def test_a_case_kept_from_before_the_roster_still_decodes_and_can_be_recorded() -> None:
    """Its facilitators have no account on record: it is not stranded, anyone it is for may
    record, as when it started."""
    state = case_with(TaskKind.RECORD_OUTCOME).model_dump(mode="json")
    state["facilitators"] = [BEFORE_ROSTER]
    case = CaseState.model_validate(state)
    assert case.facilitators == [Facilitator(name="Ines Valcourt")]
    assert verdict(case, outcome(), by="staff-anyone") == ""
