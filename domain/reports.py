"""Court-facing reports, filings and notifications.

A report holds only what a judge may read (DESIGN §8): the case, the participant, a
neutral stage timeline, the obligations table and next steps. It has no field for the
victim's identity or contact details, and carries a victim statement only when the
victim opted in for that statement.
"""

import hashlib
import re
from datetime import date, datetime
from typing import Literal

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
from domain.filing_status import FilingState, FilingStatusEntry

PageSize = Literal["letter", "a4"]


class ReportSettings(BaseModel):
    """How a jurisdiction's reports are laid out and named (`[jurisdictions.<id>.reports]`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    page_size: PageSize = Field(default="letter", description="US Letter or ISO A4.")
    court_names: dict[str, str] = Field(
        default_factory=dict,
        description="The court's name by its id, as the court writes it on its documents.",
    )


# Every model below is kept in case histories (a filed report's content, `FiledReport`):
# a field added later needs a default, and none may be taken away, or running cases fail
# to load. Each is court-facing: tests/domain/test_court_view_fields.py lists its fields.


class ReportObligationRow(BaseModel):
    """One agreed item as the court reads it: the terms and how they stand."""

    kind: ObligationKind
    description: str
    status: ObligationStatus
    met: int
    missed: int
    excused: int
    provider: str | None = None
    first_due: datetime | None = None
    every_days: float | None = None
    occurrences: int = 1
    allowed_misses: int = 0
    evidence_required: str = ""
    next_due: datetime | None = None


MilestoneEvent = Literal[
    "referral received",
    "stage entered",
    "case resumed",
    "restorative process did not proceed",
    "court directive recorded",
    "court disposition recorded",
    "case closed",
]


class ReportMilestone(BaseModel):
    at: datetime
    stage: Stage
    event: MilestoneEvent = "stage entered"


class ReportHearing(BaseModel):
    at: datetime
    purpose: str = ""


class ReportIncident(BaseModel):
    """A police incident the program learned of: its number and date, nothing more."""

    incident_number: str
    occurred_on: date | None = None


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
    program_name: str = ""
    court_name: str | None = None
    judge: str | None = None
    timezone: str = Field(default="UTC", description="Where dates are read: the jurisdiction's.")
    page_size: PageSize = "letter"
    recommendation: str = ""
    next_hearing: ReportHearing | None = None
    incidents: list[ReportIncident] = Field(default_factory=list)
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

    @property
    def file_stem(self) -> str:
        """An ASCII file name for the report's documents, from its idempotency key."""
        return re.sub(r"[^A-Za-z0-9_-]+", "_", self.idempotency_key)

    def structured_data(self) -> bytes:
        """The report as structured data (JSON), filed beside its PDF."""
        return self.model_dump_json(indent=2).encode()

    def structured_hash(self) -> str:
        """The structured data's hash: what a case keeps for a report staff filed by hand,
        when no PDF hash came back from a filing."""
        return hashlib.sha256(self.structured_data()).hexdigest()


class FilingReceipt(BaseModel):
    """What filing a report gave back. `accepted` is False only when the court refused it
    at once; `status` says whether the court has decided (a filing only received is
    answered later: a docketing callback, a status poll)."""

    idempotency_key: str
    document_hash: str
    court_reference: str
    filed_at: datetime
    accepted: bool = True
    rejection_reason: str | None = None
    status: FilingState = "accepted"
    sent_hash: str | None = Field(
        default=None, description="SHA-256 of the bytes the transport sent (the envelope)."
    )


class FiledReport(BaseModel):
    """What the case history keeps of a filing: the hash of the PDF filed and the report
    it was rendered from, from which it renders again to the same bytes (rendering is
    deterministic). `report` is None for filings made before reports were kept."""

    kind: ReportKind
    sequence: int
    version: int = Field(default=1, description="The version the court took (amended refiles).")
    document_hash: str
    court_reference: str | None = None
    filed_at: datetime | None = None
    pending_task_id: str | None = None
    report: CourtReport | None = None
    # The court's answer (received, then accepted or rejected). Filings kept before the
    # case followed the answer read as accepted, as they were counted then.
    status: FilingState = "accepted"
    status_history: list[FilingStatusEntry] = Field(default_factory=list)
    receipt: FilingReceipt | None = Field(
        default=None, description="What the filing gave back (none when staff filed it)."
    )

    @property
    def idempotency_key(self) -> str | None:
        if self.receipt is not None:
            return self.receipt.idempotency_key
        return self.report.idempotency_key if self.report is not None else None

    def answered_by(self, reference: str) -> bool:
        """Whether a court's answer naming `reference` is about this filing: the court's
        reference for it, or its idempotency key (which a folder court echoes)."""
        return reference in {self.court_reference, self.idempotency_key} - {None, ""}


class Notification(BaseModel):
    """A message to staff (by role) or to the participant; never to the victim directly."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Deterministic, so a retried send is one message.")
    case_id: str
    jurisdiction: str
    to_role: Role | None = None
    to_participant: bool = False
    # The participant's contact details as the referral gave them, for the send activity
    # to address a message to the participant; staff are addressed by role.
    participant_phone: str | None = None
    participant_email: str | None = None
    # An urgent safety alert to staff: never held for quiet hours.
    urgent: bool = False
    kind: str = Field(default="notice", description="The message kind (its template).")
    subject: str
    body: str
    opt_out: str = "Reply STOP to stop these messages; program staff can be reached at the office."
    created_at: datetime
