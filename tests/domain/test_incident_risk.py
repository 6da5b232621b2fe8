"""Risk flags and the DV finding from one police incident (DESIGN §2 rule 5), and how
they decide screening under the demo policy. Invented people only."""

from datetime import date

import pytest

from domain.eligibility import assess_eligibility
from domain.enums import Plea, RiskFlag
from domain.incident_risk import (
    IncidentRules,
    classify,
    flags_across,
    incident_flags,
    is_domestic_violence,
)
from domain.incidents import (
    Arrest,
    DatePrecision,
    IncidentArrestee,
    IncidentPerson,
    IncidentSubject,
    IncidentVictim,
    Offense,
    PersonAge,
    PoliceIncident,
    Relationship,
    VictimSubjectRelationship,
)
from domain.policy import DEMO_FILE, load_jurisdictions
from domain.task_payloads import RiskAssessment, ScreenCase

POLICY = load_jurisdictions(DEMO_FILE)["demo"].policy


def incident(
    code: str = "13B",
    *,
    relationship: Relationship | None = Relationship.SPOUSE,
    forces: tuple[str, ...] = (),
    injuries: tuple[str, ...] = (),
    victim_age: PersonAge | None = None,
    circumstances: tuple[str, ...] = (),
    arrest_charges: tuple[str, ...] = (),
    armed_with: tuple[str, ...] = (),
    number: str = "2026-000731",
    on: date | None = date(2026, 2, 14),
) -> PoliceIncident:
    """One subject, one victim, one offense against them."""
    return PoliceIncident(
        incident_number=number,
        incident_date=on,
        offenses=[Offense(key="O1", ucr_code=code, force_codes=list(forces))],
        persons={
            "V1": IncidentPerson(key="V1", given_name="Sofia", age=victim_age),
            "S1": IncidentPerson(key="S1", given_name="Marcus"),
        },
        victims=[
            IncidentVictim(
                person="V1",
                injury_codes=list(injuries),
                circumstance_codes=list(circumstances),
                offenses=["O1"],
            )
        ],
        subjects=[IncidentSubject(person="S1")],
        arrestees=[IncidentArrestee(person="S1", armed_with_codes=list(armed_with))],
        arrests=[Arrest(charge_codes=list(arrest_charges), arrestees=["S1"])],
        relationships=(
            []
            if relationship is None
            else [
                VictimSubjectRelationship(
                    victim="V1", subject="S1", raw=relationship, relationship=relationship
                )
            ]
        ),
    )


# --- domestic violence ------------------------------------------------------------------


@pytest.mark.parametrize(
    "relationship",
    [
        Relationship.SPOUSE,
        Relationship.EX_RELATIONSHIP,
        Relationship.BOYFRIEND_GIRLFRIEND,
        Relationship.SIBLING,
        Relationship.CHILD_OF_BOYFRIEND_GIRLFRIEND,
    ],
)
def test_a_violent_offense_against_family_or_partner_is_dv(relationship: Relationship) -> None:
    assert is_domestic_violence(incident("13B", relationship=relationship)) is True


@pytest.mark.parametrize(
    "relationship",
    [Relationship.STRANGER, Relationship.ACQUAINTANCE, Relationship.FRIEND, None],
)
def test_outside_family_or_partners_it_is_not(relationship: Relationship | None) -> None:
    assert is_domestic_violence(incident("13B", relationship=relationship)) is False


def test_a_spouse_victim_of_a_property_offense_alone_is_not_dv() -> None:
    assert is_domestic_violence(incident("23H")) is False


def test_the_offense_must_be_against_the_related_victim() -> None:
    both = incident("13B").model_copy(
        update={
            "offenses": [Offense(key="O1", ucr_code="23H"), Offense(key="O2", ucr_code="13B")],
        }
    )
    # Only the theft is against the spouse; the assault is against nobody related.
    assert is_domestic_violence(both) is False
    unlinked = both.model_copy(update={"victims": [IncidentVictim(person="V1")]})
    assert is_domestic_violence(unlinked) is True  # without links, any offense may be


def test_a_domestic_circumstance_code_is_dv_whatever_the_relationship() -> None:
    coded = incident("13A", relationship=None, circumstances=("06",))
    assert is_domestic_violence(coded) is True


def test_rules_are_configurable_and_read_in_any_case() -> None:
    rules = IncidentRules(dv_offense_codes=frozenset({"13a"}))
    assert is_domestic_violence(incident("13A"), rules) is True
    assert is_domestic_violence(incident("13B"), rules) is False


# --- flags ------------------------------------------------------------------------------


@pytest.mark.parametrize("force", ["11", "11A", "12", "20", "30", "35", "90"])
def test_weapon_from_force_codes(force: str) -> None:
    assert incident_flags(incident(forces=(force,))) == [RiskFlag.WEAPON]


@pytest.mark.parametrize("force", ["40", "95", "99"])
def test_hands_unknown_or_no_force_is_no_weapon(force: str) -> None:
    assert incident_flags(incident(forces=(force,))) == []


def test_an_armed_arrestee_is_a_weapon_but_unarmed_is_not() -> None:
    assert incident_flags(incident(armed_with=("16",))) == [RiskFlag.WEAPON]
    assert incident_flags(incident(armed_with=("01",))) == []


def test_asphyxiation_is_strangulation_not_a_weapon() -> None:
    assert incident_flags(incident(forces=("85",))) == [RiskFlag.STRANGULATION]


def test_injury_from_any_injury_code_but_none() -> None:
    assert incident_flags(incident(injuries=("N",))) == []
    assert incident_flags(incident(injuries=("N", "M"))) == [RiskFlag.INJURY]
    assert incident_flags(incident(injuries=("Q",))) == []  # unknown: warned, not guessed


def test_order_breach_from_offense_or_arrest_charge() -> None:
    assert RiskFlag.ORDER_BREACH in incident_flags(incident("90Z", relationship=None))
    charged = incident("13B", arrest_charges=("90Z",))
    assert RiskFlag.ORDER_BREACH in incident_flags(charged)
    local = IncidentRules(order_breach_codes=frozenset({"26X"}))
    assert RiskFlag.ORDER_BREACH not in incident_flags(charged, local)


@pytest.mark.parametrize("code", ["11A", "11B", "11C", "11D", "36A"])
def test_sex_offenses_are_sexual_violence(code: str) -> None:
    assert RiskFlag.SEXUAL_VIOLENCE in incident_flags(incident(code))


def test_intimidation_alone_is_no_threat_to_kill() -> None:
    assert incident_flags(incident("13C")) == []
    local = IncidentRules(threat_to_kill_codes=frozenset({"13C"}))
    assert incident_flags(incident("13C"), local) == [RiskFlag.THREATS_TO_KILL]


@pytest.mark.parametrize(
    ("age", "harmed"),
    [
        (PersonAge(years=9), True),
        (PersonAge(years=0, code="BABY"), True),
        (PersonAge(minimum=16, maximum=19), True),  # may be a child
        (PersonAge(years=18), False),
        (PersonAge(minimum=25, maximum=30), False),
        (PersonAge(code="00"), False),  # unknown: no evidence either way
        (None, False),
    ],
)
def test_child_harm_by_the_victims_age(age: PersonAge | None, harmed: bool) -> None:
    flags = incident("13B", relationship=Relationship.CHILD, victim_age=age)
    assert (RiskFlag.CHILD_HARM in incident_flags(flags)) is harmed


def test_child_harm_needs_a_family_tie_and_a_violent_offense() -> None:
    child = PersonAge(years=9)
    stranger = incident("13B", relationship=Relationship.STRANGER, victim_age=child)
    assert RiskFlag.CHILD_HARM not in incident_flags(stranger)
    theft = incident("23H", relationship=Relationship.CHILD, victim_age=child)
    assert RiskFlag.CHILD_HARM not in incident_flags(theft)


def test_classify_fills_the_finding_and_flags_the_summary_carries() -> None:
    summary = classify(incident("13A", forces=("12",))).summary()
    assert summary.domestic_violence is True
    assert summary.flags == [RiskFlag.WEAPON]
    assert summary.offense_codes == ["13A"]


def test_prior_dv_needs_more_than_one_dv_incident() -> None:
    first = classify(incident(number="2026-000731"))
    second = classify(incident(number="2026-000802"))
    stranger = classify(incident(number="2026-000915", relationship=Relationship.STRANGER))
    assert flags_across([first, stranger]) == []
    assert flags_across([first, second]) == [RiskFlag.PRIOR_DV]


# --- dates ------------------------------------------------------------------------------


def test_a_report_date_is_no_occurrence_date() -> None:
    reported = incident().model_copy(update={"date_is_report_date": True})
    assert reported.summary().occurred_on is None
    assert incident().summary().occurred_on == date(2026, 2, 14)


@pytest.mark.parametrize(
    ("on", "precision", "since", "counts"),
    [
        (date(2026, 4, 1), DatePrecision.MONTH, date(2026, 4, 30), True),
        (date(2026, 4, 1), DatePrecision.MONTH, date(2026, 5, 1), False),
        (date(2026, 1, 1), DatePrecision.YEAR, date(2026, 12, 31), True),
        (date(2026, 4, 1), DatePrecision.DAY, date(2026, 4, 2), False),
        (None, DatePrecision.DAY, date(2030, 1, 1), True),  # undated: never missed
    ],
)
def test_on_or_after_counts_any_day_a_partial_date_may_be(
    on: date | None, precision: DatePrecision, since: date, counts: bool
) -> None:
    dated = incident(on=on).model_copy(update={"date_precision": precision})
    assert dated.on_or_after(since) is counts


# --- into screening, under the demo policy -----------------------------------------------


def screen() -> ScreenCase:
    return ScreenCase(
        plea=Plea.GUILTY,
        responsibility_accepted=True,
        risk=RiskAssessment(instrument="DA", score=5),
    )


def test_an_incident_with_an_excluded_flag_ends_not_eligible() -> None:
    sexual = classify(incident("11D"))
    assert RiskFlag.SEXUAL_VIOLENCE in POLICY.hard_exclusions
    result = assess_eligibility(screen(), flags_across([sexual]), POLICY)
    assert result.eligible is False
    assert "hard exclusion: sexual_violence" in result.reasons


def test_an_incident_with_an_escalation_flag_requires_review() -> None:
    strangled = classify(incident("13A", forces=("85",)))
    assert RiskFlag.STRANGULATION in POLICY.escalation_items
    result = assess_eligibility(screen(), flags_across([strangled]), POLICY)
    assert result.eligible is True
    assert result.review_required is True
    assert RiskFlag.STRANGULATION in result.flags


def test_an_incident_with_no_flag_needs_no_review() -> None:
    result = assess_eligibility(screen(), flags_across([classify(incident())]), POLICY)
    assert (result.eligible, result.review_required) == (True, False)
