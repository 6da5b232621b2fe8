"""Forms built from the payload models: every task kind has one, a new field appears
without template work, and what is typed comes back in the model's shape."""

from datetime import date
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from api.pages.form_values import values_of
from api.pages.forms import Submitted, describe
from api.pages.task_forms import PAYLOADS, roster_choices
from api.pages.templating import environment
from domain.enums import TaskKind
from domain.policy import DEMO_FILE, load_jurisdictions
from domain.task_payloads import RecordOutcome, ScreenCase

ZONE = ZoneInfo("America/Chicago")


def test_every_task_kind_has_a_form_from_its_payload_model() -> None:
    assert set(PAYLOADS) == set(TaskKind)
    form = environment().get_template("form.html").module
    for kind, model in PAYLOADS.items():
        fields = describe(model, Submitted(), {})
        assert fields, kind
        html = "".join(str(form.field(f)) for f in fields)  # type: ignore[attr-defined]
        assert 'name="kind"' not in html  # the task's kind is the service's to set
        for name in model.model_fields:
            if name not in ("kind", "roster"):
                assert f'name="{name}' in html, (kind, name)


def test_a_new_field_appears_with_its_label_and_hint() -> None:
    class Extended(ScreenCase):
        interpreter_needed: bool = Field(default=False, description="Book one for the meetings.")
        interpreter_language: str = ""

    form = environment().get_template("form.html").module
    fields = describe(Extended, Submitted(), {})
    html = "".join(str(form.field(f)) for f in fields)  # type: ignore[attr-defined]
    assert 'name="interpreter_needed"' in html and "Book one for the meetings." in html
    assert '<label for="f-interpreter_language">Interpreter language</label>' in html


def test_typed_values_become_the_payload() -> None:
    submitted = Submitted(
        [
            ("plea", "guilty"),
            ("responsibility_accepted", "true"),
            ("additional_flags", "weapon"),
            ("risk.instrument", "ODARA"),
            ("risk.score", "2"),
            ("notes", ""),
        ]
    )
    data = values_of(describe(ScreenCase, submitted, {}), submitted, ZONE)
    payload = ScreenCase.model_validate(data)
    assert payload.risk.score == 2 and payload.additional_flags == ["weapon"]
    assert payload.prior_rj_for_offence is False  # an unticked box


def test_an_agreement_reads_its_rows_in_the_jurisdictions_time() -> None:
    submitted = Submitted(
        [
            ("result", "agreement"),
            ("agreement.obligations.0.kind", "apology"),
            ("agreement.obligations.0.description", "Written apology"),
            ("agreement.obligations.0.first_due", "2030-05-01T09:30"),
            ("agreement.obligations.1.description", ""),  # a blank row is left out
        ]
    )
    data = values_of(describe(RecordOutcome, submitted, {}), submitted, ZONE)
    payload = RecordOutcome.model_validate(data | {"kind": "record_outcome"})
    assert payload.agreement is not None and len(payload.agreement.obligations) == 1
    due = payload.agreement.obligations[0].first_due
    assert due.utcoffset() is not None and due.hour == 9  # 09:30 in Chicago, as typed


def test_a_blank_optional_group_is_absent() -> None:
    submitted = Submitted([("result", "no_agreement")])
    data = values_of(describe(RecordOutcome, submitted, {}), submitted, ZONE)
    assert data["agreement"] is None


def test_the_facilitator_form_offers_the_roster_with_endorsements() -> None:
    demo = load_jurisdictions(DEMO_FILE)["demo"]
    choices = roster_choices(demo, date(2026, 6, 1))
    fields = describe(PAYLOADS[TaskKind.ASSIGN_FACILITATORS], Submitted(), {}, choices=choices)
    offered = fields[0].choices
    assert [c.value for c in offered] == [e.id for e in demo.roster]
    trainee = offered[-1]
    assert trainee.disabled and "no current family-violence endorsement" in trainee.note


class Nested(BaseModel):
    when: date


def test_a_value_that_does_not_parse_is_refused_by_the_model_not_lost() -> None:
    submitted = Submitted([("when", "not a date")])
    fields = describe(Nested, submitted, {})
    assert fields[0].value == "not a date"
    assert values_of(fields, submitted, ZONE) == {"when": "not a date"}
