"""The message log reaches staff and advocates, never a court-side caller (issue 15)."""

from datetime import timedelta

import pytest

from domain.case_views import case_view_for
from domain.enums import Role
from domain.message_log import PARTICIPANT, MessageRecord
from domain.notifications import DeliveryStatus
from domain.staff_view import StaffCaseView
from tests.domain.factories import T0, make_case

NOW = T0 + timedelta(days=50)
LOG = [
    MessageRecord(
        id="case-demo-cr.o0.n1",
        kind="obligation_reminder",
        to=PARTICIPANT,
        status=DeliveryStatus.SUPPRESSED_OPT_OUT,
        at=T0 + timedelta(days=33),
        held_until=T0 + timedelta(days=33),
    ),
    MessageRecord(
        id="case-demo-cr.n7",
        kind="safety_event",
        to=Role.VICTIM_ADVOCATE,
        status=DeliveryStatus.REFUSED,
        at=T0 + timedelta(days=34),
        detail="mailbox full (bounced 552)",
    ),
]


@pytest.mark.parametrize(
    "role", [Role.COORDINATOR, Role.FACILITATOR, Role.ADMIN, Role.VICTIM_ADVOCATE]
)
def test_staff_read_what_became_of_each_message(role: Role) -> None:
    case = make_case()
    case.messages = list(LOG)
    view = case_view_for(case, [role], NOW)
    assert isinstance(view, StaffCaseView)
    assert view.messages == LOG
    view.messages[0].detail = "changed"
    assert case.messages[0].detail == "", "the view shares nothing mutable with the case"


@pytest.mark.parametrize("role", [Role.CLERK, Role.JUDGE, Role.INTEGRATOR])
def test_the_court_reads_nothing_of_them(role: Role) -> None:
    case = make_case()
    case.messages = list(LOG)
    dumped = case_view_for(case, [role], NOW).model_dump_json()
    for text in (
        "messages",
        "suppressed_opt_out",
        "case-demo-cr.n7",
        "bounced",
        "obligation_reminder",
    ):
        assert text not in dumped


def test_a_record_says_whether_anyone_received_it() -> None:
    opted_out, refused = LOG
    assert not opted_out.reached_nobody and not opted_out.delivered
    assert refused.reached_nobody
    assert MessageRecord.model_validate(refused.model_dump(mode="json")) == refused
