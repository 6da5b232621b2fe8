"""A form for any pydantic model, built from its fields: a task's payload, a safety event,
a withdrawal. A field added to a payload model appears in its form with no template work.

`describe` turns a model into `FormField`s (each with the value typed so far and its
error); `api/pages/form_values.py` reads a submitted form back into the model's shape.
Inputs are named by the field's path (`risk.score`, `agreement.obligations.0.kind`).
"""

import types
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from fastapi import Request
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic.json_schema import SkipJsonSchema

from api.pages import words

Widget = Literal[
    "checkbox", "yes_no", "text", "textarea", "number", "datetime", "date", "select",
    "choices", "lines", "group", "rows",
]  # fmt: skip
# Free text that is usually more than a line.
LONG_TEXT = ("notes", "statement", "description", "conditions", "summary", "reason")
# Rows offered for a list of items (an agreement's obligations) before "add another".
ROWS = 2


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    note: str = ""
    disabled: bool = False


@dataclass
class FormField:
    name: str
    label: str
    widget: Widget
    required: bool = False
    hint: str = ""
    explanation: str = ""  # what the person must have been told, shown above the box
    choices: list[Choice] = field(default_factory=list)
    children: list["FormField"] = field(default_factory=list)
    rows: list[list["FormField"]] = field(default_factory=list)
    row_errors: list[str] = field(default_factory=list)  # a rule across one row's fields
    value: str = ""
    values: list[str] = field(default_factory=list)
    error: str = ""
    step: str = ""

    @property
    def id(self) -> str:
        return "f-" + self.name.replace(".", "-")


class Submitted:
    """What the form sent: one or more strings per input name."""

    def __init__(self, items: list[tuple[str, str]] | None = None) -> None:
        self._values: dict[str, list[str]] = {}
        for name, value in items or []:
            self._values.setdefault(name, []).append(value)

    def one(self, name: str) -> str:
        found = self._values.get(name)
        return found[0].strip() if found else ""

    def all(self, name: str) -> list[str]:
        return self._values.get(name, [])

    def has(self, name: str) -> bool:
        return name in self._values

    def names(self) -> list[str]:
        return list(self._values)


async def submitted_form(request: Request) -> Submitted:
    """The text inputs of a posted form (files are read where a form has them)."""
    form = await request.form()
    return Submitted([(k, v) for k, v in form.multi_items() if isinstance(v, str)])


# Choices given by the page rather than the model: (model class name, field) -> choices.
ChoiceOverrides = dict[tuple[str, str], list[Choice]]


def describe(
    model: type[BaseModel],
    submitted: Submitted,
    errors: dict[str, str],
    *,
    prefix: str = "",
    choices: ChoiceOverrides | None = None,
    optional_part: bool = False,
) -> list[FormField]:
    """The form fields of `model`, each with what was typed and its error."""
    found = []
    for name, info in model.model_fields.items():
        if _skipped(info):
            continue
        path = f"{prefix}{name}"
        built = _field(model, name, info, path, submitted, errors, choices or {})
        if optional_part:
            _not_required(built)
        found.append(built)
    return found


def _not_required(built: FormField) -> None:
    """Inside a part that may stay empty (an optional group, a list's rows), nothing is
    required by the browser: the model says what is missing once something is typed."""
    built.required = False
    for child in built.children + [c for row in built.rows for c in row]:
        _not_required(child)


def _skipped(info: FieldInfo) -> bool:
    """Set by the service, never typed: the task's kind, or entries the API adds itself."""
    if get_origin(info.annotation) is Literal:
        return True
    return any(type(m).__name__ == SkipJsonSchema.__name__ for m in info.metadata)


def _field(
    model: type[BaseModel],
    name: str,
    info: FieldInfo,
    path: str,
    submitted: Submitted,
    errors: dict[str, str],
    choices: ChoiceOverrides,
) -> FormField:
    kind, optional = unwrap(info.annotation)
    required = info.is_required()
    built = FormField(
        name=path,
        label=words.label(name),
        widget="text",
        required=required and not optional,
        hint=info.description or "",
        explanation=words.EXPLANATIONS.get((model.__name__, name), ""),
        value=submitted.one(path),
        values=submitted.all(path),
        error=errors.get(path, ""),
    )
    override = choices.get((model.__name__, name))
    if override is not None:
        built.widget = "choices" if get_origin(kind) is list else "select"
        built.choices = override
    elif kind is bool:
        # A yes-or-no the model needs is asked, so a missed click never records a "no";
        # an explanation given is confirmed with a tick.
        built.widget = "yes_no" if required and not built.explanation else "checkbox"
    elif _is_model(kind):
        built.widget = "group"
        built.children = describe(
            kind, submitted, errors, prefix=f"{path}.", choices=choices, optional_part=optional
        )
        if optional:
            built.hint = built.hint or words.OPTIONAL_GROUP
    elif get_origin(kind) is list:
        _list_field(built, get_args(kind)[0], submitted, errors, choices)
    elif _is_enum(kind):
        built.widget = "select"
        built.choices = [Choice(str(m.value), words.enum_label(m)) for m in kind]
    elif kind in (int, float):
        built.widget, built.step = "number", "1" if kind is int else "any"
    elif kind is datetime:
        built.widget, built.step = "datetime", "1"
    elif kind is date:
        built.widget = "date"
    elif name.endswith(LONG_TEXT):
        built.widget = "textarea"
    return built


def _list_field(
    built: FormField,
    item: Any,
    submitted: Submitted,
    errors: dict[str, str],
    choices: ChoiceOverrides,
) -> None:
    item, _ = unwrap(item)
    if _is_enum(item):
        built.widget = "choices"
        built.choices = [Choice(str(m.value), words.enum_label(m)) for m in item]
    elif _is_model(item):
        built.widget = "rows"
        count = max(ROWS, row_count(built.name, submitted))
        built.rows = [
            describe(
                item,
                submitted,
                errors,
                prefix=f"{built.name}.{i}.",
                choices=choices,
                optional_part=True,
            )
            for i in range(count)
        ]
        built.row_errors = [errors.get(f"{built.name}.{i}", "") for i in range(count)]
        built.hint = built.hint or words.ROWS_HINT
    else:
        built.widget = "lines"
        built.value = "\n".join(submitted.all(built.name)) or submitted.one(built.name)
        built.hint = built.hint or words.LINES_HINT


def row_count(name: str, submitted: Submitted) -> int:
    """Rows the form sent for the list `name`, one more when asked to add another."""
    numbers = {
        int(rest.split(".", 1)[0])
        for key in submitted.names()
        if key.startswith(f"{name}.") and (rest := key[len(name) + 1 :]).split(".", 1)[0].isdigit()
    }
    extra = 1 if submitted.one(words.MORE_ROWS) == name else 0
    return (max(numbers) + 1 if numbers else 0) + extra


def unwrap(annotation: Any) -> tuple[Any, bool]:
    """The type under `Annotated[...]` and `X | None`, and whether None is allowed."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        members = [a for a in get_args(annotation) if a is not type(None)]
        optional = len(members) < len(get_args(annotation))
        if len(members) == 1:
            return unwrap(members[0])[0], optional
    return annotation, False


def _is_enum(kind: Any) -> bool:
    return get_origin(kind) is None and isinstance(kind, type) and issubclass(kind, Enum)


def _is_model(kind: Any) -> bool:
    return get_origin(kind) is None and isinstance(kind, type) and issubclass(kind, BaseModel)


def field_errors(
    problems: list[dict[str, Any]], fields: list[FormField]
) -> tuple[dict[str, str], list[str]]:
    """Pydantic errors by input name, each placed at the deepest field the form shows;
    what belongs to no field (a rule across fields) is said above the form."""
    names = set(_names(fields))
    by_field: dict[str, str] = {}
    general: list[str] = []
    for problem in problems:
        loc = [str(part) for part in problem.get("loc", ())]
        message = words.validation_message(str(problem.get("msg", "")))
        while loc and ".".join(loc) not in names:
            loc.pop()
        if loc:
            key = ".".join(loc)
            by_field[key] = f"{by_field[key]}; {message}" if key in by_field else message
        else:
            general.append(message)
    return by_field, general


def _names(fields: list[FormField]) -> list[str]:
    found = []
    for f in fields:
        found.append(f.name)
        found += _names(f.children)
        for row in f.rows:
            found += _names(row)
        if f.widget == "rows":
            found += [f"{f.name}.{i}" for i in range(len(f.rows))]
    return found
