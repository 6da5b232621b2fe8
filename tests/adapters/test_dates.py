from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from adapters.dates import BadDate, Precision, read_date


@pytest.mark.parametrize(
    ("text", "day", "precision", "at"),
    [
        ("2026-03-14", date(2026, 3, 14), Precision.DAY, None),
        ("2026-03-14-05:00", date(2026, 3, 14), Precision.DAY, None),
        ("2026-03-14Z", date(2026, 3, 14), Precision.DAY, None),
        ("2026-03-14T09:30:00", date(2026, 3, 14), Precision.INSTANT, datetime(2026, 3, 14, 9, 30)),
        (
            "2026-03-14T09:30:00Z",
            date(2026, 3, 14),
            Precision.INSTANT,
            datetime(2026, 3, 14, 9, 30, tzinfo=UTC),
        ),
        (
            "2026-03-14T23:30:15.123456789-05:00",
            date(2026, 3, 14),
            Precision.INSTANT,
            datetime(2026, 3, 14, 23, 30, 15, 123456, tzinfo=timezone(timedelta(hours=-5))),
        ),
        ("2026-03-14T09:30", date(2026, 3, 14), Precision.INSTANT, datetime(2026, 3, 14, 9, 30)),
        ("2026-03", date(2026, 3, 1), Precision.MONTH, None),
        ("2026", date(2026, 1, 1), Precision.YEAR, None),
        ("  2026-03-14\n", date(2026, 3, 14), Precision.DAY, None),
    ],
)
def test_every_form_reads_with_its_precision(
    text: str, day: date, precision: Precision, at: datetime | None
) -> None:
    reading = read_date(text)
    assert (reading.day, reading.precision, reading.at) == (day, precision, at)
    assert reading.exact_day == (precision in (Precision.DAY, Precision.INSTANT))


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("14/03/2026", "is not a date"),
        ("2026-02-30", "is not a real date"),
        ("2026-13", "is not a real date"),
        ("2026-03-14T25:00:00", "is not a real date"),
        ("2026-03-14T10:00:00+15:00", "out of range"),
        ("", "is not a date"),
    ],
)
def test_bad_dates_say_what_is_wrong(text: str, why: str) -> None:
    with pytest.raises(BadDate, match=why):
        read_date(text)
