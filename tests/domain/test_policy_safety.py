"""Safety rules no setting can switch off (DESIGN §2 rules 4-6): the defaults a jurisdiction
gets when it lists nothing, the settings a jurisdictions file may not hold, and the
facilitator roster as configuration."""

from datetime import date

import pytest
from temporalio.contrib.pydantic import pydantic_data_converter

from domain.enums import RiskFlag
from domain.policy import (
    DEFAULT_ESCALATION_ITEMS,
    DEFAULT_HARD_EXCLUSIONS,
    DEMO_FILE,
    Policy,
    PolicyError,
    load_jurisdictions,
    parse_jurisdictions,
)
from tests.domain.test_policy import MINIMAL, demo_with, refusal

ROSTER_ENTRY = """
[[jurisdictions.lakeshore.roster]]
id = "farah-haddad"
name = "Farah Haddad"
sub = "staff-7f3a"
fv_endorsed = true
fv_endorsement_expires = 2027-03-31
"""

# The file a jurisdiction gets wrong, the field the message must name, and a phrase of it.
REFUSED = [
    pytest.param(
        demo_with("facilitators_per_conference = 2", "facilitators_per_conference = 1"),
        "policy.facilitators_per_conference",
        "at least 2 facilitators, not 1",
        id="one-facilitator",
    ),
    pytest.param(
        demo_with('hard_exclusions = ["sexual_violence", "child_harm"]', "hard_exclusions = []"),
        "policy.hard_exclusions",
        "leave hard_exclusions out for the defaults (sexual_violence, child_harm)",
        id="explicit-empty-hard-exclusions",
    ),
    pytest.param(
        demo_with(
            'escalation_items = ["strangulation", "weapon", "threats_to_kill", '
            '"escalating_abuse", "order_breach"]',
            "escalation_items = []",
        ),
        "policy.escalation_items",
        "empty list switches a screening safeguard off",
        id="explicit-empty-escalation-items",
    ),
    pytest.param(
        demo_with("incident_check_every_days = 7\n", ""),
        "policy.incident_check_every_days",
        "must be set",
        id="unset-incident-check",
    ),
    pytest.param(
        demo_with("incident_check_every_days = 7", "incident_check_every_days = 0"),
        "policy.incident_check_every_days",
        "more than 0 days, not 0",
        id="zero-incident-check",
    ),
    pytest.param(
        demo_with("incident_check_every_days = 7", "incident_check_every_days = -1.5"),
        "policy.incident_check_every_days",
        "more than 0 days",
        id="negative-incident-check",
    ),
    pytest.param(
        demo_with("fv_endorsement_expires = 2036-06-30\n", ""),
        "roster.0.fv_endorsement_expires",
        "Amaru Quispe (amaru-quispe) is endorsed but the endorsement has no expiry date",
        id="endorsed-without-expiry",
    ),
    pytest.param(
        demo_with('id = "ngozi-eze"', 'id = "amaru-quispe"'),
        "roster.id",
        "amaru-quispe listed more than once",
        id="roster-id-twice",
    ),
    pytest.param(
        demo_with('sub = "dev-facilitator-2"', 'sub = "dev-facilitator"'),
        "roster.sub",
        "dev-facilitator listed more than once",
        id="one-account-for-two-facilitators",
    ),
    pytest.param(
        demo_with('sub = "dev-facilitator-3"\n', ""),
        "roster.2.sub",
        "Field required",
        id="roster-entry-without-account",
    ),
]


@pytest.mark.parametrize(("text", "field", "detail"), REFUSED)
def test_unsafe_setting_is_refused_naming_jurisdiction_and_field(
    text: str, field: str, detail: str
) -> None:
    message = refusal(text)
    assert message.startswith("test.toml: jurisdiction 'demo': ")
    assert f"{field}: " in message
    assert detail in message


def test_every_unsafe_setting_of_a_jurisdiction_is_named_at_once() -> None:
    text = demo_with("facilitators_per_conference = 2", "facilitators_per_conference = 1")
    text = text.replace("incident_check_every_days = 7\n", "")
    message = refusal(text)
    assert "policy.facilitators_per_conference: " in message
    assert "policy.incident_check_every_days: " in message


def test_refusal_names_the_jurisdiction_that_holds_the_setting() -> None:
    other = MINIMAL.replace("incident_check_every_days = 7", "incident_check_every_days = 0")
    message = refusal(DEMO_FILE.read_text(encoding="utf-8") + other)
    assert "jurisdiction 'lakeshore': policy.incident_check_every_days: " in message
    assert "'demo'" not in message


def test_absent_lists_give_the_design_defaults() -> None:
    policy = parse_jurisdictions(MINIMAL)["lakeshore"].policy
    assert policy.hard_exclusions == [RiskFlag.SEXUAL_VIOLENCE, RiskFlag.CHILD_HARM]
    assert policy.escalation_items == [
        RiskFlag.STRANGULATION,
        RiskFlag.WEAPON,
        RiskFlag.THREATS_TO_KILL,
        RiskFlag.ESCALATING_ABUSE,
        RiskFlag.ORDER_BREACH,
    ]
    assert policy.facilitators_per_conference == 2
    assert policy.incident_check_every_days == 7


def test_a_flag_excluded_outright_leaves_the_default_escalations() -> None:
    # Stricter than the default: strangulation ends the case instead of needing a review.
    text = MINIMAL.replace(
        "incident_check_every_days = 7",
        'incident_check_every_days = 7\nhard_exclusions = ["sexual_violence", "strangulation"]',
    )
    policy = parse_jurisdictions(text)["lakeshore"].policy
    assert policy.hard_exclusions == [RiskFlag.SEXUAL_VIOLENCE, RiskFlag.STRANGULATION]
    assert RiskFlag.STRANGULATION not in policy.escalation_items
    assert set(policy.escalation_items) == set(DEFAULT_ESCALATION_ITEMS) - {RiskFlag.STRANGULATION}


def test_default_exclusions_cannot_be_downgraded_without_listing_them() -> None:
    text = MINIMAL.replace(
        "incident_check_every_days = 7",
        'incident_check_every_days = 7\nescalation_items = ["sexual_violence"]',
    )
    message = refusal(text)
    assert "sexual_violence" in message and "hard_exclusions" in message


def test_policies_kept_by_running_cases_still_decode() -> None:
    """Stored histories hold policies from before these rules: the models accept them
    (only a jurisdictions file is refused), so those cases replay and go on."""
    old = Policy.model_validate(
        {
            "hard_exclusions": [],
            "escalation_items": [],
            "facilitators_per_conference": 1,
            "incident_check_every_days": None,
            "risk_instruments": {
                "DA": {"min_score": 0, "bands": [{"from_score": 0, "level": "low"}]}
            },
        }
    )
    assert old.hard_exclusions == [] and old.escalation_items == []
    assert old.facilitators_per_conference == 1 and old.incident_check_every_days is None
    assert set(DEFAULT_HARD_EXCLUSIONS) == {RiskFlag.SEXUAL_VIOLENCE, RiskFlag.CHILD_HARM}


def test_the_roster_is_read_with_its_endorsements() -> None:
    roster = parse_jurisdictions(MINIMAL + ROSTER_ENTRY)["lakeshore"].roster
    assert [(e.id, e.name, e.sub, e.fv_endorsed) for e in roster] == [
        ("farah-haddad", "Farah Haddad", "staff-7f3a", True)
    ]
    assert roster[0].fv_endorsement_expires == date(2027, 3, 31)


def test_an_unendorsed_facilitator_needs_no_expiry() -> None:
    text = MINIMAL + ROSTER_ENTRY.replace("fv_endorsed = true", "fv_endorsed = false").replace(
        "fv_endorsement_expires = 2027-03-31\n", ""
    )
    (entry,) = parse_jurisdictions(text)["lakeshore"].roster
    assert not entry.fv_endorsed and entry.fv_endorsement_expires is None


def test_the_demo_roster_carries_the_dev_token_subjects() -> None:
    roster = load_jurisdictions(DEMO_FILE)["demo"].roster
    assert [e.sub for e in roster] == ["dev-facilitator", "dev-facilitator-2", "dev-facilitator-3"]
    assert [e.fv_endorsed for e in roster] == [True, True, False]


def test_a_case_snapshot_never_carries_the_roster() -> None:
    """The roster is read as configured now; a case's copy of its jurisdiction has none."""
    demo = load_jurisdictions(DEMO_FILE)["demo"]
    assert demo.roster
    (payload,) = pydantic_data_converter.payload_converter.to_payloads([demo])
    assert b"roster" not in payload.data and b"dev-facilitator" not in payload.data
    assert type(demo).model_validate_json(payload.data).roster == []


def test_policy_error_for_a_roster_names_the_file() -> None:
    with pytest.raises(PolicyError, match=r"^test\.toml: jurisdiction 'lakeshore': roster\.0"):
        parse_jurisdictions(
            MINIMAL + ROSTER_ENTRY.replace("fv_endorsement_expires = 2027-03-31\n", ""),
            source="test.toml",
        )
