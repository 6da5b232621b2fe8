"""Quiet hours (issue 15): the local hours in which no message goes to a participant.

A participant's reminder due at 02:00 waits, by a durable timer, until the morning. Only
the workflow's clock and the jurisdiction's zone decide, so replay reaches the same
moment. Staff messages never wait (see README, "Who is told what").
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from domain.local_time import in_zone


class QuietHours(BaseModel):
    """From `start` to `end`, local time; over midnight when `start` is after `end`.
    Equal times mean none. A jurisdiction that names none gets 21:00 to 08:00."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: time = time(21, 0)
    end: time = time(8, 0)

    def holds(self, moment: datetime, timezone: str) -> bool:
        """Whether `moment` falls in quiet hours, as the jurisdiction's clocks read it."""
        now = in_zone(moment, timezone).time().replace(tzinfo=None)
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= now < self.end
        return now >= self.start or now < self.end

    def ends_after(self, moment: datetime, timezone: str) -> datetime | None:
        """When quiet hours holding `moment` end (a moment with the zone's offset), or
        None when `moment` is not in quiet hours."""
        if not self.holds(moment, timezone):
            return None
        local = in_zone(moment, timezone)
        day = local.date()
        if local.time().replace(tzinfo=None) >= self.end:
            day += timedelta(days=1)  # in the evening: quiet until tomorrow's end
        ends = datetime.combine(day, self.end, tzinfo=ZoneInfo(timezone))
        # A clock change can make the end exist twice or not at all: take the first
        # moment on or after it, never one before `moment`.
        return max(ends, local)

    def next_start(self, moment: datetime, timezone: str) -> datetime | None:
        """When quiet hours next begin after `moment` (None when there are none): a
        message still being retried then stops, and is tried again when they end."""
        if self.start == self.end:
            return None
        local = in_zone(moment, timezone)
        begins = datetime.combine(local.date(), self.start, tzinfo=ZoneInfo(timezone))
        if begins <= local:
            begins = datetime.combine(
                local.date() + timedelta(days=1), self.start, tzinfo=ZoneInfo(timezone)
            )
        return begins
