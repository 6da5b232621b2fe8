"""The case as the workflow keeps it: the record every view is redacted from."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from domain.agreement import Agreement, ObligationProgress
from domain.enums import (
    ComplianceLevel,
    ConferenceResult,
    DirectiveKind,
    DispositionKind,
    NotProceededReason,
    Outcome,
    Party,
    ReviewTrigger,
    RiskFlag,
    RiskLevel,
    SafetyEventKind,
    Stage,
)
from domain.message_log import MessageRecord
from domain.policy import Jurisdiction
from domain.referral import Incident, Referral, VictimContact, normalise_case_number
from domain.reports import FiledReport
from domain.task_payloads import Facilitator, RiskAssessment
from domain.tasks import Task

Audience = Literal["court", "staff"]


class TimelineEntry(BaseModel):
    at: datetime
    stage: Stage
    event: str
    audience: Audience = Field(
        default="court", description="'staff' entries may name a party; court roles never see them."
    )


class ConsentRecord(BaseModel):
    party: Party
    given_at: datetime | None = None
    mode: str | None = None
    withdrawn_at: datetime | None = None


class ScreeningRecord(BaseModel):
    eligible: bool
    reasons: list[str] = Field(default_factory=list)
    risk: RiskAssessment
    risk_level: RiskLevel
    flags: list[RiskFlag] = Field(default_factory=list)
    review_required: bool = False
    review_passed: bool | None = None


class ReviewRecord(BaseModel):
    """A multi-agency review (DESIGN §2 rule 5): asked for at screening, or again when a
    new incident or a reported order breach raises an escalation flag; pending until the
    coordinator records it."""

    task_id: str
    trigger: ReviewTrigger
    incident_number: str | None = Field(
        default=None, description="The new incident that asked for it (trigger new_incident)."
    )
    flags: list[RiskFlag] = Field(
        default_factory=list, description="The escalation flags it weighs; none: the risk level."
    )
    requested_at: datetime
    may_proceed: bool | None = Field(default=None, description="The decision; none: pending.")
    agencies: list[str] = Field(default_factory=list)
    conditions: str = ""
    decided_on: date | None = None
    recorded_by: str = ""

    def describe(self) -> str:
        """One line for staff: when, who, on what, and the conditions set."""
        cause = review_cause(self.trigger, self.flags, self.incident_number)
        decided = f"{self.decided_on}" if self.decided_on else "pending"
        conditions = self.conditions.strip() or "no conditions"
        return f"review {decided} ({', '.join(self.agencies)}) on {cause}: {conditions}"


def review_cause(
    trigger: ReviewTrigger, flags: Sequence[RiskFlag], incident_number: str | None
) -> str:
    """What asked for a review, e.g. 'incident 2026-007450: strangulation'."""
    listed = ", ".join(flags) or "risk level"
    if incident_number:
        return f"incident {incident_number}: {listed}"
    if trigger is ReviewTrigger.ORDER_BREACH:
        return f"a reported order breach: {listed}"
    return listed


class ManualPoliceCheck(BaseModel):
    """A police check staff made by hand (the police system could not be reached)."""

    at: datetime
    purpose: str = Field(description="What the check was for: intake or the readiness gate.")
    checked_with: str
    incident_numbers: list[str] = Field(default_factory=list)


class ConferenceRecord(BaseModel):
    at: datetime | None = None
    location: str | None = None
    result: ConferenceResult | None = None
    reschedules: int = 0


class Statement(BaseModel):
    """Words from the victim. Court-facing output carries one only if shared."""

    text: str
    share_with_court: bool = False


class StopRecord(BaseModel):
    """Why a case ended early: `reason` is what the court sees, `cause` is staff-only."""

    outcome: Outcome
    reason: NotProceededReason | None = None
    cause: str
    not_completed: bool = Field(
        default=False,
        description="The participant withdrew after an agreement: not an early end but the "
        "agreement's non-completion, which the final report states.",
    )


class SafetyEventRecord(BaseModel):
    kind: SafetyEventKind
    at: datetime
    description: str = ""


class DirectiveRecord(BaseModel):
    kind: DirectiveKind
    at: datetime
    note: str = ""


class SuspendedStage(BaseModel):
    """The stage a safety event interrupted, restored when the case resumes."""

    stage: Stage
    at: datetime
    entered_at: datetime | None = None
    deadline: datetime | None = None
    reminded: bool = False
    escalated: bool = False


class CaseState(BaseModel):
    case_id: str
    jurisdiction: Jurisdiction
    referral: Referral
    stage: Stage = Stage.REFERRED
    stage_entered_at: datetime | None = None
    stage_deadline: datetime | None = None
    stage_reminded: bool = False
    stage_escalated: bool = False
    suspension: SuspendedStage | None = None
    outcome: Outcome | None = None
    stop: StopRecord | None = None
    incidents: list[Incident] = Field(default_factory=list)
    auto_flags: list[RiskFlag] = Field(default_factory=list)
    screening: ScreeningRecord | None = None
    reviews: list[ReviewRecord] = Field(
        default_factory=list,
        description="Multi-agency reviews, at screening and after new incidents; staff-only.",
    )
    consents: list[ConsentRecord] = Field(default_factory=list)
    victim_wants_updates: bool = False
    victim_statements: list[Statement] = Field(default_factory=list)
    facilitators: list[Facilitator] = Field(default_factory=list)
    meetings_held: list[str] = Field(default_factory=list)
    safety_plan_in_place: bool = False
    conference: ConferenceRecord = Field(default_factory=ConferenceRecord)
    agreement: Agreement | None = None
    obligations: list[ObligationProgress] = Field(default_factory=list)
    obligations_started: bool = False
    breaches_reported: list[int] = Field(default_factory=list)
    awaiting_directive: bool = False
    last_progress_report_at: datetime | None = None
    hearings_reported: list[datetime] = Field(
        default_factory=list, description="Hearings a progress report went out before."
    )
    agreement_not_completed: bool = Field(
        default=False,
        description="The participant withdrew after the agreement: its remaining items are "
        "cancelled and the final report says it was not completed.",
    )
    compliance: ComplianceLevel | None = None
    disposition: DispositionKind | None = None
    safety_events: list[SafetyEventRecord] = Field(default_factory=list)
    manual_police_checks: list[ManualPoliceCheck] = Field(default_factory=list)
    directives: list[DirectiveRecord] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    proposed_victim_contact: VictimContact | None = Field(
        default=None, description="From a repeat referral, until the advocate decides."
    )
    reports: list[FiledReport] = Field(default_factory=list)
    report_sequence: int = Field(
        default=0,
        description="The last report sequence reserved: two filings under way at once "
        "never share one (or an idempotency key).",
    )
    notifications_sent: int = 0
    messages: list[MessageRecord] = Field(
        default_factory=list,
        description="What became of each message the case sent: staff-only (issue 15).",
    )
    timeline: list[TimelineEntry] = Field(default_factory=list)
    next_task_number: int = 1
    version: int = Field(default=0, description="Bumped on every change a client may wait for.")
    continued_as_new: int = 0

    def open_tasks(self) -> list[Task]:
        return [t for t in self.tasks if t.done_at is None]

    def pending_reviews(self) -> list[ReviewRecord]:
        return [r for r in self.reviews if r.may_proceed is None]

    def consent(self, party: Party) -> ConsentRecord | None:
        return next((c for c in self.consents if c.party is party), None)

    def victim_contact_allowed(self) -> bool:
        victim = self.consent(Party.VICTIM)
        return self.outcome is None and (victim is None or victim.withdrawn_at is None)


def case_workflow_id(jurisdiction: str, court_case_number: str) -> str:
    return f"case-{jurisdiction}-{normalise_case_number(court_case_number)}"
