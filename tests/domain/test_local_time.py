"""What a person reads is the jurisdiction's own date and time."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.local_time import local_date, local_time

DUE = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("timezone", "date", "time"),
    [
        ("Pacific/Auckland", "Tue 3 Mar 2026", "Tue 3 Mar 2026, 04:00 NZDT"),
        ("Pacific/Honolulu", "Mon 2 Mar 2026", "Mon 2 Mar 2026, 05:00 HST"),
        ("America/Chicago", "Mon 2 Mar 2026", "Mon 2 Mar 2026, 09:00 CST"),
        ("UTC", "Mon 2 Mar 2026", "Mon 2 Mar 2026, 15:00 UTC"),
    ],
)
def test_a_moment_reads_in_the_jurisdictions_zone(timezone: str, date: str, time: str) -> None:
    assert local_date(DUE, timezone) == date
    assert local_time(DUE, timezone) == time


def test_summer_time_changes_the_abbreviation() -> None:
    july = datetime(2026, 7, 2, 15, 0, tzinfo=UTC)
    assert local_time(july, "Pacific/Auckland") == "Fri 3 Jul 2026, 03:00 NZST"
    assert local_time(july, "America/Chicago") == "Thu 2 Jul 2026, 10:00 CDT"


@given(st.datetimes(timezones=st.just(UTC)))
def test_the_date_is_the_start_of_the_time(moment: datetime) -> None:
    for zone in ("Pacific/Auckland", "Pacific/Honolulu"):
        assert local_time(moment, zone).startswith(local_date(moment, zone) + ", ")
