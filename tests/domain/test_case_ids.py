"""Case ids (DESIGN §3): one workflow per referral, `case-{jurisdiction}-{normalised number}`."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from domain.case import case_workflow_id
from domain.referral import CourtReference, normalise_case_number


def in_normal_form(text: str) -> bool:
    """Words of letters and digits of any script (each with its combining marks), joined
    by single hyphens."""
    return all(
        word[:1].isalnum() and all(c.isalnum() or unicodedata.category(c)[0] == "M" for c in word)
        for word in text.split("-")
    )


@pytest.mark.parametrize(
    "variant",
    [
        "CR-2026-00417",
        "cr-2026-00417",
        "Cr-2026-00417",
        " CR-2026-00417 ",
        "CR 2026 00417",
        "CR  2026   00417",
        "CR/2026/00417",
        "CR-2026/00417 ",
        "CR.2026.00417",
        "CR_2026_00417",
        "CR--2026--00417",
        "CR: 2026 - 00417",
        "(CR-2026-00417)",
        "\tCR-2026-00417\n",
        "CR\u20132026\u201300417",  # en dashes
        "CR\u00a02026\u00a000417",  # no-break spaces
    ],
)
def test_variants_give_one_id(variant: str) -> None:
    assert normalise_case_number(variant) == "cr-2026-00417"
    assert case_workflow_id("demo", variant) == "case-demo-cr-2026-00417"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("CR-2026-00417", "CR-2026-00418"),
        ("CR-2026-00417", "CR-2026-0417"),  # leading zeros are significant
        ("CR-2026-00417", "CR-2025-00417"),
        ("CR-2026-00417", "DV-2026-00417"),
    ],
)
def test_different_numbers_stay_different(a: str, b: str) -> None:
    assert normalise_case_number(a) != normalise_case_number(b)


def test_jurisdiction_is_part_of_the_id() -> None:
    assert case_workflow_id("demo", "CR-2026-00417") != case_workflow_id(
        "lakeshore", "CR-2026-00417"
    )


@pytest.mark.parametrize("junk", ["", " ", "\t\n", "-", "---", "/ . -", "#", "()", "\u2013"])
def test_empty_or_punctuation_only_is_refused(junk: str) -> None:
    with pytest.raises(ValueError, match="no letters or digits"):
        normalise_case_number(junk)
    with pytest.raises(ValueError):
        case_workflow_id("demo", junk)
    # Refused with the referral, so a case never fails to start over its number.
    with pytest.raises(ValidationError):
        CourtReference(court_id="demo-county-district-court", case_number=junk)


@given(st.text())
def test_normalise_is_idempotent_and_in_normal_form(raw: str) -> None:
    try:
        once = normalise_case_number(raw)
    except ValueError:
        return
    assert in_normal_form(once), once
    assert normalise_case_number(once) == once


tokens = st.lists(st.from_regex(r"[A-Za-z0-9]{1,6}", fullmatch=True), min_size=1, max_size=5)
separators = st.from_regex(r"[ \t/._:\-#()]{1,3}", fullmatch=True)


@given(tokens, st.data())
def test_any_separators_and_case_give_the_same_id(parts: list[str], data: st.DataObject) -> None:
    seps = [data.draw(separators) for _ in range(len(parts) + 1)]
    lead = data.draw(st.booleans())
    trail = data.draw(st.booleans())
    raw = (seps[0] if lead else "") + "".join(
        p + (seps[i + 1] if i < len(parts) - 1 or trail else "") for i, p in enumerate(parts)
    )
    assert normalise_case_number(raw) == "-".join(p.lower() for p in parts)


# --- found weakness (see the report) ---------------------------------------------------


def test_fullwidth_digits_are_not_dropped() -> None:
    # Two different case numbers typed with full-width digits both became 'cr'.
    assert normalise_case_number("CR-\uff12\uff10\uff12\uff16-\uff10\uff10\uff14\uff11\uff17") == (
        "cr-2026-00417"
    )
    assert normalise_case_number("CR-\uff12\uff10\uff12\uff17-\uff10\uff10\uff11") != (
        normalise_case_number("CR-\uff12\uff10\uff12\uff16-\uff10\uff10\uff14\uff11\uff17")
    )
