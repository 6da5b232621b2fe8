"""Arguments of the case's updates and signals, and of the obligation child workflow."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from domain.agreement import Obligation, ObligationProgress
from domain.enums import DirectiveKind, DispositionKind, Party, ReviewDecision, SafetyEventKind
from domain.message_log import MessageRecord
from domain.policy import Jurisdiction
from domain.referral import Participant
from domain.reports import CourtReport, Notification


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ConsentWithdrawal(Message):
    party: Party
    note: str = Field(default="", description="Staff-only; never reaches the court.")


class SafetyEvent(Message):
    kind: SafetyEventKind
    description: str = Field(default="", description="Staff-only detail.")


class StatementSharing(Message):
    """The victim's choice, recorded by her advocate, whether one of her statements may
    reach the court: she may take a shared statement back at any time (DESIGN §2 rule 2)."""

    share_with_court: bool


class NumberedStatementSharing(StatementSharing):
    number: int = Field(ge=1, description="The statement's number in the advocate's view.")


class CourtDirective(Message):
    kind: DirectiveKind
    note: str = ""


class Disposition(Message):
    kind: DispositionKind
    decided_on: datetime


class ObligationInput(Message):
    case_id: str
    index: int
    obligation: Obligation
    jurisdiction: Jurisdiction
    participant_reachable: bool = True
    # Where the participant's reminders go (from the referral) and the case they are on;
    # obligations started before them send without.
    participant_phone: str | None = None
    participant_email: str | None = None
    case_number: str = ""


ObligationEvent = Literal[
    "due",
    "met",
    "missed",
    "review_needed",
    "excused",
    "extended",
    "breached",
    "completed",
    "contact_needed",  # a message for a participant with no phone or email
    "message",  # what became of a message it sent (`delivery`)
]


class ObligationReport(Message):
    """Child → case: what just happened to one obligation, with its whole progress."""

    index: int
    event: ObligationEvent
    occurrence: int
    due: datetime | None = None
    progress: ObligationProgress
    message: str = Field(default="", description="contact_needed: what to pass on to him.")
    delivery: MessageRecord | None = Field(
        default=None, description="contact_needed and message: what became of the message."
    )


class EvidenceVerified(Message):
    occurrence: int


class ReviewOutcome(Message):
    occurrence: int
    decision: ReviewDecision
    extend_days: float | None = None


class Resume(Message):
    paused_seconds: float = Field(ge=0)


class HearingsQuery(Message):
    """Which case's hearings to ask the court for: the jurisdiction by id, as workers find
    its adapters by id (settings by reference)."""

    jurisdiction: str
    court_id: str
    case_number: str


class FilingRequest(Message):
    jurisdiction: Jurisdiction
    report: CourtReport


class NotificationRequest(Message):
    notification: Notification


class IncidentQuery(Message):
    jurisdiction: Jurisdiction
    participant: Participant
    since: date
