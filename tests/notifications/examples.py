"""Invented jurisdictions, staff and notifications for the notifier tests."""

import itertools
from datetime import UTC, datetime
from typing import Any

from domain.enums import Role
from domain.policy import DEMO_FILE, Jurisdiction, load_jurisdictions
from domain.reports import Notification
from domain.staff_directory import NotifierChoice, StaffMember
from tests.notifications.conftest import SID_ENV, TOKEN_ENV

DEMO = load_jurisdictions(DEMO_FILE)["demo"]
OUR_NUMBER = "+15550100999"
PARTICIPANT_PHONE = "+1 (555) 0100-418"  # as a referral may write it
PARTICIPANT_NUMBER = "+15550100418"  # as it is texted
OPT_OUT = "Reply STOP to stop these messages."
STAFF = [
    StaffMember(
        name="Mariana Oyelaran-Souza",
        roles=[Role.COORDINATOR],
        email="mariana@demo-rj.example",
        phone="+15550100201",
    ),
    StaffMember(
        name="Björn Ekström",
        roles=[Role.COORDINATOR, Role.VICTIM_ADVOCATE],
        email="bjorn@demo-rj.example",
        phone="+15550100203",
    ),
    StaffMember(name="Tuệ Lâm Nguyễn", roles=[Role.VICTIM_ADVOCATE], phone="+15550100202"),
]
_numbers = itertools.count(1)


def jurisdiction(
    kind: str, settings: dict[str, Any], staff: list[StaffMember] = STAFF
) -> Jurisdiction:
    return DEMO.model_copy(
        update={"notifier": NotifierChoice(kind=kind, settings=settings), "staff": staff}
    )


def sms_jurisdiction(base_url: str, staff: list[StaffMember] = STAFF) -> Jurisdiction:
    settings = {
        "account_sid_env": SID_ENV,
        "auth_token_env": TOKEN_ENV,
        "from_number": OUR_NUMBER,
        "base_url": base_url,
        "allow_insecure_http": True,
    }
    return jurisdiction("sms", settings, staff)


def smtp_jurisdiction(port: int) -> Jurisdiction:
    settings = {
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "from_address": "reminders@demo-rj.example",
    }
    return jurisdiction("smtp", settings)


def to_participant(phone: str | None = PARTICIPANT_PHONE, email: str | None = None) -> Notification:
    return _notification(
        to_participant=True,
        participant_phone=phone,
        participant_email=email,
        subject="Reminder",
        body="Your programme session is on Tuesday 9 March at 18:00.",
    )


def to_staff(role: Role = Role.COORDINATOR, urgent: bool = False) -> Notification:
    return _notification(
        to_role=role,
        urgent=urgent,
        subject="Reminder: screen_case",
        body="Case CR-2027-0412: screening is due on Friday 12 March.",
    )


def _notification(**fields: Any) -> Notification:
    n = next(_numbers)
    return Notification(
        id=f"case-demo-cr-2027-0412.n{n}",
        case_id="case-demo-cr-2027-0412",
        jurisdiction="demo",
        opt_out=OPT_OUT,
        created_at=datetime(2027, 3, 2, 15, n % 60, tzinfo=UTC),
        **fields,
    )
