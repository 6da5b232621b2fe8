"""Pieces of Temporal visibility queries: the case's workflow type, and string literals
quoted safely (the list and count calls of the inbox, the stage counts, the intake's
idempotency lookup and the police matcher)."""

from collections.abc import Sequence

CASE_TYPE = "DiversionCase"


def quote(value: str) -> str:
    """A visibility-query string literal; callers pass only validated identifiers."""
    if "'" in value or "\\" in value:
        raise ValueError(f"refusing to quote {value!r}")
    return f"'{value}'"


def in_list(values: Sequence[str]) -> str:
    return "(" + ", ".join(quote(v) for v in values) + ")"
