"""Matching an incident's person to a case's participant: by configured keys, never by
name alone. Invented people only."""

from datetime import date

import pytest

from domain.incidents import IncidentPerson
from domain.person_match import DEFAULT_MATCH_KEYS, PersonMatcher
from domain.referral import Participant

MARCUS = Participant(
    given_name="Marcus",
    family_name="Lindqvist",
    date_of_birth=date(1989, 5, 17),
    identifiers={"state_id": "ST-4417-0093"},
)
DEFAULT = PersonMatcher(DEFAULT_MATCH_KEYS)


def theirs(**fields: object) -> IncidentPerson:
    return IncidentPerson.model_validate({"key": "P1", **fields})


def test_an_identifier_alone_matches() -> None:
    assert DEFAULT.matches(MARCUS, theirs(identifiers={"state_id": "ST-4417-0093"}))


def test_identifiers_compare_exactly_and_by_scheme() -> None:
    assert not DEFAULT.matches(MARCUS, theirs(identifiers={"state_id": "st-4417-0093"}))
    assert not DEFAULT.matches(MARCUS, theirs(identifiers={"fbi_id": "ST-4417-0093"}))
    assert DEFAULT.matches(MARCUS, theirs(identifiers={"state_id": " ST-4417-0093 "}))


def test_names_and_birth_date_match_ignoring_case_accents_and_spaces() -> None:
    person = theirs(given_name="MÁRCUS", family_name="Lind qvist", date_of_birth="1989-05-17")
    assert DEFAULT.matches(MARCUS, person)


def test_a_name_only_coincidence_never_matches() -> None:
    assert not DEFAULT.matches(MARCUS, theirs(given_name="Marcus", family_name="Lindqvist"))
    namesake = theirs(given_name="Marcus", family_name="Lindqvist", date_of_birth="1971-11-02")
    assert not DEFAULT.matches(MARCUS, namesake)


def test_every_field_of_a_key_set_must_be_present_on_both() -> None:
    no_dob = MARCUS.model_copy(update={"date_of_birth": None, "identifiers": {}})
    person = theirs(given_name="Marcus", family_name="Lindqvist", date_of_birth="1989-05-17")
    assert not DEFAULT.matches(no_dob, person)


def test_a_person_the_police_recorded_without_a_family_name_is_no_match_on_names() -> None:
    """Police often know a first name only: the key set of names and birth date then has a
    field missing, which is no match, never an error."""
    first_name_only = theirs(given_name="Marcus", date_of_birth="1989-05-17")
    assert not DEFAULT.matches(MARCUS, first_name_only)


def test_another_identifier_scheme_can_be_a_key() -> None:
    matcher = PersonMatcher([["local_record_number"]])
    ours = MARCUS.model_copy(update={"identifiers": {"local_record_number": "LOC-55120"}})
    assert matcher.matches(ours, theirs(identifiers={"local_record_number": "LOC-55120"}))
    assert not matcher.matches(MARCUS, theirs(identifiers={"state_id": "ST-4417-0093"}))


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ([["state_id"], ["family_name", "given_name"]], r"key set 2 .* only of names"),
        ([["given_name"]], r"key set 1 \['given_name'\] is made only of names"),
        ([["date_of_birth"]], r"key set 1 .* date of birth alone"),
        ([["state_id", " "]], r"key set 1 .* empty field name"),
        ([[]], r"key set 1 .* empty field name"),
        ([], r"at least one key set"),
    ],
)
def test_unsafe_key_sets_are_refused_when_configured(keys: list[list[str]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PersonMatcher(keys)
