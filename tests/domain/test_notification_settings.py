"""How long a message waits for its provider (the policy's `notifications`): read from the
jurisdictions file, defaults for policies kept before it, and the backoff it allows."""

from datetime import timedelta

import pytest

from domain.notifications import NotificationSettings
from domain.policy import DEMO_FILE, Policy, PolicyError, load_jurisdictions, parse_jurisdictions
from tests.domain.test_policy import MINIMAL


def test_the_demo_file_gives_up_after_a_day_and_urgent_alerts_after_ten_minutes() -> None:
    settings = load_jurisdictions(DEMO_FILE)["demo"].policy.notifications
    assert settings.patience(urgent=False) == timedelta(hours=24)
    assert settings.patience(urgent=True) == timedelta(minutes=10)
    assert settings.longest_pause(urgent=False) == timedelta(minutes=30)


def test_a_policy_kept_before_the_setting_reads_the_defaults() -> None:
    kept = load_jurisdictions(DEMO_FILE)["demo"].policy.model_dump(mode="json")
    del kept["notifications"]
    assert Policy.model_validate(kept).notifications == NotificationSettings()


def test_backoff_is_capped_by_the_setting_and_by_a_quarter_of_the_patience() -> None:
    settings = NotificationSettings(
        give_up_after_hours=1, urgent_give_up_after_minutes=4, retry_at_most_every_minutes=60
    )
    assert settings.longest_pause(urgent=False) == timedelta(minutes=15)
    assert settings.longest_pause(urgent=True) == timedelta(minutes=1)


def test_a_jurisdiction_sets_its_own_patience() -> None:
    text = MINIMAL + "\n[jurisdictions.lakeshore.policy.notifications]\ngive_up_after_hours = 72\n"
    settings = parse_jurisdictions(text)["lakeshore"].policy.notifications
    assert settings.patience(urgent=False) == timedelta(days=3)
    assert settings.urgent_give_up_after_minutes == 10


@pytest.mark.parametrize(
    "setting",
    ["give_up_after_hours", "urgent_give_up_after_minutes", "retry_at_most_every_minutes"],
)
def test_a_patience_of_nothing_is_refused_with_its_field_named(setting: str) -> None:
    text = MINIMAL + f"\n[jurisdictions.lakeshore.policy.notifications]\n{setting} = 0\n"
    with pytest.raises(PolicyError) as caught:
        parse_jurisdictions(text, source="test.toml")
    assert f"policy.notifications.{setting}: Input should be greater than 0" in str(caught.value)
