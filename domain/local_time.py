"""Dates and times as a person in the jurisdiction reads them (DESIGN §8): stored times
stay UTC, and everything written for a person (a report, a page, a message) says them in
the jurisdiction's time zone with its abbreviation, e.g. "4 May 2026, 11:30 CDT".

Day-month-year with the month in words reads one way in every country a court may sit
in; "05/04/2026" does not.
"""

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

# Spelled out here, not by strftime("%B"), whose month names follow the process locale:
# one report must read the same on every machine.
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@lru_cache(maxsize=64)
def zone(timezone: str) -> ZoneInfo:
    """The zone by IANA name; an unknown name raises (`Jurisdiction` refuses them first)."""
    return ZoneInfo(timezone)


def local(at: datetime, timezone: str) -> datetime:
    """`at` in the jurisdiction's zone. A naive time is taken as UTC, as stored."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=ZoneInfo("UTC"))
    return at.astimezone(zone(timezone))


def abbreviation(at: datetime, timezone: str) -> str:
    """The zone's abbreviation at that moment ("CDT", "NZST"); zones without one (tzdata
    writes "+07") read as an offset from UTC ("UTC+07")."""
    name = local(at, timezone).tzname() or ""
    return f"UTC{name}" if name[:1] in "+-" else name


def day_text(day: date | datetime, timezone: str | None = None) -> str:
    """A calendar day in words: "4 May 2026". A datetime is first moved to the zone, so a
    time late on the 4th UTC may be the 5th where the court sits."""
    if isinstance(day, datetime):
        day = local(day, timezone or "UTC").date()
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def moment_text(at: datetime, timezone: str) -> str:
    """A moment in words: "4 May 2026, 11:30 CDT"."""
    here = local(at, timezone)
    return f"{day_text(here.date())}, {here:%H:%M} {abbreviation(at, timezone)}"
