"""What a person reads is the jurisdiction's own date and time."""

import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

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


def test_a_zone_without_letters_reads_as_an_offset() -> None:
    assert local_time(DUE, "Asia/Ho_Chi_Minh") == "Mon 2 Mar 2026, 22:00 UTC+07"


def test_a_recorded_day_is_written_as_it_is() -> None:
    assert local_date(date(2026, 12, 1), "Pacific/Auckland") == "Tue 1 Dec 2026"


def test_a_naive_time_is_taken_as_utc_as_stored() -> None:
    assert local_time(DUE.replace(tzinfo=None), "Pacific/Auckland") == (
        "Tue 3 Mar 2026, 04:00 NZDT"
    )


def test_a_naive_time_is_utc_whatever_the_servers_own_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Python reads a naive time in the machine's zone: a server kept in Kolkata time must
    still read stored times as UTC."""
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    try:
        assert local_time(DUE.replace(tzinfo=None), "UTC") == "Mon 2 Mar 2026, 15:00 UTC"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_time_given_in_another_zone_keeps_its_instant() -> None:
    in_auckland = DUE.astimezone(ZoneInfo("Pacific/Auckland"))
    assert local_time(in_auckland, "America/Chicago") == "Mon 2 Mar 2026, 09:00 CST"
