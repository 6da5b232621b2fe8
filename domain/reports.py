"""Court-facing reports, filings and notifications.

A report holds only what a judge may read (DESIGN §8): the case, the participant, a
neutral stage timeline, the obligations table and next steps. It has no field for the
victim's identity or contact details, and carries a victim statement only when the
victim opted in for that statement.
"""

import hashlib
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from domain.enums import (
    ComplianceLevel,
    NotProceededReason,
    ObligationKind,
    ObligationStatus,
    ReportKind,
    Role,
    Stage,
)


class ReportObligationRow(BaseModel):
    kind: ObligationKind
    description: str
    status: ObligationStatus
    met: int
    missed: int
    excused: int


class ReportMilestone(BaseModel):
    at: datetime
    stage: Stage


class CourtReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ReportKind
    case_id: str
    sequence: int = Field(ge=1)
    jurisdiction: str
    court_id: str
    court_case_number: str
    participant_name: str
    generated_at: datetime
    stage: Stage
    summary: str
    not_proceeded_reason: NotProceededReason | None = None
    compliance: ComplianceLevel | None = None
    obligations: list[ReportObligationRow] = Field(default_factory=list)
    milestones: list[ReportMilestone] = Field(default_factory=list)
    next_steps: str = ""
    victim_statement: str | None = Field(
        default=None, description="Present only when the victim opted in for this statement."
    )
    version: int = Field(
        default=1,
        ge=1,
        # Left out of the document while 1, so a first version reads (and hashes) as
        # reports did before versions existed.
        exclude_if=lambda version: version == 1,
        description="The filing's version: a refile after an amendment is the next one.",
    )

    @property
    def idempotency_key(self) -> str:
        """One key per case, report sequence and version, so a retried filing is one
        filing and an amended one is another. The first version's key has no suffix: keys
        of reports filed before versions existed stay as they were."""
        key = f"{self.case_id}:report:{self.sequence}"
        return key if self.version == 1 else f"{key}:v{self.version}"

    def document_bytes(self) -> bytes:
        return self.model_dump_json(indent=2).encode()

    def document_hash(self) -> str:
        return hashlib.sha256(self.document_bytes()).hexdigest()


class FilingReceipt(BaseModel):
    idempotency_key: str
    document_hash: str
    court_reference: str
    filed_at: datetime
    accepted: bool = True
    rejection_reason: str | None = None


class FiledReport(BaseModel):
    """What the case history keeps of a filing."""

    kind: ReportKind
    sequence: int
    version: int = Field(default=1, description="The version the court took (amended refiles).")
    document_hash: str
    court_reference: str | None = None
    filed_at: datetime | None = None
    pending_task_id: str | None = None


class Notification(BaseModel):
    """A message to staff (by role) or to the participant; never to the victim directly."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Deterministic, so a retried send is one message.")
    case_id: str
    jurisdiction: str
    to_role: Role | None = None
    to_participant: bool = False
    subject: str
    body: str
    opt_out: str = "Reply STOP to stop these messages; program staff can be reached at the office."
    created_at: datetime
