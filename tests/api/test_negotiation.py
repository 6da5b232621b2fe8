"""Choosing JSON, HTML or PDF from an `Accept` header."""

import pytest

from api.negotiation import choose

OFFERS = ("application/json", "text/html", "application/pdf")


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "application/json"),
        ("", "application/json"),
        ("*/*", "application/json"),
        ("application/pdf", "application/pdf"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("application/pdf, */*", "application/pdf"),
        ("text/*", "text/html"),
        ("application/json;q=0.5, application/pdf;q=0.9", "application/pdf"),
        ("application/*", "application/json"),
        ("TEXT/HTML", "text/html"),
        ("*/*, application/json;q=0", "text/html"),
    ],
)
def test_the_best_rated_offer_is_sent(accept: str | None, chosen: str) -> None:
    assert choose(accept, OFFERS) == chosen


@pytest.mark.parametrize(
    "accept", ["image/png", "application/pdf;q=0", "text/plain", "nonsense", "*/*;q=0"]
)
def test_nothing_acceptable(accept: str) -> None:
    assert choose(accept, OFFERS) is None


def test_a_malformed_quality_drops_that_range_only() -> None:
    assert choose("application/pdf;q=high, text/html", OFFERS) == "text/html"
