"""A filing's status as the court answers it (DESIGN §7): received, then accepted or
rejected. Some courts decide at once, in their reply to the filing; others only receive
it then and answer later, by a docketing callback or when asked. The case keeps each
answer in the filing's status history, with the court's own words for a rejection.

Kept in case histories (a filed report's status, the case's updates): a field added later
needs a default, and none may be taken away.
"""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FilingState = Literal["received", "accepted", "rejected"]
CourtDecision = Literal["accepted", "rejected"]
AnswerSource = Literal["receipt", "callback", "poll", "staff"]


class FilingStatusEntry(BaseModel):
    """One step of a filing's status: what the court (or staff, checking with the clerk)
    said, when, about which version of the report."""

    status: FilingState
    at: datetime
    version: int = 1
    reason: str | None = Field(default=None, description="The court's words for a rejection.")
    reference: str | None = Field(default=None, description="The court's reference, if any.")
    source: AnswerSource = "receipt"


class CourtAnswer(BaseModel):
    """The court's later answer to a filing, delivered to its case (the `filing_status`
    update): from a docketing callback, or from asking the court (a status poll)."""

    model_config = ConfigDict(extra="forbid")

    reference: str = Field(
        min_length=1,
        max_length=200,
        description="The court's reference for the filing, or the filing's idempotency key.",
    )
    status: CourtDecision
    reason: str | None = Field(default=None, max_length=2000)
    source: Literal["callback", "poll"] = "callback"


class FilingStatusQuery(BaseModel):
    """Which filing to ask a court about: the jurisdiction by id (workers find its
    adapters by id), the court's reference and the filing's idempotency key, and the
    court the case is before (its referral's court id; None from cases that asked before
    it was carried, whose format then names the court its settings give, if any)."""

    model_config = ConfigDict(extra="forbid")

    jurisdiction: str
    court_reference: str
    idempotency_key: str
    court_id: str | None = None


class PolledStatus(BaseModel):
    """What asking the court found: its answer now, or None when its transport cannot be
    asked (the court calls back instead)."""

    status: FilingState | None = None
    reason: str | None = None
