"""Re-arrests after a case closes (DESIGN §3): the program's evidence of outcome.

At each follow-up (6, 12 and 24 months after closure by default, `Policy.
recidivism_follow_up_months`) the police are asked for incidents involving the
participant since the case closed; those with an arrest are re-arrests, counted
cumulatively from closure, domestic-violence and other apart, each with the severity of
its most serious offense.
"""

import calendar
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from domain.enums import Outcome
from domain.referral import Incident


class Severity(StrEnum):
    """The most serious offense of a re-arrest, by its NIBRS UCR code."""

    VIOLENT_FELONY = "violent_felony"
    VIOLENT_MISDEMEANOR = "violent_misdemeanor"
    OTHER = "other"


# Homicide, kidnapping, sex offenses, robbery and aggravated assault.
VIOLENT_FELONIES = frozenset(
    {"09A", "09B", "09C", "100", "11A", "11B", "11C", "11D", "120", "13A", "36A", "36B"}
)
VIOLENT_MISDEMEANORS = frozenset({"13B", "13C"})
_RANK = [Severity.OTHER, Severity.VIOLENT_MISDEMEANOR, Severity.VIOLENT_FELONY]


class FollowUpCheck(BaseModel):
    months: int
    checked_at: datetime
    dv_rearrests: int = Field(ge=0)
    other_rearrests: int = Field(ge=0)
    most_serious_dv: Severity | None = None
    most_serious_other: Severity | None = None
    incident_numbers: list[str] = Field(default_factory=list)


class FollowUpState(BaseModel):
    """A closed case's re-arrest follow-up: its months (policy) and the checks made."""

    case_id: str
    closed_at: datetime
    outcome: Outcome
    months: list[int]
    checks: list[FollowUpCheck] = Field(default_factory=list)


def severity(incident: Incident) -> Severity:
    codes = {code.upper() for code in incident.offense_codes}
    if codes & VIOLENT_FELONIES:
        return Severity.VIOLENT_FELONY
    if codes & VIOLENT_MISDEMEANORS:
        return Severity.VIOLENT_MISDEMEANOR
    return Severity.OTHER


def follow_up_check(months: int, at: datetime, incidents: Iterable[Incident]) -> FollowUpCheck:
    """The re-arrests among `incidents` (those since closure) up to the check, DV and
    other apart; an undated incident counts, as the police found it by now."""
    arrests = [
        i for i in incidents if i.arrested and (i.occurred_on is None or i.occurred_on <= at.date())
    ]
    dv = [i for i in arrests if i.domestic_violence]
    other = [i for i in arrests if not i.domestic_violence]
    return FollowUpCheck(
        months=months,
        checked_at=at,
        dv_rearrests=len(dv),
        other_rearrests=len(other),
        most_serious_dv=_most_serious(dv),
        most_serious_other=_most_serious(other),
        incident_numbers=sorted(i.incident_number for i in arrests),
    )


def _most_serious(incidents: list[Incident]) -> Severity | None:
    if not incidents:
        return None
    return max((severity(i) for i in incidents), key=_RANK.index)


def months_after(start: datetime, months: int) -> datetime:
    """The same day `months` calendar months later (the month's last day if shorter)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)
