"""What one police incident says about risk (DESIGN §2 rule 5): the domestic-violence
finding and the flags screening weighs against the jurisdiction's policy.

Pure rules over `PoliceIncident`, in NIBRS's codes. The defaults, and why:

- Domestic violence: an offense in `dv_offense_codes` against a victim whose
  relationship to a subject is intimate or family (`domain.incidents.DOMESTIC`), or a
  victim circumstance the police coded as domestic (`dv_circumstance_codes`, NIBRS 06,
  "lovers' quarrel" before 2019, "domestic violence" since). The default offenses are the
  crimes against persons and robbery: 09A murder, 09B negligent manslaughter, 100
  kidnapping/abduction, 11A-11D forcible sex offenses, 120 robbery, 13A aggravated
  assault, 13B simple assault, 13C intimidation, 36A incest, 36B statutory rape. NIBRS
  reports a victim-subject relationship only for those, so adding a crime against
  property or society (e.g. 520 weapon law violations) could never make one DV alone.
- WEAPON: a force code for a firearm (11-15, with "A" for automatic), knife (20), blunt
  object (30), motor vehicle (35), poison (50), explosives (60), fire (65), drugs (70) or
  other weapon (90); or an arrestee armed with 11-17. Not 40 personal weapons (hands,
  fists, feet), 95 unknown or 99 none.
- STRANGULATION: force code 85, asphyxiation.
- INJURY: any known injury code but N (none).
- ORDER_BREACH: an offense or arrest charge in `order_breach_codes`. NIBRS has no
  national code for violating a protection order; agencies report it under 90Z (all
  other offenses), which also holds unrelated offenses. 90Z is the default because an
  order breach is an escalation (a review), never an exclusion, and a missed breach is
  the costly mistake; a jurisdiction with a local code for it replaces the list.
- SEXUAL_VIOLENCE: 11A-11D, 36A, 36B.
- CHILD_HARM: a violent offense (the default DV offenses) against a victim who may be
  under 18 and is family or intimate to a subject (an adult's teenage partner is a
  child too). An age range counts when its lower end is under 18; an unknown age never
  counts on its own.
- THREATS_TO_KILL: only from local `threat_to_kill_codes` (none by default). 13C
  intimidation covers any threat, so it does not mean a threat to kill; the screening
  coordinator records that flag from the file.

`PRIOR_DV` needs more than one incident: `flags_across` reuses
`domain.risk.flags_from_incidents` on the summaries.
"""

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, field_validator

from domain.enums import RiskFlag
from domain.incidents import DOMESTIC, IncidentVictim, Offense, PoliceIncident
from domain.risk import flags_from_incidents


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


DEFAULT_DV_OFFENSES = _codes("09A 09B 100 11A 11B 11C 11D 120 13A 13B 13C 36A 36B")
VIOLENT_OFFENSES = DEFAULT_DV_OFFENSES
SEXUAL_OFFENSES = _codes("11A 11B 11C 11D 36A 36B")
DEFAULT_DV_CIRCUMSTANCES = _codes("06")
DEFAULT_ORDER_BREACHES = _codes("90Z")

WEAPON_FORCE = _codes("11 12 13 14 15 20 30 35 50 60 65 70 90")
STRANGULATION_FORCE = _codes("85")
ARMED_WITH_WEAPON = _codes("11 12 13 14 15 16 17")
INJURIES = _codes("B I L M O T U")
ADULT_AGE = 18


class IncidentRules(BaseModel):
    """The codes a jurisdiction may change; see the module docstring for the defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dv_offense_codes: frozenset[str] = DEFAULT_DV_OFFENSES
    dv_circumstance_codes: frozenset[str] = DEFAULT_DV_CIRCUMSTANCES
    order_breach_codes: frozenset[str] = DEFAULT_ORDER_BREACHES
    threat_to_kill_codes: frozenset[str] = frozenset()

    @field_validator("*")
    @classmethod
    def _as_written_in_documents(cls, codes: frozenset[str]) -> frozenset[str]:
        # Settings files say "13b" as readily as "13B"; documents are compared upper-case.
        return frozenset(_code(c) for c in codes)


DEFAULT_RULES = IncidentRules()


def classify(incident: PoliceIncident, rules: IncidentRules = DEFAULT_RULES) -> PoliceIncident:
    """The incident with its domestic-violence finding and flags filled in."""
    return incident.model_copy(
        update={
            "domestic_violence": is_domestic_violence(incident, rules),
            "flags": incident_flags(incident, rules),
        }
    )


def is_domestic_violence(incident: PoliceIncident, rules: IncidentRules = DEFAULT_RULES) -> bool:
    if any(
        _code(c) in rules.dv_circumstance_codes
        for victim in incident.victims
        for c in victim.circumstance_codes
    ):
        return True
    return any(
        _code(offense.ucr_code) in rules.dv_offense_codes
        for victim in _domestic_victims(incident)
        for offense in _offenses_against(incident, victim)
    )


def incident_flags(
    incident: PoliceIncident, rules: IncidentRules = DEFAULT_RULES
) -> list[RiskFlag]:
    found: set[RiskFlag] = set()
    forces = {_weapon_code(c) for o in incident.offenses for c in o.force_codes}
    armed = {_weapon_code(c) for a in incident.arrestees for c in a.armed_with_codes}
    if forces & WEAPON_FORCE or armed & ARMED_WITH_WEAPON:
        found.add(RiskFlag.WEAPON)
    if forces & STRANGULATION_FORCE:
        found.add(RiskFlag.STRANGULATION)
    if {_code(c) for v in incident.victims for c in v.injury_codes} & INJURIES:
        found.add(RiskFlag.INJURY)
    codes = {_code(c) for c in incident.offense_codes()}
    if codes & rules.order_breach_codes:
        found.add(RiskFlag.ORDER_BREACH)
    if codes & SEXUAL_OFFENSES:
        found.add(RiskFlag.SEXUAL_VIOLENCE)
    if codes & rules.threat_to_kill_codes:
        found.add(RiskFlag.THREATS_TO_KILL)
    if _child_harmed(incident):
        found.add(RiskFlag.CHILD_HARM)
    return sorted(found)


def flags_across(incidents: Iterable[PoliceIncident]) -> list[RiskFlag]:
    """Flags over one person's incidents, PRIOR_DV included when more than one is DV."""
    return flags_from_incidents(incident.summary() for incident in incidents)


def _child_harmed(incident: PoliceIncident) -> bool:
    for victim in _domestic_victims(incident):
        person = incident.persons.get(victim.person)
        if person is None or person.age is None or not person.age.could_be_under(ADULT_AGE):
            continue
        if any(_code(o.ucr_code) in VIOLENT_OFFENSES for o in _offenses_against(incident, victim)):
            return True
    return False


def _domestic_victims(incident: PoliceIncident) -> list[IncidentVictim]:
    keys = {r.victim for r in incident.relationships if r.relationship in DOMESTIC}
    return [v for v in incident.victims if v.person in keys]


def _offenses_against(incident: PoliceIncident, victim: IncidentVictim) -> list[Offense]:
    # Without an offense-victim link every offense of the incident may be against them.
    if not victim.offenses:
        return incident.offenses
    return [o for o in incident.offenses if o.key in victim.offenses]


def _code(code: str) -> str:
    return code.strip().upper()


def _weapon_code(code: str) -> str:
    # "11A" is an automatic firearm: the same weapon for our purposes as "11".
    return _code(code).removesuffix("A")
