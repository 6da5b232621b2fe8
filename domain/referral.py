"""What a court sends us: the referral, its parties, charges and court details."""

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


# Whitespace controls separate words as a space does. Every other character of the
# Unicode categories C* (controls such as NUL, format characters such as the bidi
# overrides and zero-width spaces, surrogates, private-use and unassigned ones) is refused.
_SEPARATING_CONTROLS = frozenset("\t\n\x0b\x0c\r")


def normalise_case_number(case_number: str) -> str:
    """The case number as a case id holds it: NFKC, case-folded, its words of letters
    and digits of any script (with their combining marks) joined by single hyphens.

        'CR-2026/00417 ', 'cr 2026 00417', the same in full-width forms -> 'cr-2026-00417'
        'Ж-1' -> 'ж-1'    'Щ-1' -> 'щ-1'    'ß-1', 'SS 1' -> 'ss-1'
        'कि-1' -> 'कि-1' (the vowel sign stays with its letter)    '事件 12' -> '事件-12'

    A case number of ASCII letters, digits and punctuation keeps the id it always had.
    Control and format characters (NUL, bidi overrides, zero-width spaces) are refused:
    invisible, they would let two numbers that read alike name two cases."""
    for at, char in enumerate(case_number):
        if unicodedata.category(char)[0] == "C" and char not in _SEPARATING_CONTROLS:
            raise ValueError(
                f"court case number {case_number!r} holds U+{ord(char):04X} "
                f"({unicodedata.name(char, '') or 'a control'}) at position {at}: control and "
                "format characters (NUL, bidi controls, zero-width characters) are not accepted"
            )
    normalised = "-".join(case_number_words(case_number))
    if not normalised:
        raise ValueError(f"court case number {case_number!r} has no letters or digits")
    return normalised


def case_number_words(case_number: str) -> list[str]:
    """The words `normalise_case_number` joins, whatever characters it would refuse."""
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", case_number).casefold())
    words: list[str] = []
    word = ""
    for char in text:
        if char.isalnum() or (word and unicodedata.category(char)[0] == "M"):
            word += char
        else:
            words += [word] if word else []
            word = ""
    return words + ([word] if word else [])


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
        # than failing when the case starts. Characters `normalise_case_number` refuses
        # are refused where referrals come in (api/referral_intake.py, the court
        # adapters), not here: a case started before that rule must still replay.
        if not case_number_words(case_number):
            raise ValueError(f"court case number {case_number!r} has no letters or digits")
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
