"""Dates as the people of a jurisdiction read them (DESIGN §8): in its own time zone,
with the zone's abbreviation where a time of day is shown. Stored times stay UTC; only
what a person reads is local.

A due date of 2026-03-02 15:00 UTC is "Tue 3 Mar 2026" in Auckland and "Mon 2 Mar 2026"
in Honolulu: printed in UTC it would be a day off for one of them.
"""

from datetime import datetime
from zoneinfo import ZoneInfo


def in_zone(moment: datetime, timezone: str) -> datetime:
    return moment.astimezone(ZoneInfo(timezone))


def local_date(moment: datetime, timezone: str) -> str:
    """The calendar day, e.g. "Tue 3 Mar 2026"."""
    local = in_zone(moment, timezone)
    return f"{local:%a} {local.day} {local:%b %Y}"


def local_time(moment: datetime, timezone: str) -> str:
    """The day and the time of day with the zone's abbreviation, e.g.
    "Tue 3 Mar 2026, 04:00 NZDT"."""
    local = in_zone(moment, timezone)
    return f"{local_date(moment, timezone)}, {local:%H:%M %Z}"
