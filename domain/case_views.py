"""Which view of a case a caller gets (DESIGN §5): every route, page and list that shows
a case goes through `case_view_for`, never the case state itself."""

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated

from pydantic import Field

from domain.case import CaseState
from domain.court_view import CourtCaseView, court_view
from domain.enums import Role
from domain.staff_view import AdvocateCaseView, StaffCaseView, advocate_view, staff_view

# Admins run the service; they read what coordinators read.
PROGRAM_STAFF = frozenset({Role.COORDINATOR, Role.FACILITATOR, Role.ADMIN})

CaseView = Annotated[
    AdvocateCaseView | StaffCaseView | CourtCaseView, Field(discriminator="audience")
]


def case_view_for(case: CaseState, roles: Iterable[Role], now: datetime) -> CaseView:
    """The advocate's view for an advocate, the staff view for other program staff, and
    the court's for everyone else: a role nobody listed sees the least."""
    held = frozenset(roles)
    if Role.VICTIM_ADVOCATE in held:
        return advocate_view(case)
    if held & PROGRAM_STAFF:
        return staff_view(case)
    return court_view(case, now)
