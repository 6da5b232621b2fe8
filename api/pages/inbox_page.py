"""The staff inbox page: the person's open tasks across cases, oldest deadline first, read
through the API's own inbox (api/inbox.py) with the same roles and jurisdictions; filters
by task kind, stage and jurisdiction; counts of cases by stage; it refreshes itself."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from api.access import WORK_TASKS, caller_jurisdictions
from api.auth import Caller
from api.inbox import Cursor
from api.pages.context import Found, SignedIn, State, with_roles
from api.pages.errors import PageRoute
from api.problems import ProblemError, ProblemKind
from api.schemas import InboxItem
from api.services import Services
from domain.enums import Role, Stage, TaskKind

E = TypeVar("E", TaskKind, Stage)
router = APIRouter(route_class=PageRoute, include_in_schema=False)
PAGE_SIZE = 25
# A filtered inbox reads the unfiltered one in pages of this many, at most this often.
FILTER_READ = 100
FILTER_ROUNDS = 10


@dataclass(frozen=True)
class Filters:
    kind: TaskKind | None
    stage: Stage | None
    jurisdiction: str | None

    def keep(self, item: InboxItem) -> bool:
        return (self.kind is None or item.task.kind is self.kind) and (
            self.stage is None or item.task.stage is self.stage
        )


@router.get("/staff")
async def staff_home() -> Response:
    return RedirectResponse("/staff/", status_code=308)


@router.get("/staff/")
async def inbox(
    request: Request,
    person: SignedIn,
    found: Found,
    state: State,
    kind: str = "",
    stage: str = "",
    jurisdiction: str | None = None,
    cursor: str | None = None,
) -> Response:
    if Role.ADMIN in person.caller.roles and not person.caller.has_any(WORK_TASKS):
        return RedirectResponse("/staff/admin/audit", status_code=303)
    caller = await with_roles(person, WORK_TASKS)
    mine = caller_jurisdictions(caller, found)
    # A filter form sends every select, the ones left at "any" empty.
    filters = Filters(
        _chosen(TaskKind, kind),
        _chosen(Stage, stage),
        jurisdiction if jurisdiction in mine else None,
    )
    where = [filters.jurisdiction] if filters.jurisdiction else mine
    now = datetime.now(UTC)
    items, after = await _tasks(
        found, caller, where, filters, Cursor.decode(cursor) if cursor else None, now
    )
    counts = await state.counts.of(found, caller.roles & WORK_TASKS, where)
    fragment = request.headers.get("hx-target") == "inbox-list"
    return state.templates.render(
        request,
        "inbox_list.html" if fragment else "inbox.html",
        {
            "items": items,
            "next_cursor": after.encode() if after else None,
            "filters": filters,
            "jurisdictions": mine,
            "counts": counts,
            "kinds": list(TaskKind),
            "stages": list(Stage),
            "zones": {j: found.jurisdictions[j].timezone for j in mine},
            "now": now,
        },
    )


def _chosen(codes: type[E], value: str) -> E | None:
    if not value:
        return None
    try:
        return codes(value)
    except ValueError:
        raise ProblemError(ProblemKind.VALIDATION, f"no such choice: {value!r}") from None


async def _tasks(
    found: Services,
    caller: Caller,
    where: list[str],
    filters: Filters,
    after: Cursor | None,
    now: datetime,
) -> tuple[list[InboxItem], Cursor | None]:
    """A page of tasks; with a kind or stage filter, read on until a page is full."""
    roles = caller.roles & WORK_TASKS
    if filters.kind is None and filters.stage is None:
        return await found.inbox.page(roles, where, limit=PAGE_SIZE, after=after, now=now)
    kept: list[InboxItem] = []
    for _ in range(FILTER_ROUNDS):
        items, after = await found.inbox.page(roles, where, limit=FILTER_READ, after=after, now=now)
        for item in items:
            if filters.keep(item):
                kept.append(item)
                if len(kept) == PAGE_SIZE:
                    return kept, Cursor(item.task.due_at, item.task.id)
        if after is None:
            break
    return kept, after
