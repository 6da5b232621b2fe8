"""A police incident as a police records system describes it, richer than the
`domain.referral.Incident` that cases keep.

`Incident` is inside stored workflow histories, so it does not grow; this model holds
what the screening rules need (who did what to whom, with which force and injury) and
`PoliceIncident.summary()` reduces it to an `Incident`. Codes are NIBRS's own (UCR
offense codes, force and injury codes), the vocabulary police exchanges share; whatever
a police system sent that we do not know stays raw and is named in `warnings`.
"""

import calendar
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from domain.enums import RiskFlag
from domain.referral import Incident


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Relationship(StrEnum):
    """Who the victim was to the subject (NIBRS data element 35)."""

    SPOUSE = "spouse"
    COMMON_LAW_SPOUSE = "common_law_spouse"
    BOYFRIEND_GIRLFRIEND = "boyfriend_girlfriend"
    EX_SPOUSE = "ex_spouse"
    EX_RELATIONSHIP = "ex_relationship"
    PARENT = "parent"
    CHILD = "child"
    SIBLING = "sibling"
    STEPPARENT = "stepparent"
    STEPCHILD = "stepchild"
    STEPSIBLING = "stepsibling"
    GRANDPARENT = "grandparent"
    GRANDCHILD = "grandchild"
    IN_LAW = "in_law"
    OTHER_FAMILY = "other_family"
    CHILD_OF_BOYFRIEND_GIRLFRIEND = "child_of_boyfriend_girlfriend"
    ACQUAINTANCE = "acquaintance"
    FRIEND = "friend"
    NEIGHBOR = "neighbor"
    BABYSITTEE = "babysittee"
    EMPLOYER = "employer"
    EMPLOYEE = "employee"
    OTHERWISE_KNOWN = "otherwise_known"
    STRANGER = "stranger"
    UNKNOWN = "unknown"
    VICTIM_WAS_OFFENDER = "victim_was_offender"


INTIMATE: frozenset[Relationship] = frozenset(
    {
        Relationship.SPOUSE,
        Relationship.COMMON_LAW_SPOUSE,
        Relationship.BOYFRIEND_GIRLFRIEND,
        Relationship.EX_SPOUSE,
        Relationship.EX_RELATIONSHIP,
    }
)
FAMILY: frozenset[Relationship] = frozenset(
    {
        Relationship.PARENT,
        Relationship.CHILD,
        Relationship.SIBLING,
        Relationship.STEPPARENT,
        Relationship.STEPCHILD,
        Relationship.STEPSIBLING,
        Relationship.GRANDPARENT,
        Relationship.GRANDCHILD,
        Relationship.IN_LAW,
        Relationship.OTHER_FAMILY,
        # A partner's child lives in the household the violence happens in.
        Relationship.CHILD_OF_BOYFRIEND_GIRLFRIEND,
    }
)
DOMESTIC: frozenset[Relationship] = INTIMATE | FAMILY


class PersonAge(Model):
    """An age as police record it: exact years, a range, or a code ("NN", "BB", "00")."""

    years: int | None = Field(default=None, ge=0)
    minimum: int | None = Field(default=None, ge=0)
    maximum: int | None = Field(default=None, ge=0)
    code: str | None = Field(default=None, description="The age code as written, if any.")

    def could_be_under(self, limit: int) -> bool:
        """True when the recorded age admits being younger than `limit`; an unknown age
        admits nothing, so it never raises a flag on its own."""
        if self.years is not None:
            return self.years < limit
        return self.minimum is not None and self.minimum < limit


class IncidentPerson(Model):
    key: str = Field(description="The person's id inside the police document.")
    given_name: str | None = None
    middle_name: str | None = None
    family_name: str | None = None
    date_of_birth: date | None = None
    age: PersonAge | None = None
    identifiers: dict[str, str] = Field(default_factory=dict)


class Offense(Model):
    key: str
    ucr_code: str = Field(description="NIBRS UCR offense code, e.g. 13B; raw when unknown.")
    attempted: bool | None = None
    force_codes: list[str] = Field(default_factory=list)


class IncidentVictim(Model):
    person: str
    category: str | None = Field(default=None, description="NIBRS victim type, e.g. I.")
    injury_codes: list[str] = Field(default_factory=list)
    circumstance_codes: list[str] = Field(default_factory=list)
    offenses: list[str] = Field(
        default_factory=list,
        description="Keys of the offenses against this victim; empty when not stated.",
    )


class IncidentSubject(Model):
    person: str


class IncidentArrestee(Model):
    person: str
    armed_with_codes: list[str] = Field(default_factory=list)


class Arrest(Model):
    arrest_number: str | None = None
    arrested_on: date | None = None
    charge_codes: list[str] = Field(default_factory=list)
    arrestees: list[str] = Field(default_factory=list, description="Person keys.")


class VictimSubjectRelationship(Model):
    victim: str
    subject: str
    raw: str = Field(description="The relationship token as written.")
    relationship: Relationship | None = None


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class PoliceIncident(Model):
    incident_number: str = Field(min_length=1)
    incident_date: date | None = Field(
        default=None, description="As given; the report date when date_is_report_date."
    )
    date_precision: DatePrecision = DatePrecision.DAY
    date_is_report_date: bool = Field(
        default=False,
        description="The police gave the day it was reported, not the day it happened.",
    )
    offenses: list[Offense] = Field(default_factory=list)
    persons: dict[str, IncidentPerson] = Field(default_factory=dict)
    victims: list[IncidentVictim] = Field(default_factory=list)
    subjects: list[IncidentSubject] = Field(default_factory=list)
    arrestees: list[IncidentArrestee] = Field(default_factory=list)
    arrests: list[Arrest] = Field(default_factory=list)
    relationships: list[VictimSubjectRelationship] = Field(default_factory=list)
    domestic_violence: bool = False
    flags: list[RiskFlag] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @property
    def occurred_on(self) -> date | None:
        """The day it happened, when the police said so (not a report date)."""
        return None if self.date_is_report_date else self.incident_date

    def offense_codes(self) -> list[str]:
        """Offense codes, then arrest charges not among them (an arrest-only report has
        no offenses, only charges), each once, in document order."""
        codes = [o.ucr_code for o in self.offenses]
        codes += [c for arrest in self.arrests for c in arrest.charge_codes]
        return list(dict.fromkeys(codes))

    def involved_persons(self) -> list[IncidentPerson]:
        """Subjects and arrestees: the people the incident is about as offenders."""
        keys = [s.person for s in self.subjects] + [a.person for a in self.arrestees]
        return [self.persons[k] for k in dict.fromkeys(keys) if k in self.persons]

    def on_or_after(self, since: date) -> bool:
        """Whether the incident may fall on or after `since`. A month or year date counts
        when any day of it could, and an undated incident counts: missing a new incident
        is the costly mistake."""
        if self.incident_date is None:
            return True
        return _last_day(self.incident_date, self.date_precision) >= since

    def summary(self) -> Incident:
        return Incident(
            incident_number=self.incident_number,
            occurred_on=self.occurred_on,
            offense_codes=self.offense_codes(),
            flags=sorted(set(self.flags)),
            domestic_violence=self.domestic_violence,
            arrested=bool(self.arrests or self.arrestees),
        )


def _last_day(day: date, precision: DatePrecision) -> date:
    if precision is DatePrecision.YEAR:
        return date(day.year, 12, 31)
    if precision is DatePrecision.MONTH:
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day
