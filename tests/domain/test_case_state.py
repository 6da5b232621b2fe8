"""The case state's own small rules (domain/case.py, domain/tasks.py, domain/incidents.py,
domain/referral.py), each pinned without a workflow."""

from datetime import timedelta

import pytest

from domain.case import ConsentRecord, ReviewRecord
from domain.enums import Outcome, Party, ReviewTrigger, Role, Stage, TaskKind
from domain.incidents import (
    Arrest,
    IncidentArrestee,
    IncidentPerson,
    IncidentSubject,
    PoliceIncident,
)
from domain.referral import is_normal_case_number
from domain.tasks import CompletionMark, InboxEntry, Task, inbox_entry
from tests.domain.factories import T0, make_case


def test_a_partys_consent_is_found_by_party() -> None:
    case = make_case()
    victim = case.consent(Party.VICTIM)
    participant = case.consent(Party.PARTICIPANT)
    assert victim is not None and victim.party is Party.VICTIM and victim.mode == "shuttle"
    assert participant is not None and participant.party is Party.PARTICIPANT
    assert make_case(consents=[]).consent(Party.VICTIM) is None


def test_the_victim_may_be_contacted_until_she_withdraws_or_the_case_closes() -> None:
    assert make_case().victim_contact_allowed()
    assert make_case(consents=[]).victim_contact_allowed()  # not asked yet
    withdrawn = ConsentRecord(party=Party.VICTIM, withdrawn_at=T0 + timedelta(days=9))
    assert not make_case(consents=[withdrawn]).victim_contact_allowed()
    participant_withdrew = ConsentRecord(party=Party.PARTICIPANT, withdrawn_at=T0)
    assert make_case(consents=[participant_withdrew]).victim_contact_allowed()
    closed = make_case()
    closed.outcome = Outcome.COMPLETED
    assert not closed.victim_contact_allowed()


def test_pending_reviews_are_those_without_a_decision() -> None:
    case = make_case()
    pending = ReviewRecord(task_id="t-7", trigger=ReviewTrigger.SCREENING, requested_at=T0)
    decided = ReviewRecord(
        task_id="t-8", trigger=ReviewTrigger.SCREENING, requested_at=T0, may_proceed=False
    )
    case.reviews = [decided, pending]
    assert case.pending_reviews() == [pending]


def test_an_inbox_entry_carries_the_tasks_listed_fields_only() -> None:
    task = Task(
        id="case-demo-1.t4",
        kind=TaskKind.SAFETY_PLAN,
        roles=[Role.VICTIM_ADVOCATE],
        stage=Stage.PREPARATION,
        opened_at=T0,
        due_at=T0 + timedelta(days=3),
        urgent=True,
        subject="plan before the pre-meeting",
        reminded=True,
        completed_with=CompletionMark(digest="ab" * 32),
    )
    entry = inbox_entry(task)
    assert entry == InboxEntry(
        id="case-demo-1.t4",
        kind=TaskKind.SAFETY_PLAN,
        roles=[Role.VICTIM_ADVOCATE],
        stage=Stage.PREPARATION,
        opened_at=T0,
        due_at=T0 + timedelta(days=3),
        urgent=True,
        subject="plan before the pre-meeting",
    )


def test_the_people_an_incident_is_about_are_its_subjects_and_arrestees_once() -> None:
    people = {k: IncidentPerson(key=k, given_name=k) for k in ("P1", "P2", "P3", "P4")}
    incident = PoliceIncident(
        incident_number="2026-1",
        persons=people,
        subjects=[IncidentSubject(person="P2"), IncidentSubject(person="P9")],  # P9: unknown
        arrestees=[IncidentArrestee(person="P3"), IncidentArrestee(person="P2")],
    )
    assert [p.key for p in incident.involved_persons()] == ["P2", "P3"]
    assert not incident.summary().arrested or incident.arrestees
    arrested = incident.model_copy(update={"arrestees": [], "arrests": [Arrest()]})
    assert arrested.summary().arrested
    assert not incident.model_copy(update={"arrestees": []}).summary().arrested


@pytest.mark.parametrize(
    ("text", "normal"),
    [("cr-2026-1", True), ("ж-1", True), ("CR-2026-1", False), ("cr--1", False), ("", False)],
)
def test_a_case_number_in_normal_form_is_its_own_normalisation(text: str, normal: bool) -> None:
    assert is_normal_case_number(text) is normal
