"""The staff case page and its task forms: the case as the person's roles read it
(domain/case_views.py), and each open task for them completed through the API's own
path (api/routes/tasks.py), the case's refusal shown beside the form."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from api.access import REPORT_SAFETY, STAFF, WORK_TASKS
from api.auth import Caller
from api.pages import words
from api.pages.context import Found, SignedIn, State, reachable_case, with_roles, zone_of
from api.pages.errors import PageRoute
from api.pages.forms import ChoiceOverrides, submitted_form
from api.pages.task_forms import TaskForm, blank_form, kept_form, read_form, roster_choices
from api.pages.words import MORE_ROWS
from api.problems import ProblemError, ProblemKind
from api.routes.tasks import complete_task, my_task, scope_of
from api.services import Services
from domain.case_views import case_view_for
from domain.enums import Role
from domain.staff_view import AdvocateCaseView, StaffCaseView
from domain.task_rules import visible_to
from domain.tasks import Task

router = APIRouter(route_class=PageRoute, include_in_schema=False)
STAFF_PAGES = STAFF | {Role.ADMIN}
WITHDRAWERS = frozenset({Role.VICTIM_ADVOCATE, Role.COORDINATOR})


@router.get("/staff/cases/{case_id}")
async def case_page(
    case_id: str, request: Request, person: SignedIn, found: Found, state: State
) -> Response:
    caller = await with_roles(person, STAFF_PAGES)
    await reachable_case(case_id, caller, found, STAFF_PAGES)
    state.audit.record(caller.subject, "viewed case", case_id)
    return await render_case(request, case_id, caller, found, state, {})


async def render_case(
    request: Request,
    case_id: str,
    caller: Caller,
    found: Found,
    state: State,
    kept: dict[str, TaskForm],
    status: int = 200,
) -> Response:
    now = datetime.now(UTC)
    view = case_view_for(await found.gateway.view(case_id), caller.roles, now)
    if not isinstance(view, StaffCaseView):  # READ_CASES less STAFF_PAGES: the court's pages
        raise ProblemError(ProblemKind.FORBIDDEN, "the court's view is on the court's pages")
    choices = _choices(found, view.jurisdiction, now)
    forms = [kept.get(t.id) or blank_form(t, choices) for t in my_open_tasks(view, caller, found)]
    return state.templates.render(
        request,
        "staff_case.html",
        {
            "case": view,
            "advocate": isinstance(view, AdvocateCaseView),
            "forms": forms,
            "zone": zone_of(found, view.jurisdiction),
            "done": request.query_params.get("done", ""),
            "now": now,
            "side": "staff",
            "may_report_safety": caller.has_any(REPORT_SAFETY),
            "may_withdraw": caller.has_any(WITHDRAWERS),
        },
        status=status,
    )


def my_open_tasks(view: StaffCaseView, caller: Caller, found: Services) -> list[Task]:
    if not caller.has_any(WORK_TASKS):
        return []
    scope = scope_of(caller, found)
    return [
        t
        for t in view.tasks
        if t.done_at is None and not t.cancelled and visible_to(scope, t, view.jurisdiction)
    ]


@router.post("/staff/tasks/{task_id}")
async def submit_task(
    task_id: str, request: Request, person: SignedIn, found: Found, state: State
) -> Response:
    caller = await with_roles(person, WORK_TASKS)
    detail = await my_task(task_id, caller, found)  # 404 for a task that is not theirs
    task, case_id = detail.task, detail.case.case_id
    if task.done_at is not None:
        raise ProblemError(
            ProblemKind.TASK_REJECTED,
            f"{words.task(task.kind).lower()} was already done "
            f"on {task.done_at:%Y-%m-%d %H:%M} UTC",
        )
    submitted = await submitted_form(request)
    choices = _choices(found, detail.case.jurisdiction, datetime.now(UTC))
    if submitted.one(MORE_ROWS):  # "add another item": the same form with one more row
        form = kept_form(task, submitted, choices, refusal="")
        return await render_case(request, case_id, caller, found, state, {task.id: form})
    zone = ZoneInfo(zone_of(found, detail.case.jurisdiction))
    payload, form = read_form(task, submitted, choices, zone)
    if payload is None:
        return await _refused(request, case_id, caller, found, state, task, form)
    try:
        await complete_task(task_id, payload, caller, found)
    except ProblemError as e:
        if e.kind is not ProblemKind.TASK_REJECTED:
            raise
        form = kept_form(task, submitted, choices, refusal=e.detail)
        return await _refused(request, case_id, caller, found, state, task, form)
    state.audit.record(caller.subject, f"completed {task.kind.value}", case_id, task_id=task_id)
    return RedirectResponse(f"/staff/cases/{case_id}?done={task.kind.value}", status_code=303)


async def _refused(
    request: Request,
    case_id: str,
    caller: Caller,
    found: Found,
    state: State,
    task: Task,
    form: TaskForm,
) -> Response:
    state.audit.record(
        caller.subject, f"completed {task.kind.value}", case_id, task_id=task.id, result="refused"
    )
    return await render_case(request, case_id, caller, found, state, {task.id: form}, status=422)


def _choices(found: Services, jurisdiction: str, now: datetime) -> ChoiceOverrides:
    held = found.jurisdictions.get(jurisdiction)
    zone = ZoneInfo(held.timezone) if held is not None else UTC
    return roster_choices(held, now.astimezone(zone).date())
