"""The case as the workflow keeps it: the record every view is redacted from."""

from datetime import datetime
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
    RiskFlag,
    RiskLevel,
    SafetyEventKind,
    Stage,
)
from domain.policy import Jurisdiction
from domain.referral import Incident, Referral, VictimContact, normalise_case_number
from domain.reports import FiledReport
from domain.tasks import Facilitator, RiskAssessment, Task

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
    compliance: ComplianceLevel | None = None
    disposition: DispositionKind | None = None
    safety_events: list[SafetyEventRecord] = Field(default_factory=list)
    directives: list[DirectiveRecord] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    proposed_victim_contact: VictimContact | None = Field(
        default=None, description="From a repeat referral, until the advocate decides."
    )
    reports: list[FiledReport] = Field(default_factory=list)
    notifications_sent: int = 0
    timeline: list[TimelineEntry] = Field(default_factory=list)
    next_task_number: int = 1
    version: int = Field(default=0, description="Bumped on every change a client may wait for.")
    continued_as_new: int = 0

    def open_tasks(self) -> list[Task]:
        return [t for t in self.tasks if t.done_at is None]

    def consent(self, party: Party) -> ConsentRecord | None:
        return next((c for c in self.consents if c.party is party), None)

    def victim_contact_allowed(self) -> bool:
        victim = self.consent(Party.VICTIM)
        return self.outcome is None and (victim is None or victim.withdrawn_at is None)


def case_workflow_id(jurisdiction: str, court_case_number: str) -> str:
    return f"case-{jurisdiction}-{normalise_case_number(court_case_number)}"
