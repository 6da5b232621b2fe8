"""The words a text message stops or resumes our messages with (domain/opt_outs.py): the
carrier-standard keywords, in any case, as the whole message and nothing else."""

import pytest

from domain.opt_outs import START_WORDS, STOP_WORDS, Choice, keyword_choice


@pytest.mark.parametrize(
    "text", ["STOP", "stop", " Stop\n", "StopAll", "unsubscribe", "CANCEL", "end", "Quit", "REVOKE"]
)
def test_a_stop_word_stops_our_messages(text: str) -> None:
    assert keyword_choice(text) is Choice.STOP


@pytest.mark.parametrize("text", ["START", "start", "  Start ", "unstop", "UNSTOP"])
def test_a_start_word_resumes_them(text: str) -> None:
    assert keyword_choice(text) is Choice.START


@pytest.mark.parametrize(
    "text",
    ["", "   ", "stop please", "STOP!", "don't stop", "S T O P", "started", "yes", "OK", "Стоп"],
)
def test_anything_else_says_nothing_about_our_messages(text: str) -> None:
    assert keyword_choice(text) is None


def test_every_keyword_is_read_and_none_is_both() -> None:
    assert {keyword_choice(word.lower()) for word in STOP_WORDS} == {Choice.STOP}
    assert {keyword_choice(word.lower()) for word in START_WORDS} == {Choice.START}
    assert not STOP_WORDS & START_WORDS
    assert "OPTOUT" in STOP_WORDS
