"""Choosing what to send from a request's `Accept` header (RFC 9110 §12.5.1): the offered
media type the caller rates highest, the server's order breaking ties. No header, or one
that allows anything, gets the first offer."""

from collections.abc import Sequence


def choose(accept: str | None, offers: Sequence[str]) -> str | None:
    """The media type to send, or None when the caller accepts none of `offers`."""
    if accept is None or not accept.strip():
        return offers[0]
    ranges = [r for r in (_media_range(part) for part in accept.split(",")) if r is not None]
    best: tuple[float, int, int] | None = None
    chosen = None
    for order, offer in enumerate(offers):
        rating = _rating(offer, ranges)
        if rating is None or rating[0] <= 0:
            continue
        key = (rating[0], rating[1], -order)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


def _media_range(part: str) -> tuple[str, float] | None:
    media, *params = (p.strip() for p in part.split(";"))
    if "/" not in media:
        return None
    quality = 1.0
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = min(max(float(value), 0.0), 1.0)
            except ValueError:
                return None
    return media.lower(), quality


def _rating(offer: str, ranges: list[tuple[str, float]]) -> tuple[float, int] | None:
    """The quality the most specific matching range gives `offer`, with its specificity
    (2 exact, 1 `type/*`, 0 `*/*`): `text/html;q=0` is not undone by `*/*`."""
    kind = offer.split("/", 1)[0]
    found: tuple[float, int] | None = None
    for media, quality in ranges:
        if media == offer:
            specificity = 2
        elif media == f"{kind}/*":
            specificity = 1
        elif media == "*/*":
            specificity = 0
        else:
            continue
        if found is None or specificity > found[1]:
            found = (quality, specificity)
    return found
