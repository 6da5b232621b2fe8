"""Quiet hours (issue 15): when a participant's message waits, and until when, in the
jurisdiction's own clock."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.policy import DEMO_FILE, Policy, load_jurisdictions, parse_jurisdictions
from domain.quiet_hours import QuietHours
from tests.domain.test_policy import MINIMAL

NIGHT = QuietHours()  # 21:00 to 08:00
CHICAGO = "America/Chicago"


def at(zone: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize(
    ("local", "held_until"),
    [
        ((2026, 3, 2, 2, 0), (2026, 3, 2, 8, 0)),  # small hours: until this morning
        ((2026, 3, 2, 21, 0), (2026, 3, 3, 8, 0)),  # its first minute: until tomorrow
        ((2026, 3, 2, 23, 59), (2026, 3, 3, 8, 0)),
        ((2026, 3, 2, 7, 59), (2026, 3, 2, 8, 0)),
    ],
)
def test_a_message_in_quiet_hours_waits_for_their_end(
    local: tuple[int, int, int, int, int], held_until: tuple[int, int, int, int, int]
) -> None:
    moment = at(CHICAGO, *local).astimezone(UTC)  # as the workflow's clock gives it
    assert NIGHT.holds(moment, CHICAGO)
    assert NIGHT.ends_after(moment, CHICAGO) == at(CHICAGO, *held_until)


@pytest.mark.parametrize("local", [(2026, 3, 2, 8, 0), (2026, 3, 2, 12, 0), (2026, 3, 2, 20, 59)])
def test_a_message_in_the_day_goes_at_once(local: tuple[int, int, int, int, int]) -> None:
    moment = at(CHICAGO, *local).astimezone(UTC)
    assert not NIGHT.holds(moment, CHICAGO)
    assert NIGHT.ends_after(moment, CHICAGO) is None


def test_the_same_moment_is_quiet_in_one_zone_and_not_another() -> None:
    moment = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # 03:00 in Tonga, 04:00 in Honolulu
    assert NIGHT.ends_after(moment, "Pacific/Tongatapu") == at("Pacific/Tongatapu", 2026, 3, 3, 8)
    assert NIGHT.ends_after(moment, "Pacific/Honolulu") == at("Pacific/Honolulu", 2026, 3, 2, 8)
    assert not NIGHT.holds(moment, "Europe/London")  # 14:00


def test_hours_within_one_day_and_none_at_all() -> None:
    lunch = QuietHours(start=time(12, 0), end=time(13, 30))
    assert lunch.ends_after(at(CHICAGO, 2026, 3, 2, 12, 15), CHICAGO) == at(
        CHICAGO, 2026, 3, 2, 13, 30
    )
    assert not lunch.holds(at(CHICAGO, 2026, 3, 2, 13, 30), CHICAGO)
    never = QuietHours(start=time(8, 0), end=time(8, 0))
    assert never.ends_after(at(CHICAGO, 2026, 3, 2, 3, 0), CHICAGO) is None


def test_the_night_the_clocks_go_forward_ends_at_eight_local() -> None:
    # Chicago springs forward at 02:00 on 8 Mar 2026: the night is an hour shorter.
    moment = at(CHICAGO, 2026, 3, 8, 1, 30).astimezone(UTC)
    ends = NIGHT.ends_after(moment, CHICAGO)
    assert ends is not None and ends.astimezone(ZoneInfo(CHICAGO)).hour == 8
    assert ends - moment == timedelta(hours=5, minutes=30)


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    st.sampled_from(["America/Chicago", "Pacific/Tongatapu", "Pacific/Honolulu", "UTC"]),
)
def test_a_held_message_goes_out_at_the_end_and_never_earlier(moment: datetime, zone: str) -> None:
    ends = NIGHT.ends_after(moment, zone)
    if ends is None:
        assert not NIGHT.holds(moment, zone)
        return
    assert moment < ends <= moment + timedelta(hours=11)
    assert not NIGHT.holds(ends, zone)
    assert ends.astimezone(ZoneInfo(zone)).time() == time(8, 0)


def test_a_jurisdiction_names_its_quiet_hours_in_local_time() -> None:
    text = MINIMAL.replace(
        "incident_check_every_days = 7",
        'incident_check_every_days = 7\nquiet_hours = { start = "22:00", end = "07:30" }',
    )
    policy = parse_jurisdictions(text)["lakeshore"].policy
    assert policy.quiet_hours == QuietHours(start=time(22, 0), end=time(7, 30))


def test_the_demo_and_a_policy_kept_before_quiet_hours_read_night_hours() -> None:
    assert load_jurisdictions(DEMO_FILE)["demo"].policy.quiet_hours == NIGHT
    # A snapshot in a stored history has no quiet_hours: it still decodes.
    kept = load_jurisdictions(DEMO_FILE)["demo"].policy.model_dump(exclude={"quiet_hours"})
    assert Policy.model_validate(kept).quiet_hours == NIGHT


@pytest.mark.parametrize(
    ("local", "begins"),
    [
        ((2026, 3, 2, 8, 0), (2026, 3, 2, 21, 0)),  # in the day: tonight
        ((2026, 3, 2, 20, 59), (2026, 3, 2, 21, 0)),
        ((2026, 3, 2, 21, 0), (2026, 3, 3, 21, 0)),  # their first minute: the next night
        ((2026, 3, 3, 2, 0), (2026, 3, 3, 21, 0)),
    ],
)
def test_a_retried_message_stops_when_quiet_hours_next_begin(
    local: tuple[int, int, int, int, int], begins: tuple[int, int, int, int, int]
) -> None:
    assert NIGHT.next_start(at(CHICAGO, *local), CHICAGO) == at(CHICAGO, *begins)
    assert QuietHours(start=time(9), end=time(9)).next_start(at(CHICAGO, *local), CHICAGO) is None


# --- the exact boundaries (mutation testing; docs/mutation.md) --------------------------


def test_hours_within_one_day_hold_from_their_first_minute_to_just_before_their_end() -> None:
    lunch = QuietHours(start=time(12, 0), end=time(13, 30))
    first = at(CHICAGO, 2026, 3, 2, 12, 0)
    assert lunch.holds(first, CHICAGO)
    assert lunch.ends_after(first, CHICAGO) == at(CHICAGO, 2026, 3, 2, 13, 30)
    last = at(CHICAGO, 2026, 3, 2, 13, 29) + timedelta(seconds=59, microseconds=999_999)
    assert lunch.ends_after(last, CHICAGO) == at(CHICAGO, 2026, 3, 2, 13, 30)
    assert not lunch.holds(first - timedelta(microseconds=1), CHICAGO)


def test_a_night_holds_from_its_first_moment_to_the_last_before_morning() -> None:
    start = at(CHICAGO, 2026, 3, 2, 21, 0)
    assert not NIGHT.holds(start - timedelta(microseconds=1), CHICAGO)
    assert NIGHT.ends_after(start, CHICAGO) == at(CHICAGO, 2026, 3, 3, 8, 0)
    midnight = at(CHICAGO, 2026, 3, 3, 0, 0)
    assert NIGHT.ends_after(midnight, CHICAGO) == at(CHICAGO, 2026, 3, 3, 8, 0)
    morning = at(CHICAGO, 2026, 3, 3, 8, 0)
    assert NIGHT.ends_after(morning - timedelta(microseconds=1), CHICAGO) == morning
    assert NIGHT.ends_after(morning, CHICAGO) is None


@pytest.mark.parametrize("hour", [0, 8, 12, 23])
def test_equal_start_and_end_mean_no_quiet_hours_at_any_time(hour: int) -> None:
    never = QuietHours(start=time(hour, 0), end=time(hour, 0))
    for minutes in range(0, 24 * 60, 30):
        moment = at(CHICAGO, 2026, 3, 2) + timedelta(minutes=minutes)
        assert not never.holds(moment, CHICAGO)
        assert never.ends_after(moment, CHICAGO) is None
