"""How often a case asks the court about a filing it only received
(`AnswerCadence.next_ask`, domain/policy.py): hourly for the first hours, then on a
fixed step counted from the filing, at and after each boundary."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.policy import AnswerCadence

FILED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("hours_since", "next_in_hours"),
    [
        (0, 1),
        (0.5, 1),
        (1, 2),
        (23, 24),
        (23.99, 24),
        (24, 48),  # the first day is over: the next ask is a day on
        (30, 48),
        (47.99, 48),
        (48, 72),
        (100, 120),
    ],
)
def test_the_default_asks_hourly_for_a_day_then_daily(
    hours_since: float, next_in_hours: float
) -> None:
    assert AnswerCadence().next_ask(FILED, FILED + hours_since * HOUR) == (
        FILED + next_in_hours * HOUR
    )


def test_after_the_hourly_hours_the_step_counts_from_their_end() -> None:
    cadence = AnswerCadence(hourly_for_hours=6, then_every_hours=8)
    assert cadence.next_ask(FILED, FILED + 5.5 * HOUR) == FILED + 6 * HOUR
    assert cadence.next_ask(FILED, FILED + 6 * HOUR) == FILED + 14 * HOUR
    assert cadence.next_ask(FILED, FILED + 13 * HOUR) == FILED + 14 * HOUR
    assert cadence.next_ask(FILED, FILED + 14 * HOUR) == FILED + 22 * HOUR


@pytest.mark.parametrize("hours_since", [0, 0.25, 1, 2.5, 24, 49, 200])
def test_the_next_ask_is_always_after_now_and_at_most_a_step_later(hours_since: float) -> None:
    cadence = AnswerCadence(hourly_for_hours=2, then_every_hours=12)
    now = FILED + hours_since * HOUR
    ask = cadence.next_ask(FILED, now)
    assert now < ask <= now + (HOUR if now - FILED < 2 * HOUR else 12 * HOUR)
