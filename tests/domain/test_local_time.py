"""Dates and times in the jurisdiction's zone, with its abbreviation; stored times UTC."""

from datetime import UTC, date, datetime

from domain.local_time import abbreviation, day_text, local, moment_text


def test_a_moment_reads_in_the_zone_with_its_abbreviation() -> None:
    at = datetime(2026, 5, 4, 16, 30, tzinfo=UTC)
    assert moment_text(at, "America/Chicago") == "4 May 2026, 11:30 CDT"
    assert moment_text(at, "Pacific/Auckland") == "5 May 2026, 04:30 NZST"


def test_daylight_saving_changes_the_abbreviation() -> None:
    winter = datetime(2026, 1, 15, 18, 0, tzinfo=UTC)
    assert moment_text(winter, "America/Chicago") == "15 January 2026, 12:00 CST"


def test_a_zone_without_letters_reads_as_an_offset() -> None:
    at = datetime(2026, 5, 4, 16, 30, tzinfo=UTC)
    assert abbreviation(at, "Asia/Ho_Chi_Minh") == "UTC+07"
    assert moment_text(at, "Asia/Ho_Chi_Minh") == "4 May 2026, 23:30 UTC+07"


def test_a_day_is_the_day_where_the_court_sits() -> None:
    late_utc = datetime(2026, 5, 4, 23, 0, tzinfo=UTC)
    assert day_text(late_utc, "UTC") == "4 May 2026"
    assert day_text(late_utc, "Pacific/Auckland") == "5 May 2026"
    assert day_text(date(2026, 12, 1)) == "1 December 2026"


def test_a_naive_time_is_taken_as_utc_as_stored() -> None:
    naive = datetime(2026, 5, 4, 16, 30)
    assert local(naive, "America/Chicago") == local(naive.replace(tzinfo=UTC), "America/Chicago")
