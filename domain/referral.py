"""What a court sends us: the referral, its parties, charges and court details."""

import re
import unicodedata
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from domain.enums import Plea, RiskFlag


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class VictimContact(Model):
    """Visible to the victim advocate role only (DESIGN §2 rule 3)."""

    phone: str | None = None
    email: str | None = None
    address: str | None = None
    safe_times_to_call: str | None = None


class Person(Model):
    given_name: str = Field(min_length=1)
    family_name: str = Field(min_length=1)
    date_of_birth: date | None = None
    identifiers: dict[str, str] = Field(
        default_factory=dict, description="Identifiers such as a state id, by scheme."
    )


class Participant(Person):
    """The person who caused harm. Their contact details are for reminders."""

    phone: str | None = None
    email: str | None = None


class Victim(Person):
    contact: VictimContact = Field(default_factory=VictimContact)


class SupportPerson(Model):
    name: str
    supports: str = Field(description="'victim' or 'participant'.")
    relationship: str | None = None


class Charge(Model):
    statute: str = Field(min_length=1)
    description: str = ""
    severity: str | None = Field(default=None, description="E.g. misdemeanor, felony.")
    offense_date: date | None = None
    domestic_violence: bool = True


class Hearing(Model):
    at: datetime
    purpose: str = ""


_CASE_NUMBER_JUNK = re.compile(r"[^a-z0-9]+")


def normalise_case_number(case_number: str) -> str:
    """'CR-2026/00417 ' and 'cr 2026 00417' are the same case."""
    normalised = _CASE_NUMBER_JUNK.sub(
        "-", unicodedata.normalize("NFKC", case_number).strip().lower()
    ).strip("-")
    if not normalised:
        raise ValueError(f"court case number {case_number!r} has no letters or digits")
    return normalised


def is_normal_case_number(text: str) -> bool:
    """Whether `text` is a court case number as `normalise_case_number` writes it: the
    part of a case id after its jurisdiction."""
    try:
        return normalise_case_number(text) == text
    except ValueError:
        return False


class CourtReference(Model):
    court_id: str = Field(min_length=1)
    case_number: str = Field(min_length=1)
    judge: str | None = None
    hearings: list[Hearing] = Field(default_factory=list)

    @field_validator("case_number")
    @classmethod
    def _names_a_case(cls, case_number: str) -> str:
        # The case's workflow id is made from it: refused here, with the referral, rather
        # than failing when the case starts.
        normalise_case_number(case_number)
        return case_number


class Incident(Model):
    """A police incident as the police adapter maps it."""

    incident_number: str
    occurred_on: date | None = None
    offense_codes: list[str] = Field(default_factory=list)
    flags: list[RiskFlag] = Field(default_factory=list)
    domestic_violence: bool = False
    arrested: bool = Field(
        default=False, description="Someone was arrested for it: after closure, a re-arrest."
    )


class Referral(Model):
    jurisdiction: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    court: CourtReference
    participant: Participant
    victim: Victim
    support_people: list[SupportPerson] = Field(default_factory=list)
    charges: list[Charge] = Field(min_length=1)
    plea: Plea = Plea.NONE
    referred_on: date | None = None
    referring_officer: str | None = None
    prior_rj_for_offence: bool = False
    notes: str = ""
    warnings: list[str] = Field(
        default_factory=list, description="Things an adapter could not map, kept raw."
    )

    @field_validator("charges")
    @classmethod
    def _at_least_one_dv_charge(cls, charges: list[Charge]) -> list[Charge]:
        if not any(c.domestic_violence for c in charges):
            raise ValueError("a diversion referral needs at least one domestic-violence charge")
        return charges
