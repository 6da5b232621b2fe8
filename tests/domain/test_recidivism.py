"""Re-arrests after closure (domain/recidivism.py), without a workflow: severity by the
UCR code, DV and other counted apart, arrests only, and the follow-up months."""

from datetime import UTC, date, datetime

import pytest

from domain.recidivism import Severity, follow_up_check, months_after, severity
from domain.referral import Incident

AT = datetime(2027, 6, 30, 12, 0, tzinfo=UTC)


def incident(
    number: str,
    *codes: str,
    dv: bool = True,
    arrested: bool = True,
    on: date | None = date(2027, 3, 1),
) -> Incident:
    return Incident(
        incident_number=number,
        offense_codes=list(codes),
        domestic_violence=dv,
        arrested=arrested,
        occurred_on=on,
    )


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["13A"], Severity.VIOLENT_FELONY),
        (["09a"], Severity.VIOLENT_FELONY),  # codes are read in any case
        (["13B"], Severity.VIOLENT_MISDEMEANOR),
        (["13c", "23H"], Severity.VIOLENT_MISDEMEANOR),
        (["13B", "120"], Severity.VIOLENT_FELONY),  # the most serious wins
        (["23H"], Severity.OTHER),
        ([], Severity.OTHER),
    ],
)
def test_severity_is_the_most_serious_code(codes: list[str], expected: Severity) -> None:
    assert severity(incident("n", *codes)) is expected


def test_arrests_only_counted_dv_and_other_apart_with_their_worst_severity() -> None:
    check = follow_up_check(
        12,
        AT,
        [
            incident("I-3", "13B"),
            incident("I-1", "13A"),
            incident("I-2", "23H", dv=False),
            incident("I-4", "13A", arrested=False),  # no arrest: not a re-arrest
            incident("I-5", "13A", on=date(2027, 7, 1)),  # after the check
            incident("I-6", "35A", dv=False, on=None),  # undated: found by now, counts
        ],
    )
    assert check.months == 12 and check.checked_at == AT
    assert (check.dv_rearrests, check.other_rearrests) == (2, 2)
    assert check.most_serious_dv is Severity.VIOLENT_FELONY
    assert check.most_serious_other is Severity.OTHER
    assert check.incident_numbers == ["I-1", "I-2", "I-3", "I-6"]


def test_an_incident_on_the_day_of_the_check_counts() -> None:
    check = follow_up_check(6, AT, [incident("I-1", "13B", on=AT.date())])
    assert check.dv_rearrests == 1
    assert check.most_serious_dv is Severity.VIOLENT_MISDEMEANOR


def test_no_rearrest_has_no_severity() -> None:
    check = follow_up_check(24, AT, [incident("I-1", "13A", arrested=False)])
    assert (check.dv_rearrests, check.other_rearrests) == (0, 0)
    assert check.most_serious_dv is None and check.most_serious_other is None
    assert check.incident_numbers == []


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2026, 1, 15, 9, 30, tzinfo=UTC), 6, datetime(2026, 7, 15, 9, 30, tzinfo=UTC)),
        (datetime(2026, 8, 31, tzinfo=UTC), 6, datetime(2027, 2, 28, tzinfo=UTC)),
        (datetime(2027, 8, 31, tzinfo=UTC), 6, datetime(2028, 2, 29, tzinfo=UTC)),  # leap
        (datetime(2026, 12, 1, tzinfo=UTC), 12, datetime(2027, 12, 1, tzinfo=UTC)),
        (datetime(2026, 11, 30, tzinfo=UTC), 1, datetime(2026, 12, 30, tzinfo=UTC)),
        (datetime(2026, 12, 31, tzinfo=UTC), 24, datetime(2028, 12, 31, tzinfo=UTC)),
        (datetime(2026, 5, 31, tzinfo=UTC), 0, datetime(2026, 5, 31, tzinfo=UTC)),
    ],
)
def test_months_after_is_the_same_day_or_the_months_last(
    start: datetime, months: int, expected: datetime
) -> None:
    assert months_after(start, months) == expected
