"""Risk (DESIGN §3): instrument + score -> level, and flags from police incidents."""

import math
from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.enums import RISK_ORDER, RiskFlag, RiskLevel
from domain.policy import Policy, RiskBand, RiskInstrument
from domain.referral import Incident
from domain.risk import UnknownInstrument, at_least, flags_from_incidents, risk_level
from domain.task_payloads import RiskAssessment
from tests.domain.factories import DEMO

POLICY = DEMO.policy
LOW, MODERATE, HIGH, VERY_HIGH = (
    RiskLevel.LOW,
    RiskLevel.MODERATE,
    RiskLevel.HIGH,
    RiskLevel.VERY_HIGH,
)


def level(instrument: str, score: float, policy: Policy = POLICY) -> RiskLevel:
    return risk_level(RiskAssessment(instrument=instrument, score=score), policy)


# --- band edges ------------------------------------------------------------------------

EDGES = [
    # ODARA 0-13
    ("ODARA", 0, LOW),
    ("ODARA", 2, LOW),
    ("ODARA", 2.5, LOW),
    ("ODARA", 3, MODERATE),
    ("ODARA", 4, MODERATE),
    ("ODARA", 5, HIGH),
    ("ODARA", 6, HIGH),
    ("ODARA", 7, VERY_HIGH),
    ("ODARA", 13, VERY_HIGH),
    # Danger Assessment: <8, 8-13, 14-17, >=18
    ("DA", 0, LOW),
    ("DA", 7, LOW),
    ("DA", 7.99, LOW),
    ("DA", 8, MODERATE),
    ("DA", 13, MODERATE),
    ("DA", 13.5, MODERATE),
    ("DA", 14, HIGH),
    ("DA", 17, HIGH),
    ("DA", 18, VERY_HIGH),
    ("DA", 38, VERY_HIGH),
    # DASH: >=14 high
    ("DASH", 0, LOW),
    ("DASH", 9, LOW),
    ("DASH", 10, MODERATE),
    ("DASH", 13, MODERATE),
    ("DASH", 14, HIGH),
    ("DASH", 27, HIGH),
    # SARA summary rating 0/1/2
    ("SARA", 0, LOW),
    ("SARA", 1, MODERATE),
    ("SARA", 2, HIGH),
]


@pytest.mark.parametrize(("instrument", "score", "expected"), EDGES)
def test_level_at_band_edges(instrument: str, score: float, expected: RiskLevel) -> None:
    assert level(instrument, score) is expected


def test_dash_never_reaches_very_high() -> None:
    assert level("DASH", 27) is HIGH


@pytest.mark.parametrize(
    ("instrument", "score"),
    [
        ("ODARA", -1),
        ("ODARA", 13.5),
        ("ODARA", 14),
        ("DA", -0.5),
        ("DA", 39),
        ("DASH", 28),
        ("SARA", 3),
        ("SARA", -1),
    ],
)
def test_out_of_range_score_is_refused(instrument: str, score: float) -> None:
    with pytest.raises(ValueError, match=rf"{instrument} score .* is outside"):
        level(instrument, score)


@pytest.mark.parametrize("score", [math.inf, -math.inf])
def test_infinite_score_is_refused(score: float) -> None:
    with pytest.raises(ValueError):
        level("DA", score)


@pytest.mark.parametrize("instrument", ["B-SAFER", "CAADA", "Ontario"])
def test_unknown_instrument_is_refused_listing_accepted_ones(instrument: str) -> None:
    with pytest.raises(UnknownInstrument) as caught:
        level(instrument, 1)
    message = str(caught.value)
    assert repr(instrument) in message
    assert "DA, DASH, ODARA, SARA" in message


def test_unknown_instrument_is_a_value_error() -> None:
    assert issubclass(UnknownInstrument, ValueError)


def test_empty_instrument_name_is_refused_by_the_model() -> None:
    with pytest.raises(ValueError):
        RiskAssessment(instrument="", score=1)


def test_open_ended_instrument_accepts_any_score_above_min() -> None:
    policy = POLICY.model_copy(
        update={
            "risk_instruments": {
                "OPEN": RiskInstrument(
                    min_score=0,
                    bands=[RiskBand(from_score=0, level=LOW), RiskBand(from_score=5, level=HIGH)],
                )
            }
        }
    )
    assert level("OPEN", 1e9, policy) is HIGH
    assert level("OPEN", 4.9, policy) is LOW
    with pytest.raises(ValueError, match=r"outside 0\.\.inf"):
        level("OPEN", -1, policy)


def test_first_band_below_min_still_covers_min() -> None:
    instrument = RiskInstrument(
        min_score=2, max_score=10, bands=[RiskBand(from_score=0, level=MODERATE)]
    )
    policy = POLICY.model_copy(update={"risk_instruments": {"X": instrument}})
    assert level("X", 2, policy) is MODERATE


@given(st.sampled_from(sorted(POLICY.risk_instruments)), st.data())
def test_level_is_monotonic_in_score(instrument: str, data: st.DataObject) -> None:
    spec = POLICY.risk_instruments[instrument]
    assert spec.max_score is not None
    scores = st.floats(min_value=spec.min_score, max_value=spec.max_score, allow_nan=False)
    a = data.draw(scores, label="a")
    b = data.draw(scores, label="b")
    low, high = sorted((a, b))
    assert RISK_ORDER.index(level(instrument, low)) <= RISK_ORDER.index(level(instrument, high))


@given(st.sampled_from(sorted(POLICY.risk_instruments)), st.data())
def test_level_is_that_of_the_highest_band_reached(instrument: str, data: st.DataObject) -> None:
    spec = POLICY.risk_instruments[instrument]
    assert spec.max_score is not None
    score = data.draw(
        st.floats(min_value=spec.min_score, max_value=spec.max_score, allow_nan=False)
    )
    reached = [b for b in spec.bands if b.from_score <= score]
    assert level(instrument, score) is reached[-1].level


# --- at_least --------------------------------------------------------------------------


@pytest.mark.parametrize("lvl", list(RiskLevel))
@pytest.mark.parametrize("threshold", list(RiskLevel))
def test_at_least_follows_risk_order(lvl: RiskLevel, threshold: RiskLevel) -> None:
    assert at_least(lvl, threshold) is (RISK_ORDER.index(lvl) >= RISK_ORDER.index(threshold))


def test_risk_order_is_low_to_very_high() -> None:
    assert RISK_ORDER == (LOW, MODERATE, HIGH, VERY_HIGH)
    assert at_least(VERY_HIGH, HIGH)
    assert not at_least(MODERATE, HIGH)


# --- flags from incidents --------------------------------------------------------------


def incident(number: str, *flags: RiskFlag, dv: bool = True) -> Incident:
    return Incident(
        incident_number=number,
        occurred_on=date(2026, 1, 18),
        flags=list(flags),
        domestic_violence=dv,
    )


def test_no_incidents_no_flags() -> None:
    assert flags_from_incidents([]) == []


def test_one_dv_incident_is_not_prior_dv() -> None:
    assert flags_from_incidents([incident("P-1", RiskFlag.INJURY)]) == [RiskFlag.INJURY]


def test_flags_are_the_union_without_duplicates() -> None:
    flags = flags_from_incidents(
        [
            incident("P-1", RiskFlag.WEAPON, RiskFlag.INJURY, dv=False),
            incident("P-2", RiskFlag.INJURY, RiskFlag.STRANGULATION, dv=False),
        ]
    )
    assert flags == sorted({RiskFlag.WEAPON, RiskFlag.INJURY, RiskFlag.STRANGULATION})
    assert len(flags) == len(set(flags))


def test_two_dv_incidents_add_prior_dv() -> None:
    flags = flags_from_incidents([incident("P-1"), incident("P-2", RiskFlag.WEAPON)])
    assert set(flags) == {RiskFlag.PRIOR_DV, RiskFlag.WEAPON}


def test_only_dv_incidents_count_towards_prior_dv() -> None:
    flags = flags_from_incidents([incident("P-1"), incident("P-2", dv=False)])
    assert RiskFlag.PRIOR_DV not in flags


def test_prior_dv_from_adapter_is_kept_with_one_incident() -> None:
    assert flags_from_incidents([incident("P-1", RiskFlag.PRIOR_DV)]) == [RiskFlag.PRIOR_DV]


def test_accepts_a_one_shot_iterator() -> None:
    def stream() -> Iterator[Incident]:
        yield incident("P-1", RiskFlag.ORDER_BREACH)
        yield incident("P-2")

    assert set(flags_from_incidents(stream())) == {RiskFlag.ORDER_BREACH, RiskFlag.PRIOR_DV}


@given(
    st.lists(
        st.tuples(st.sets(st.sampled_from(list(RiskFlag))), st.booleans()),
        max_size=6,
    )
)
def test_flags_property(specs: list[tuple[set[RiskFlag], bool]]) -> None:
    incidents = [incident(f"P-{i}", *sorted(f), dv=dv) for i, (f, dv) in enumerate(specs)]
    expected = set().union(*(f for f, _ in specs)) if specs else set()
    if sum(dv for _, dv in specs) > 1:
        expected.add(RiskFlag.PRIOR_DV)
    flags = flags_from_incidents(incidents)
    assert set(flags) == expected
    assert flags == sorted(flags)
    assert len(flags) == len(set(flags))


# --- found bug (see the report) --------------------------------------------------------


def test_nan_score_is_refused() -> None:
    with pytest.raises(ValueError):
        level("DA", math.nan)


def test_nan_score_from_json_is_refused() -> None:
    with pytest.raises(ValueError):
        assessment = RiskAssessment.model_validate_json('{"instrument": "DA", "score": NaN}')
        risk_level(assessment, POLICY)


def test_instrument_whose_levels_fall_as_score_rises_is_refused() -> None:
    with pytest.raises(ValueError):
        RiskInstrument(
            min_score=0,
            max_score=10,
            bands=[RiskBand(from_score=0, level=HIGH), RiskBand(from_score=5, level=LOW)],
        )
