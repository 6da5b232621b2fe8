"""Dates as the people of a jurisdiction read them (DESIGN §8): in its own time zone,
with the zone's abbreviation where a time of day is shown. Stored times stay UTC; only
what a person reads is local. One form everywhere a person reads a date: a reminder, a
page, a court report.

A due date of 2026-03-02 15:00 UTC is "Tue 3 Mar 2026" in Auckland and "Mon 2 Mar 2026"
in Honolulu: printed in UTC it would be a day off for one of them.
"""

from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo

# Spelled out here rather than by strftime's %a and %b, which follow the process locale:
# a court report must read, and render to bytes, the same on every machine.
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@cache
def _zone(timezone: str) -> ZoneInfo:
    return ZoneInfo(timezone)


def in_zone(moment: datetime, timezone: str) -> datetime:
    """`moment` in the zone; a naive time is taken as UTC, as times are stored."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_zone(timezone))


def local_date(moment: datetime | date, timezone: str) -> str:
    """The calendar day, e.g. "Tue 3 Mar 2026". A `date` is already a day where it was
    recorded (an incident's, say) and is written as it is."""
    day = in_zone(moment, timezone).date() if isinstance(moment, datetime) else moment
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def local_time(moment: datetime, timezone: str) -> str:
    """The day and the time of day with the zone's abbreviation, e.g.
    "Tue 3 Mar 2026, 04:00 NZDT"."""
    local = in_zone(moment, timezone)
    return f"{local_date(moment, timezone)}, {local:%H:%M} {abbreviation(moment, timezone)}"


def abbreviation(moment: datetime, timezone: str) -> str:
    """The zone's abbreviation then ("CDT", "NZST"); a zone without one (tzdata writes
    "+07") reads as an offset from UTC ("UTC+07")."""
    name = in_zone(moment, timezone).tzname() or ""
    return f"UTC{name}" if name[:1] in "+-" else name
