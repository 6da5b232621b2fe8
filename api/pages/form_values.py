"""A submitted form read back into the shape of its model, for pydantic to validate.

Values stay strings where pydantic reads strings itself (numbers, enums, yes/no). What
a form cannot say directly is settled here: an unchecked box is `false`, a blank input
is left out (so the model's default or its "required" applies), an optional group left
blank is absent, blank rows are dropped, and a date and time typed on the page is in the
jurisdiction's time zone.
"""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from api.pages.forms import FormField, Submitted


def values_of(fields: list[FormField], submitted: Submitted, zone: ZoneInfo) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for f in fields:
        value = _value(f, submitted, zone)
        if value is not _BLANK:
            found[f.name.rsplit(".", 1)[-1]] = value
    return found


class _Blank:
    """Nothing was typed."""


_BLANK: Any = _Blank()


def _value(f: FormField, submitted: Submitted, zone: ZoneInfo) -> Any:
    if f.widget == "checkbox":
        return submitted.has(f.name)
    if f.widget == "choices":
        return [v for v in submitted.all(f.name) if v]
    if f.widget == "lines":
        return [line.strip() for line in f.value.splitlines() if line.strip()]
    if f.widget == "group":
        inner = values_of(f.children, submitted, zone)
        return inner if _typed(f.children, submitted) else (None if not f.required else inner)
    if f.widget == "rows":
        return [values_of(row, submitted, zone) for row in f.rows if _typed(row, submitted)]
    text = submitted.one(f.name)
    if not text:
        return _BLANK
    if f.widget == "datetime":
        return _local_moment(text, zone)
    return text


def _typed(fields: list[FormField], submitted: Submitted) -> bool:
    """Whether anything was typed in these fields (a box ticked counts)."""
    for f in fields:
        if f.widget in ("group", "rows"):
            nested = f.children + [c for row in f.rows for c in row]
            if _typed(nested, submitted):
                return True
        elif any(v.strip() for v in submitted.all(f.name)):
            return True
    return False


def _local_moment(text: str, zone: ZoneInfo) -> str:
    """`2026-05-01T10:00` as typed on the page, in the jurisdiction's time zone. Text that
    is not a date and time is passed on for pydantic to refuse with its own words."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.isoformat()
