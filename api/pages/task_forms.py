"""The form of each task, from the payload model of its kind (domain/task_payloads.py), and what
a submitted form becomes: a payload the API's own completion path takes, or the errors
to show beside the fields with what was typed kept."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any, get_args
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from api.pages.form_values import values_of
from api.pages.forms import Choice, ChoiceOverrides, FormField, Submitted, describe, field_errors
from domain.enums import TaskKind
from domain.policy import Jurisdiction
from domain.task_payloads import TaskPayload
from domain.tasks import Task


def payload_models() -> dict[TaskKind, type[BaseModel]]:
    """Each task kind's payload model, read from the `TaskPayload` union itself: a new
    kind gets its form when it joins the union."""
    union = get_args(TaskPayload)[0]
    found: dict[TaskKind, type[BaseModel]] = {}
    for model in get_args(union):
        for kind in get_args(model.model_fields["kind"].annotation):
            found[TaskKind(kind)] = model
    return found


PAYLOADS = payload_models()


@dataclass
class TaskForm:
    """A task's form as the page shows it: its fields, and what the case or the form
    said about the last submission."""

    task: Task
    fields: list[FormField]
    refusal: str = ""  # the workflow's own reason, shown beside the form
    problems: list[str] = field(default_factory=list)  # rules across fields


def roster_choices(jurisdiction: Jurisdiction | None, today: date) -> ChoiceOverrides:
    """The facilitators a coordinator may assign: the jurisdiction's roster, each with
    whether their family-violence endorsement is current (the case refuses the others)."""
    if jurisdiction is None:
        return {}
    choices = []
    for entry in jurisdiction.roster:
        expires = entry.fv_endorsement_expires
        current = entry.fv_endorsed and expires is not None and expires >= today
        note = (
            f"family-violence endorsement until {expires.isoformat()}"
            if current and expires is not None
            else "no current family-violence endorsement"
        )
        choices.append(Choice(entry.id, entry.name, note=note, disabled=not current))
    return {("AssignFacilitators", "facilitators"): choices}


def blank_form(task: Task, choices: ChoiceOverrides) -> TaskForm:
    return TaskForm(task, describe(PAYLOADS[task.kind], Submitted(), {}, choices=choices))


def read_form(
    task: Task, submitted: Submitted, choices: ChoiceOverrides, zone: ZoneInfo
) -> tuple[Any | None, TaskForm]:
    """The payload the form describes, or None and the form with its errors."""
    model = PAYLOADS[task.kind]
    fields = describe(model, submitted, {}, choices=choices)
    data = values_of(fields, submitted, zone)
    data["kind"] = task.kind.value
    try:
        return model.model_validate(data), TaskForm(task, fields)
    except ValidationError as e:
        by_field, general = field_errors(
            [dict(err) for err in e.errors(include_input=False)], fields
        )
        shown = describe(model, submitted, by_field, choices=choices)
        return None, TaskForm(task, shown, problems=general)


def kept_form(task: Task, submitted: Submitted, choices: ChoiceOverrides, refusal: str) -> TaskForm:
    """The form as it was sent, with the case's refusal beside it."""
    fields = describe(PAYLOADS[task.kind], submitted, {}, choices=choices)
    return TaskForm(task, fields, refusal=refusal)
