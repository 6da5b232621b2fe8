"""Dates as courts and police write them: with or without an offset, date-only,
date-time, year-month and year alone (xs:date, xs:dateTime, xs:gYearMonth, xs:gYear and
their NIEM wrappers nc:Date, nc:DateTime, nc:YearMonthDate, nc:YearDate).

A reading keeps its precision, so a caller that needs a calendar day can say in a
warning that "2026-03" was read as 1 March rather than invent a day silently.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    INSTANT = "instant"


@dataclass(frozen=True)
class DateReading:
    day: date
    """The calendar day as written (the first of the month or year when less precise)."""
    precision: Precision
    at: datetime | None = None
    """The instant, for a date-time; aware when the text had an offset, else naive."""
    raw: str = ""

    @property
    def exact_day(self) -> bool:
        return self.precision in (Precision.DAY, Precision.INSTANT)


class BadDate(ValueError):
    pass


_OFFSET = r"(?P<tz>Z|[+-]\d{2}:\d{2})?"
_YEAR = re.compile(r"^(?P<y>\d{4})" + _OFFSET + "$")
_YEAR_MONTH = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})" + _OFFSET + "$")
_DAY = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})" + _OFFSET + "$")
_INSTANT = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})T(?P<h>\d{2}):(?P<mi>\d{2})"
    r"(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,9}))?)?" + _OFFSET + "$"
)


def read_date(text: str) -> DateReading:
    """Any of the forms above; `BadDate` names what was wrong with the text."""
    raw = text.strip()
    try:
        if m := _INSTANT.match(raw):
            fraction = (m["f"] or "0")[:6].ljust(6, "0")
            at = datetime(
                int(m["y"]),
                int(m["m"]),
                int(m["d"]),
                int(m["h"]),
                int(m["mi"]),
                int(m["s"] or 0),
                int(fraction),
                tzinfo=_zone(m["tz"]),
            )
            return DateReading(at.date(), Precision.INSTANT, at, raw)
        if m := _DAY.match(raw):
            return DateReading(date(int(m["y"]), int(m["m"]), int(m["d"])), Precision.DAY, raw=raw)
        if m := _YEAR_MONTH.match(raw):
            return DateReading(date(int(m["y"]), int(m["m"]), 1), Precision.MONTH, raw=raw)
        if m := _YEAR.match(raw):
            return DateReading(date(int(m["y"]), 1, 1), Precision.YEAR, raw=raw)
    except ValueError as e:
        raise BadDate(f"{raw!r} is not a real date: {e}") from None
    raise BadDate(
        f"{raw!r} is not a date; expected YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss][offset], "
        "YYYY-MM or YYYY"
    )


def _zone(tz: str | None) -> timezone | None:
    if tz is None:
        return None
    if tz == "Z":
        return UTC
    sign = 1 if tz[0] == "+" else -1
    hours, minutes = int(tz[1:3]), int(tz[4:6])
    if hours > 14 or minutes > 59:
        raise ValueError(f"offset {tz} is out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
