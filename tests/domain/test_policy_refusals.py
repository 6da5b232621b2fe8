"""A jurisdictions file's refusals, word for word, as the administrator who wrote the file
reads them: each problem named with its field, several joined in one message, and the
boundaries of the settings a file may not hold (mutation testing found them unpinned;
docs/mutation.md)."""

import io
from pathlib import Path

import pytest

from domain.policy import PolicyError, load_jurisdictions, parse_jurisdictions
from tests.domain.test_policy import MINIMAL, demo_with, refusal

CHECK_UNSET = (
    "policy.incident_check_every_days: must be set: how many days apart an open case asks "
    "the police for new incidents (for example 7)"
)


def test_a_refusal_without_a_file_name_names_the_text() -> None:
    with pytest.raises(PolicyError) as refused:
        parse_jurisdictions(MINIMAL.replace("incident_check_every_days = 7\n", ""))
    assert str(refused.value) == f"<string>: jurisdiction 'lakeshore': {CHECK_UNSET}"


def test_an_id_that_contradicts_the_table_name_is_refused_in_full() -> None:
    text = MINIMAL.replace('name = "Lakeshore', 'id = "riverbend"\nname = "Lakeshore')
    assert refusal(text) == (
        "test.toml: jurisdiction 'lakeshore': id: must match the table name or be left out"
    )


def test_unsafe_settings_are_refused_in_full_and_joined() -> None:
    text = demo_with("facilitators_per_conference = 2", "facilitators_per_conference = 1")
    text = text.replace("incident_check_every_days = 7\n", "")
    assert refusal(text) == (
        "test.toml: jurisdiction 'demo': policy.facilitators_per_conference: a conference "
        f"needs at least 2 facilitators, not 1; {CHECK_UNSET}"
    )


def test_an_incident_check_of_no_days_is_refused_in_full() -> None:
    text = demo_with("incident_check_every_days = 7", "incident_check_every_days = 0")
    assert refusal(text) == (
        "test.toml: jurisdiction 'demo': policy.incident_check_every_days: must be more than "
        "0 days, not 0: an open case keeps asking the police for new incidents"
    )


@pytest.mark.parametrize("days", ["1", "0.5"])
def test_an_incident_check_of_a_day_or_less_is_accepted(days: str) -> None:
    """Only 0 and below would keep a case asking without pause; daily or twice a day is a
    jurisdiction's choice."""
    text = demo_with("incident_check_every_days = 7", f"incident_check_every_days = {days}")
    assert parse_jurisdictions(text)["demo"].policy.incident_check_every_days == float(days)


def test_several_invalid_fields_are_named_in_one_message() -> None:
    text = demo_with('timezone = "America/Chicago"', 'timezone = "America/Gotham"')
    text = text.replace('review_at_level = "high"', 'review_at_level = "severe"')
    message = refusal(text)
    assert message.startswith(
        "test.toml: jurisdiction 'demo': timezone: Value error, unknown timezone "
        "'America/Gotham'; policy.review_at_level: Input should be "
    )


def on_roster(id: str, name: str, sub: str) -> str:
    return (
        f'[[jurisdictions.lakeshore.roster]]\nid = "{id}"\nname = "{name}"\nsub = "{sub}"\n'
        "fv_endorsed = true\nfv_endorsement_expires = 2027-03-31\n"
    )


def test_roster_problems_are_refused_in_full_and_joined() -> None:
    """Entries copied and left half-edited: two ids and one account listed twice."""
    roster = (
        on_roster("amaru-quispe", "Amaru Quispe", "staff-1a")
        + on_roster("amaru-quispe", "Amaru Quispe", "staff-1b")
        + on_roster("ngozi-eze", "Ngozi Eze", "staff-2")
        + on_roster("ngozi-eze", "Ngozi Eze", "staff-2")
    )
    assert refusal(MINIMAL + roster) == (
        "test.toml: jurisdiction 'lakeshore': roster.id: amaru-quispe, ngozi-eze listed more "
        "than once; roster.sub: staff-2 listed more than once"
    )


def test_the_file_is_read_as_utf8_whatever_the_machines_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server whose locale is Latin-1 still reads the names as written. `io.text_encoding`
    is where Python turns "no encoding given" into the locale's."""
    monkeypatch.setattr(io, "text_encoding", lambda encoding, stacklevel=2: encoding or "latin-1")
    written = tmp_path / "jurisdictions.toml"
    written.write_text(
        MINIMAL.replace("Lakeshore County", "Condado de Peñalolén — Justicia Restaurativa"),
        encoding="utf-8",
    )
    found = load_jurisdictions(written)
    assert found["lakeshore"].name == "Condado de Peñalolén — Justicia Restaurativa"
