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
