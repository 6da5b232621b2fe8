"""Safety events and consent withdrawals, one click from every case page for the roles
the API allows them (api/access.py), each behind a confirmation step. Both go to the
case through the gateway's update, as the API's routes do."""

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError

from api.access import REPORT_SAFETY, WITHDRAW_FOR, may_withdraw
from api.pages.context import Found, SignedIn, State, reachable_case, with_roles, zone_of
from api.pages.errors import PageRoute
from api.pages.form_values import values_of
from api.pages.forms import Choice, ChoiceOverrides, Submitted, describe, field_errors
from api.pages.forms import submitted_form as read_submitted
from api.pages.words import code
from api.problems import ProblemError, ProblemKind
from domain.enums import Role
from workflows.case import DiversionCase
from workflows.messages import ConsentWithdrawal, SafetyEvent

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@dataclass(frozen=True)
class Action:
    slug: str
    model: type[BaseModel]
    roles: frozenset[Role]
    update: Any
    heading: str
    explanation: str
    confirm: str
    button: str


ACTIONS = {
    "safety-event": Action(
        "safety-event",
        SafetyEvent,
        REPORT_SAFETY,
        DiversionCase.report_safety_event,
        "Report a safety event",
        "The case is suspended at once, the victim advocate gets an urgent task and the "
        "court is told.",
        "I confirm: suspend this case now.",
        "Suspend the case and report",
    ),
    "withdrawal": Action(
        "withdrawal",
        ConsentWithdrawal,
        frozenset(WITHDRAW_FOR.values()),
        DiversionCase.withdraw_consent,
        "Record a withdrawal of consent",
        "Withdrawal stops the restorative process for this party. When the victim "
        "withdraws, all contact with her stops at once. The court is told only that the "
        "process did not proceed.",
        "I confirm: this party has withdrawn their consent.",
        "Record the withdrawal",
    ),
}


def _choices(action: Action, roles: frozenset[Role]) -> ChoiceOverrides:
    """A withdrawal names only the parties this person speaks for."""
    if action.model is not ConsentWithdrawal:
        return {}
    parties = [p for p, role in WITHDRAW_FOR.items() if role in roles]
    return {("ConsentWithdrawal", "party"): [Choice(p.value, code(p)) for p in parties]}


@router.get("/{side}/cases/{case_id}/{slug}")
async def confirm_action(
    side: str,
    case_id: str,
    slug: str,
    request: Request,
    person: SignedIn,
    found: Found,
    state: State,
) -> Response:
    action, back = await _reach(side, case_id, slug, person, found)
    fields = describe(action.model, Submitted(), {}, choices=_choices(action, person.caller.roles))
    return await _page(request, state, found, action, case_id, back, fields)


@router.post("/{side}/cases/{case_id}/{slug}")
async def take_action(
    side: str,
    case_id: str,
    slug: str,
    request: Request,
    person: SignedIn,
    found: Found,
    state: State,
) -> Response:
    action, back = await _reach(side, case_id, slug, person, found)
    caller = person.caller
    submitted = await read_submitted(request)
    choices = _choices(action, caller.roles)
    fields = describe(action.model, submitted, {}, choices=choices)
    view_zone = ZoneInfo(zone_of(found, (await found.gateway.summary(case_id)).jurisdiction))
    if submitted.one("confirm") != "yes":
        return await _page(
            request, state, found, action, case_id, back, fields,
            problems=["Tick the confirmation to go ahead."], status=422,
        )  # fmt: skip
    try:
        message = action.model.model_validate(values_of(fields, submitted, view_zone))
        if isinstance(message, ConsentWithdrawal):
            await may_withdraw(withdrawal=message, caller=caller)
        await found.gateway.update(case_id, action.update, message)
    except ValidationError as e:
        by_field, general = field_errors([dict(err) for err in e.errors()], fields)
        shown = describe(action.model, submitted, by_field, choices=choices)
        return await _page(
            request, state, found, action, case_id, back, shown, problems=general, status=422
        )
    except ProblemError as e:
        if e.kind not in (ProblemKind.TASK_REJECTED, ProblemKind.FORBIDDEN):
            raise
        state.audit.record(caller.subject, action.slug, case_id, result="refused")
        return await _page(
            request, state, found, action, case_id, back, fields, refusal=e.detail, status=422
        )
    state.audit.record(caller.subject, action.slug, case_id)
    return RedirectResponse(f"{back}?done={action.slug}", status_code=303)


async def _reach(
    side: str, case_id: str, slug: str, person: Any, found: Found
) -> tuple[Action, str]:
    action = ACTIONS.get(slug)
    if action is None or side not in ("staff", "court"):
        raise ProblemError(ProblemKind.NOT_FOUND, "no such page")
    caller = await with_roles(person, action.roles)
    await reachable_case(case_id, caller, found, action.roles)
    return action, f"/{side}/cases/{case_id}"


async def _page(
    request: Request,
    state: State,
    found: Found,
    action: Action,
    case_id: str,
    back: str,
    fields: list[Any],
    *,
    refusal: str = "",
    problems: list[str] | None = None,
    status: int = 200,
) -> Response:
    summary = await found.gateway.summary(case_id)
    return state.templates.render(
        request,
        "action.html",
        {
            "heading": action.heading,
            "explanation": action.explanation,
            "confirm": action.confirm,
            "button": action.button,
            "case_number": summary.court_case_number,
            "action": f"{back}/{action.slug}",
            "back": back,
            "fields": fields,
            "refusal": refusal,
            "problems": problems or [],
        },
        status=status,
    )
