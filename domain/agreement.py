"""The conference agreement and its obligations."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.enums import ObligationKind, ObligationStatus


class Obligation(BaseModel):
    """One agreement item: one-off (a due date) or recurring (every N days, `occurrences` times)."""

    model_config = ConfigDict(extra="forbid")

    kind: ObligationKind
    description: str = Field(min_length=1)
    provider: str | None = None
    first_due: datetime
    every_days: float | None = Field(default=None, gt=0)
    occurrences: int = Field(default=1, ge=1)
    allowed_misses: int = Field(default=0, ge=0)
    evidence_required: str = "provider confirmation"
    victim_informed: bool = Field(
        default=False, description="The victim asked to hear of this item's progress."
    )

    @model_validator(mode="after")
    def _recurring_needs_interval(self) -> "Obligation":
        if self.occurrences > 1 and self.every_days is None:
            raise ValueError("a recurring obligation needs every_days")
        if self.allowed_misses >= self.occurrences:
            raise ValueError("allowed_misses must be fewer than occurrences")
        return self

    @property
    def involves_victim(self) -> bool:
        """Whether the item cannot go on without the victim, so ends if she withdraws.

        An apology is delivered to her and contact terms govern contact with her, so both
        always do. Restitution does when she hears of it (`victim_informed`): it is paid
        through the program to her. Restitution to anyone else, and every programme,
        counselling, treatment or community work, goes on without her (README, "Withdrawal
        after an agreement")."""
        if self.kind in (ObligationKind.APOLOGY, ObligationKind.CONTACT_TERMS):
            return True
        return self.kind is ObligationKind.RESTITUTION and self.victim_informed

    def due_dates(self) -> list[datetime]:
        from datetime import timedelta

        step = timedelta(days=self.every_days or 0)
        return [self.first_due + step * i for i in range(self.occurrences)]


class Agreement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    obligations: list[Obligation] = Field(min_length=1)
    summary: str = ""


class ObligationProgress(BaseModel):
    """What the case knows of one obligation; kept current by its child workflow."""

    index: int
    kind: ObligationKind
    description: str
    status: ObligationStatus = ObligationStatus.PENDING
    met: int = 0
    missed: int = 0
    excused: int = 0
    extensions: int = 0
    occurrences: int = 1
    continued_by_court: bool = False
    next_due: datetime | None = None
    released_for_victim: bool = Field(
        default=False,
        description="Ended because the victim withdrew: the occurrences still open are "
        "excused, as the coordinator may excuse any, so the court reads an excused item. "
        "Staff-only.",
    )


def release_for_victim(progress: ObligationProgress) -> ObligationProgress:
    """The item as it ends when the victim withdraws: every occurrence still open is
    excused (a miss under review with them), as the coordinator may excuse any. The court
    reads an excused item, as after any excuse, and never why (README, "Withdrawal after
    an agreement")."""
    released = progress.model_copy()
    if released.status is ObligationStatus.UNDER_REVIEW:
        released.missed -= 1
    still_open = released.occurrences - released.met - released.missed - released.excused
    released.excused += max(still_open, 0)
    released.status, released.next_due = ObligationStatus.MET, None
    released.released_for_victim = True
    return released
