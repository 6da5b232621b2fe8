"""Jurisdiction policy (DESIGN §3 'Jurisdiction policy'): loading and validation."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from domain.enums import PleaRequirement, RiskFlag, RiskLevel, Stage
from domain.policy import (
    DEFAULT_STAGE_DEADLINES,
    DEMO_FILE,
    AnswerCadence,
    PolicyError,
    load_jurisdictions,
    parse_jurisdictions,
)

DEMO_TEXT = DEMO_FILE.read_text(encoding="utf-8")

MINIMAL = """
[jurisdictions.lakeshore]
name = "Lakeshore County"
timezone = "America/New_York"

[jurisdictions.lakeshore.policy]
incident_check_every_days = 7

[jurisdictions.lakeshore.policy.risk_instruments.DA]
min_score = 0
max_score = 38
bands = [{ from_score = 0, level = "low" }, { from_score = 8, level = "moderate" }]
"""


def demo_with(old: str, new: str) -> str:
    """The demo file with one fragment replaced; fails loudly if the demo file changed."""
    assert old in DEMO_TEXT, f"demo file no longer contains {old!r}"
    return DEMO_TEXT.replace(old, new, 1)


def refusal(text: str) -> str:
    with pytest.raises(PolicyError) as caught:
        parse_jurisdictions(text, source="test.toml")
    return str(caught.value)


# --- the demo file ---------------------------------------------------------------------


def test_demo_file_loads_and_validates() -> None:
    found = load_jurisdictions(DEMO_FILE)
    assert list(found) == ["demo"]
    demo = found["demo"]
    assert demo.id == "demo"
    assert demo.timezone == "America/Chicago"
    assert demo.court.format == "ecf4"
    assert demo.court.transport == "folder"
    assert demo.police.adapter == "nibrs"
    policy = demo.policy
    assert policy.plea_requirement is PleaRequirement.PLEA_OR_FINDING
    assert policy.moratorium is False
    assert set(policy.hard_exclusions) == {RiskFlag.SEXUAL_VIOLENCE, RiskFlag.CHILD_HARM}
    assert set(policy.escalation_items) == {
        RiskFlag.STRANGULATION,
        RiskFlag.WEAPON,
        RiskFlag.THREATS_TO_KILL,
        RiskFlag.ESCALATING_ABUSE,
        RiskFlag.ORDER_BREACH,
    }
    assert policy.review_at_level is RiskLevel.HIGH
    assert policy.exclude_at_level is RiskLevel.VERY_HIGH
    assert set(policy.risk_instruments) == {"ODARA", "DA", "DASH", "SARA"}
    assert policy.facilitators_per_conference == 2
    assert policy.recidivism_follow_up_months == [6, 12, 24]
    assert policy.obligation_ladder.reminder_days_before == [7, 1]
    assert policy.obligation_ladder.grace_days == 3
    assert policy.stage_deadline_days[Stage.SCREENING] == 14
    assert policy.stage_deadline_days[Stage.ENGAGEMENT] == 21
    assert policy.stage_deadline_days[Stage.PREPARATION] == 45


def test_demo_instrument_bands_match_the_design() -> None:
    instruments = load_jurisdictions(DEMO_FILE)["demo"].policy.risk_instruments
    da = instruments["DA"]
    assert [(b.from_score, b.level) for b in da.bands] == [
        (0, RiskLevel.LOW),
        (8, RiskLevel.MODERATE),
        (14, RiskLevel.HIGH),
        (18, RiskLevel.VERY_HIGH),
    ]
    assert (instruments["ODARA"].min_score, instruments["ODARA"].max_score) == (0, 13)
    assert [(b.from_score, b.level) for b in instruments["DASH"].bands][-1] == (
        14,
        RiskLevel.HIGH,
    )


def test_jurisdiction_is_immutable_so_a_snapshot_cannot_drift() -> None:
    demo = load_jurisdictions(DEMO_FILE)["demo"]
    with pytest.raises(ValidationError):
        demo.policy.moratorium = True  # type: ignore[misc]


def test_minimal_entry_gets_defaults() -> None:
    found = parse_jurisdictions(MINIMAL)
    policy = found["lakeshore"].policy
    assert policy.stage_deadline_days == DEFAULT_STAGE_DEADLINES
    assert policy.plea_requirement is PleaRequirement.PLEA_OR_FINDING
    assert policy.facilitators_per_conference == 2
    assert found["lakeshore"].court.format == "json"
    assert found["lakeshore"].police.adapter == "none"


def test_defaults_fill_missing_stage_deadlines() -> None:
    text = MINIMAL + "\n[jurisdictions.lakeshore.policy.stage_deadline_days]\nscreening = 7\n"
    deadlines = parse_jurisdictions(text)["lakeshore"].policy.stage_deadline_days
    assert deadlines[Stage.SCREENING] == 7
    for stage, days in DEFAULT_STAGE_DEADLINES.items():
        if stage is not Stage.SCREENING:
            assert deadlines[stage] == days, stage
    assert set(deadlines) == set(DEFAULT_STAGE_DEADLINES)


def test_defaults_are_not_shared_between_jurisdictions() -> None:
    text = MINIMAL + MINIMAL.replace("lakeshore", "riverbend")
    found = parse_jurisdictions(text)
    assert set(found) == {"lakeshore", "riverbend"}
    assert (
        found["lakeshore"].policy.stage_deadline_days
        is not found["riverbend"].policy.stage_deadline_days
    )
    assert DEFAULT_STAGE_DEADLINES[Stage.SCREENING] == 14


def test_several_jurisdictions_keep_their_own_policy() -> None:
    found = parse_jurisdictions(DEMO_TEXT + MINIMAL)
    assert set(found) == {"demo", "lakeshore"}
    assert set(found["lakeshore"].policy.risk_instruments) == {"DA"}
    assert len(found["demo"].policy.risk_instruments) == 4


def test_load_names_the_file_in_errors(tmp_path: Path) -> None:
    bad = tmp_path / "juris.toml"
    bad.write_text(DEMO_TEXT.replace("America/Chicago", "America/Gotham"), encoding="utf-8")
    with pytest.raises(PolicyError, match=r"juris\.toml"):
        load_jurisdictions(bad)


# --- invalid files -------------------------------------------------------------------

INVALID = [
    pytest.param(
        demo_with('timezone = "America/Chicago"', 'timezone = "America/Gotham"'),
        "timezone",
        "America/Gotham",
        id="unknown-timezone",
    ),
    pytest.param(
        demo_with('timezone = "America/Chicago"', 'timezone = "../etc/passwd"'),
        "timezone",
        "passwd",
        id="path-as-timezone",
    ),
    pytest.param(
        demo_with('timezone = "America/Chicago"', 'timezone = ""'),
        "timezone",
        "unknown timezone",
        id="empty-timezone",
    ),
    pytest.param(
        demo_with('review_at_level = "high"', 'review_at_level = "severe"'),
        "policy.review_at_level",
        "very_high",
        id="unknown-review-level",
    ),
    pytest.param(
        demo_with(
            '{ from_score = 14, level = "high" },\n  { from_score = 18',
            '{ from_score = 14, level = "extreme" },\n  { from_score = 18',
        ),
        "policy.risk_instruments.DA.bands.2.level",
        "'very_high'",
        id="unknown-band-level",
    ),
    pytest.param(
        demo_with(
            '{ from_score = 8, level = "moderate" }', '{ from_score = 20, level = "moderate" }'
        ),
        "policy.risk_instruments.DA",
        "ascending",
        id="bands-out-of-order",
    ),
    pytest.param(
        demo_with(
            '{ from_score = 10, level = "moderate" }', '{ from_score = 0, level = "moderate" }'
        ),
        "policy.risk_instruments.DASH",
        "ascending",
        id="bands-repeat-a-start",
    ),
    pytest.param(
        demo_with(
            "min_score = 0\nmax_score = 2\nbands = [\n  { from_score = 0",
            "min_score = 0\nmax_score = 2\nbands = [\n  { from_score = 0.5",
        ),
        "policy.risk_instruments.SARA",
        "min_score",
        id="first-band-above-min",
    ),
    pytest.param(
        demo_with("screening = 14", "screening = -3"),
        "policy.stage_deadline_days",
        "screening",
        id="negative-deadline",
    ),
    pytest.param(
        demo_with("engagement = 21", "engagement = 0"),
        "policy.stage_deadline_days",
        "engagement",
        id="zero-deadline",
    ),
    pytest.param(
        demo_with("suspended = 1", "suspended = 1\nlimbo = 4"),
        "policy.stage_deadline_days.limbo.[key]",
        "'final_report'",
        id="unknown-stage",
    ),
    pytest.param(
        demo_with(
            'escalation_items = ["strangulation"',
            'escalation_items = ["sexual_violence", "strangulation"',
        ),
        "policy",
        "sexual_violence",
        id="flag-excluded-and-escalated",
    ),
    pytest.param(
        demo_with('hard_exclusions = ["sexual_violence"', 'hard_exclusions = ["biting"'),
        "policy.hard_exclusions.0",
        "'child_harm'",
        id="unknown-flag",
    ),
    pytest.param(
        demo_with('plea_requirement = "plea_or_finding"', 'plea_requirement = "any"'),
        "policy.plea_requirement",
        "guilty_plea",
        id="unknown-plea-requirement",
    ),
    pytest.param(
        demo_with("moratorium = false", "moratorim = true"),
        "policy.moratorim",
        "Extra inputs",
        id="misspelt-key-not-ignored",
    ),
    pytest.param(
        demo_with("facilitators_per_conference = 2", "facilitators_per_conference = 0"),
        "policy.facilitators_per_conference",
        "at least 2",
        id="no-facilitators",
    ),
    pytest.param(
        demo_with("[jurisdictions.demo.policy.risk_instruments.ODARA]\n", "[unused.ODARA]\n")
        .replace("[jurisdictions.demo.policy.risk_instruments.DA]\n", "[unused.DA]\n")
        .replace("[jurisdictions.demo.policy.risk_instruments.DASH]\n", "[unused.DASH]\n")
        .replace("[jurisdictions.demo.policy.risk_instruments.SARA]\n", "[unused.SARA]\n"),
        "policy.risk_instruments",
        "Field required",
        id="no-risk-instruments",
    ),
    pytest.param(
        demo_with('name = "Demo County Restorative Justice Program"\n', ""),
        "name",
        "Field required",
        id="missing-name",
    ),
]


@pytest.mark.parametrize(("text", "field", "detail"), INVALID)
def test_invalid_entry_is_refused_naming_jurisdiction_and_field(
    text: str, field: str, detail: str
) -> None:
    message = refusal(text)
    assert message.startswith("test.toml: ")
    assert "jurisdiction 'demo'" in message
    assert f"{field}: " in message
    assert detail in message


def test_the_misspelt_key_case_really_is_the_only_change() -> None:
    # Guards the parametrised case above: without the typo the file is valid.
    parse_jurisdictions(demo_with("moratorium = false", "moratorium = true"))


def test_bad_jurisdiction_id_is_refused() -> None:
    text = DEMO_TEXT.replace("[jurisdictions.demo", '[jurisdictions."Demo County"')
    message = refusal(text)
    assert "jurisdiction 'Demo County'" in message
    assert "id: " in message


def test_error_names_the_bad_jurisdiction_not_the_good_one() -> None:
    text = DEMO_TEXT + MINIMAL.replace("America/New_York", "Atlantis/Central")
    message = refusal(text)
    assert "jurisdiction 'lakeshore'" in message
    assert "timezone: " in message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("this is : not [toml", id="garbage"),
        pytest.param('[jurisdictions.demo\nname = "x"', id="unclosed-table"),
        pytest.param('{"jurisdictions": {}}', id="json"),
        pytest.param(DEMO_TEXT.replace("moratorium = false", "moratorium = nope"), id="bad-value"),
    ],
)
def test_not_toml_is_refused(text: str) -> None:
    message = refusal(text)
    assert message.startswith("test.toml: not valid TOML")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("# only a comment\n", id="comment-only"),
        pytest.param("[jurisdictions]\n", id="empty-table"),
        pytest.param('jurisdictions = "demo"\n', id="not-a-table"),
        pytest.param(DEMO_TEXT.replace("[jurisdictions.", "[jurisdiction."), id="misspelt-root"),
    ],
)
def test_no_jurisdictions_is_refused(text: str) -> None:
    assert "at least one [jurisdictions.<id>] table" in refusal(text)


def test_policy_error_is_a_value_error() -> None:
    assert issubclass(PolicyError, ValueError)


# --- regressions: bugs found and fixed --------------------------------------------


def test_jurisdiction_that_is_not_a_table_is_a_policy_error() -> None:
    message = refusal('[jurisdictions]\ndemo = "Demo County"\n')
    assert "jurisdiction 'demo'" in message


def test_id_key_cannot_contradict_the_table_name() -> None:
    text = demo_with(
        'name = "Demo County Restorative Justice Program"\n',
        'id = "elsewhere"\nname = "Demo County Restorative Justice Program"\n',
    )
    try:
        found = parse_jurisdictions(text)
    except PolicyError:
        return
    assert found["demo"].id == "demo"


def test_excluded_and_escalated_message_names_both_fields() -> None:
    message = refusal(
        demo_with(
            'escalation_items = ["strangulation"',
            'escalation_items = ["sexual_violence", "strangulation"',
        )
    )
    assert "hard_exclusions" in message
    assert "escalation_items" in message
    assert "RiskFlag." not in message


def test_a_filing_only_received_is_asked_about_hourly_then_daily() -> None:
    filed = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    cadence = AnswerCadence(hourly_for_hours=3, then_every_hours=24)
    asks, at = [], filed
    for _ in range(6):
        at = cadence.next_ask(filed, at)
        asks.append((at - filed) / timedelta(hours=1))
    assert asks == [1, 2, 3, 27, 51, 75]
    # Asked late (a worker was down): the next time keeps the schedule, no drift.
    assert cadence.next_ask(filed, filed + timedelta(hours=2, minutes=59)) == filed + timedelta(
        hours=3
    )
    assert cadence.next_ask(filed, filed + timedelta(hours=30)) == filed + timedelta(hours=51)
    never_hourly = AnswerCadence(hourly_for_hours=0, then_every_hours=12)
    assert never_hourly.next_ask(filed, filed) == filed + timedelta(hours=12)
