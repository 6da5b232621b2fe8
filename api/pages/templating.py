"""Jinja2 for the pages: autoescaped templates in api/pages/templates, dates in the
jurisdiction's time zone, and the court's words for every code."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api.pages import words

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
CSRF_FIELD = "csrftoken"
# What some pages of a template say and others leave out (templates fail on any other
# name they do not get: StrictUndefined).
OPTIONAL = {"advice": "", "sign_in": "", "done": ""}


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.do"],
        undefined=StrictUndefined,  # a name a template misspells fails, never shows blank
    )
    env.filters["when"] = when
    env.filters["day"] = day
    env.filters["words"] = words.code
    env.filters["task"] = words.task
    env.globals.update(
        STAGES=words.STAGES,
        TASKS=words.TASKS,
        ROLES=words.ROLES,
        PROGRESS=words.PROGRESS,
        MORE_ROWS=words.MORE_ROWS,
        CSRF_FIELD=CSRF_FIELD,
    )
    return env


def when(moment: datetime | None, zone: str = "UTC") -> str:
    """A moment as a person in the jurisdiction reads it: `2026-05-01 14:30 (AEST)`."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or ''}".strip()


def day(moment: Any, zone: str = "UTC") -> str:
    if moment is None:
        return "—"
    if isinstance(moment, datetime):
        return when(moment, zone)[:10]
    return str(moment)


class Pages:
    """Renders a template for a request, with what every page needs (the person, the CSRF
    token, the htmx headers)."""

    def __init__(self) -> None:
        self.env = environment()

    def render(
        self, request: Request, template: str, context: dict[str, Any], status: int = 200
    ) -> HTMLResponse:
        token = request.scope.get("csrftoken")
        full = {
            **OPTIONAL,
            "request": request,
            "csrf_token": token() if callable(token) else "",
            "person": getattr(request.state, "person", None),
            **context,
        }
        html = self.env.get_template(template).render(full)
        return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})
