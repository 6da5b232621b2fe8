"""A jurisdiction's staff directory and its notifier choice (DESIGN §9): whom a staff
alert reaches, and how messages leave.

Both are the configuration as it is now, read by the worker at start and never copied
into a case's snapshot (like the roster): a new coordinator or a changed number reaches
every open case. Settings a file gets wrong are refused when it is loaded
(`staff_problems`), naming the entry and field.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from domain.contacts import normal_email, normal_phone
from domain.enums import Role


class NotifierChoice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str = Field(default="outbox", description="A registered notifier: outbox, smtp, sms.")
    settings: dict[str, Any] = Field(default_factory=dict)


class StaffMember(BaseModel):
    """One person in the staff directory: whom an alert for one of their roles reaches."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)
    email: str | None = None
    phone: str | None = Field(default=None, description="International form: +, country code.")


def staff_problems(staff: list[StaffMember]) -> list[str]:
    """Each entry must be reachable, by an address a notifier can use."""
    found: list[str] = []
    for index, member in enumerate(staff):
        where = f"staff.{index}"
        if member.email is None and member.phone is None:
            found.append(f"{where}: {member.name} has neither email nor phone")
        if member.email is not None and normal_email(member.email) is None:
            found.append(f"{where}.email: {member.name}'s email is not an email address")
        if member.phone is not None and normal_phone(member.phone) is None:
            found.append(
                f"{where}.phone: {member.name}'s phone must be in international form "
                "(+ and the country code)"
            )
    return found


def staff_with_role(staff: list[StaffMember], role: Role) -> list[StaffMember]:
    return [member for member in staff if role in member.roles]
