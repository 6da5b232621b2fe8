"""The audit log, readable by admins only."""

from fastapi import APIRouter, Request, Response

from api.access import ADMIN
from api.pages.context import SignedIn, State, with_roles
from api.pages.errors import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/staff/admin/audit")
async def audit_page(
    request: Request, person: SignedIn, state: State, case_id: str | None = None
) -> Response:
    await with_roles(person, ADMIN)
    entries = state.audit.latest(case_id=case_id or None)
    return state.templates.render(request, "audit.html", {"entries": entries, "case_id": case_id})
