"""Case numbers of every script (issue 17, finding 6): normalisation keeps letters and
digits of any script, so `Ж-1`, `Щ-1` and `ß-1` are three cases, not one `case-demo-1`;
control and format characters are refused; an ASCII case number keeps the id it had
(running cases and stored histories are found by it)."""

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.case import case_workflow_id
from domain.referral import CourtReference, case_number_words, normalise_case_number


def normalised_before(case_number: str) -> str:
    """The normalisation every running case's id was made with (until issue 17)."""
    junk = re.compile(r"[^a-z0-9]+")
    return junk.sub("-", unicodedata.normalize("NFKC", case_number).strip().lower()).strip("-")


# Printable ASCII and the whitespace controls: what an ASCII case number is written with.
ascii_case_numbers = st.text(st.sampled_from([chr(c) for c in range(32, 127)] + list("\t\n\r")))


@given(ascii_case_numbers)
def test_an_ascii_case_number_keeps_the_id_it_had(raw: str) -> None:
    before = normalised_before(raw)
    if not before:
        with pytest.raises(ValueError, match="no letters or digits"):
            normalise_case_number(raw)
        return
    assert normalise_case_number(raw) == before


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ж-1", "Щ-1"),
        ("Ж-1", "1"),
        ("ß-1", "1"),
        ("कि-1", "कु-1"),  # vowel signs are marks: they stay with their letter
        ("事件-12", "案件-12"),
        ("Δ-2026-7", "Λ-2026-7"),
        ("ق-١٢", "ف-١٢"),
    ],
)
def test_letters_of_every_script_keep_numbers_apart(a: str, b: str) -> None:
    assert normalise_case_number(a) != normalise_case_number(b)
    assert case_workflow_id("demo", a) != case_workflow_id("demo", b)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("Ж-1", "ж-1"),
        ("ж 1", "ж-1"),
        ("ß-1", "ss-1"),
        ("SS/1", "ss-1"),
        ("ΣΊΣΥΦΟΣ-3", "σίσυφοσ-3"),
        ("事件 12", "事件-12"),
        ("\uff23\uff32\uff0d\uff12\uff10\uff12\uff16", "cr-2026"),  # full-width forms
        ("\uff21\uff11", "a1"),
        ("CR\u00a02026", "cr-2026"),
    ],
)
def test_normalisation_examples(raw: str, normalised: str) -> None:
    assert normalise_case_number(raw) == normalised


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ("CR-1\u202e7", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("CR-\u2066-17", "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
        ("CR\u200b-17", "U+200B (ZERO WIDTH SPACE)"),
        ("CR\u200d17", "U+200D (ZERO WIDTH JOINER)"),
        ("\ufeffCR-17", "U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),
        ("CR-17\x00", "U+0000 (a control)"),
        ("CR-\x1b17", "U+001B (a control)"),
        ("CR-\ud80017", "U+D800"),
        ("CR-\ue00017", "U+E000"),
    ],
)
def test_control_and_format_characters_are_refused_naming_the_rule(raw: str, named: str) -> None:
    with pytest.raises(ValueError) as refused:
        normalise_case_number(raw)
    assert named in str(refused.value)
    assert "control and format characters" in str(refused.value)
    assert "\u202e" not in str(refused.value) and "\x00" not in str(refused.value)


def test_the_refusal_reads_in_full() -> None:
    with pytest.raises(ValueError) as refused:
        normalise_case_number("CR\u200b1")
    assert str(refused.value) == (
        "court case number 'CR\\u200b1' holds U+200B (ZERO WIDTH SPACE) at position 2: "
        "control and format characters (NUL, bidi controls, zero-width characters) are not "
        "accepted"
    )


def test_the_model_leaves_the_refusal_to_intake_so_old_cases_replay() -> None:
    """A case started with a bidi control in its number before the rule must still decode
    from its history; new referrals are refused where they come in."""
    kept = CourtReference(court_id="demo-court", case_number="CR-1\u202e7")
    assert kept.case_number == "CR-1\u202e7"
    assert case_number_words(kept.case_number) == ["cr", "1", "7"]


@given(st.text())
def test_refused_exactly_when_a_control_or_format_character_is_in_it(raw: str) -> None:
    other = [c for c in raw if unicodedata.category(c)[0] == "C" and c not in "\t\n\x0b\x0c\r"]
    try:
        normalise_case_number(raw)
    except ValueError as e:
        assert bool(other) == ("control and format" in str(e))
        return
    assert not other
