"""A jurisdiction's facilitator roster (DESIGN §2 rule 6): the trained people a
coordinator may assign, as the jurisdictions file lists them today.

The rules that use it when a case assigns facilitators are in domain/facilitation.py.
"""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class RosterFacilitator(BaseModel):
    """A facilitator on the jurisdiction's roster: whom a coordinator may assign."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_.-]*$",
        description="What a coordinator names them by.",
        examples=["amaru-quispe"],
    )
    name: str = Field(min_length=1)
    sub: str = Field(min_length=1, description="The token subject (`sub`) of their staff account.")
    fv_endorsed: bool = Field(description="They hold the family-violence endorsement.")
    fv_endorsement_expires: date | None = Field(
        default=None,
        description="The last day the endorsement is current; a jurisdictions file must give "
        "it for every endorsed facilitator.",
    )


def roster_problems(roster: list[RosterFacilitator]) -> list[str]:
    """A roster must name each person and account once, and date every endorsement: an
    endorsement that never expires is one nobody renews."""
    found: list[str] = []
    for field in ("id", "sub"):
        values = [getattr(entry, field) for entry in roster]
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            found.append(f"roster.{field}: {', '.join(repeated)} listed more than once")
    for index, entry in enumerate(roster):
        if entry.fv_endorsed and entry.fv_endorsement_expires is None:
            found.append(
                f"roster.{index}.fv_endorsement_expires: {entry.name} ({entry.id}) is endorsed "
                "but the endorsement has no expiry date"
            )
    return found
