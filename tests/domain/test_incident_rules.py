"""A police incident read under a jurisdiction's own codes, an incident with several
victims, and the code lists as the module builds them (mutation testing found these
unpinned; docs/mutation.md). Invented people only."""

import importlib.util

from domain.enums import RiskFlag
from domain.incident_risk import IncidentRules, classify, incident_flags
from domain.incidents import (
    IncidentPerson,
    IncidentVictim,
    PersonAge,
    Relationship,
    VictimSubjectRelationship,
)
from tests.domain.test_incident_risk import incident


def test_classify_reads_the_incident_under_the_jurisdictions_own_codes() -> None:
    """Intimidation of a spouse: domestic violence and no threat to kill by default; a
    jurisdiction that counts only battery as DV, and codes 13C as a threat to kill, reads
    the opposite of both."""
    threat = incident("13C", relationship=Relationship.SPOUSE)
    assert (classify(threat).domestic_violence, classify(threat).flags) == (True, [])
    local = IncidentRules(
        dv_offense_codes=frozenset({"13B"}), threat_to_kill_codes=frozenset({"13C"})
    )
    classified = classify(threat, local)
    assert classified.domestic_violence is False
    assert classified.flags == [RiskFlag.THREATS_TO_KILL]


def test_a_child_among_several_victims_is_found_after_an_adult() -> None:
    """Ren Takahashi (an adult, the spouse) is listed first, their child second: the child
    is still weighed."""
    one_victim = incident("13B", relationship=Relationship.SPOUSE, victim_age=PersonAge(years=34))
    assert RiskFlag.CHILD_HARM not in incident_flags(one_victim)
    with_child = one_victim.model_copy(
        update={
            "persons": {
                **one_victim.persons,
                "V2": IncidentPerson(key="V2", given_name="Hana", age=PersonAge(years=7)),
            },
            "victims": [*one_victim.victims, IncidentVictim(person="V2", offenses=["O1"])],
            "relationships": [
                *one_victim.relationships,
                VictimSubjectRelationship(
                    victim="V2", subject="S1", raw="CH", relationship=Relationship.CHILD
                ),
            ],
        }
    )
    assert RiskFlag.CHILD_HARM in incident_flags(with_child)


def test_the_code_lists_are_read_from_their_written_form_when_the_module_loads() -> None:
    """Loaded anew, as a new worker process loads it (the test run's own copy was loaded
    once, before any test ran)."""
    spec = importlib.util.find_spec("domain.incident_risk")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = vars(module)
    assert fresh["DEFAULT_DV_OFFENSES"] == {
        *("09A", "09B", "100", "11A", "11B", "11C", "11D"),
        *("120", "13A", "13B", "13C", "36A", "36B"),
    }
    assert fresh["SEXUAL_OFFENSES"] == {"11A", "11B", "11C", "11D", "36A", "36B"}
    assert fresh["DEFAULT_ORDER_BREACHES"] == {"90Z"}
    assert fresh["STRANGULATION_FORCE"] == {"85"}
    assert fresh["INJURIES"] == set("BILMOTU")
