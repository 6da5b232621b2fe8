"""What program staff may read of a case, built by allow-list: a view for coordinators,
facilitators and admins, and the victim advocate's, which alone carries the victim's
contact details and her unshared words (DESIGN §2 rule 3).

Each view model lists the fields it carries; the case state's bookkeeping (task
numbering, versions, counters, ladder marks, the jurisdiction's adapter settings) is in
none of them.
"""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from domain.agreement import Agreement, ObligationProgress
from domain.case import (
    CaseState,
    ConferenceRecord,
    ConsentRecord,
    DirectiveRecord,
    ManualPoliceCheck,
    ReviewRecord,
    SafetyEventRecord,
    ScreeningRecord,
    Statement,
    StopRecord,
    TimelineEntry,
)
from domain.enums import (
    ComplianceLevel,
    DispositionKind,
    Outcome,
    Plea,
    ReportKind,
    RiskFlag,
    Stage,
)
from domain.filing_status import FilingState, FilingStatusEntry
from domain.message_log import MessageRecord
from domain.referral import (
    Charge,
    CourtReference,
    Incident,
    Participant,
    SupportPerson,
    VictimContact,
)
from domain.task_payloads import Facilitator
from domain.tasks import Task


class StaffModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VictimName(StaffModel):
    given_name: str
    family_name: str


class VictimWithContact(VictimName):
    contact: VictimContact


class StaffReferral(StaffModel):
    court: CourtReference
    participant: Participant
    victim: VictimName
    support_people: list[SupportPerson]
    charges: list[Charge]
    plea: Plea
    referred_on: date | None
    referring_officer: str | None
    prior_rj_for_offence: bool
    notes: str
    warnings: list[str]


class AdvocateReferral(StaffReferral):
    victim: VictimWithContact


class Suspension(StaffModel):
    stage: Stage
    since: datetime


class NumberedStatement(StaffModel):
    number: int
    text: str
    share_with_court: bool


class StaffFiledReport(StaffModel):
    """A filing as staff list it; its content is read through the reports API, which
    withholds what the victim has since taken back."""

    kind: ReportKind
    sequence: int
    document_hash: str
    court_reference: str | None
    filed_at: datetime | None
    status: FilingState = "accepted"
    status_history: list[FilingStatusEntry] = []


class StaffCaseView(StaffModel):
    audience: Literal["staff"] = "staff"
    case_id: str
    jurisdiction: str
    referral: StaffReferral
    stage: Stage
    stage_entered_at: datetime | None
    stage_deadline: datetime | None
    suspension: Suspension | None
    outcome: Outcome | None
    stop: StopRecord | None
    incidents: list[Incident]
    auto_flags: list[RiskFlag]
    screening: ScreeningRecord | None
    reviews: list[ReviewRecord]
    manual_police_checks: list[ManualPoliceCheck]
    consents: list[ConsentRecord]
    victim_wants_updates: bool
    victim_statements: list[NumberedStatement]
    facilitators: list[Facilitator]
    meetings_held: list[str]
    safety_plan_in_place: bool
    conference: ConferenceRecord
    agreement: Agreement | None
    obligations: list[ObligationProgress]
    awaiting_directive: bool
    agreement_not_completed: bool
    compliance: ComplianceLevel | None
    disposition: DispositionKind | None
    safety_events: list[SafetyEventRecord]
    directives: list[DirectiveRecord]
    tasks: list[Task]
    reports: list[StaffFiledReport]
    messages: list[MessageRecord]
    timeline: list[TimelineEntry]


class AdvocateCaseView(StaffCaseView):
    audience: Literal["advocate"] = "advocate"  # type: ignore[assignment]
    referral: AdvocateReferral
    proposed_victim_contact: VictimContact | None


# Fields copied as they are from the case state: the rest are built below.
_COPIED = {
    "case_id", "stage", "stage_entered_at", "stage_deadline", "outcome", "stop", "incidents",
    "auto_flags", "screening", "reviews", "manual_police_checks", "consents",
    "victim_wants_updates", "facilitators", "meetings_held", "safety_plan_in_place",
    "conference", "agreement", "obligations", "awaiting_directive", "agreement_not_completed",
    "compliance",
    "disposition", "safety_events", "directives", "tasks", "timeline", "messages",
}  # fmt: skip


def staff_view(case: CaseState) -> StaffCaseView:
    """Coordinators, facilitators, admins: the victim's name, not how to reach her, and
    only the statements she shared."""
    case = case.model_copy(deep=True)  # the view shares nothing mutable with the case
    shared = [s for s in _numbered(case.victim_statements) if s.share_with_court]
    return StaffCaseView(
        **_copied(case),
        jurisdiction=case.jurisdiction.id,
        referral=StaffReferral(**_referral_fields(case), victim=_victim_name(case)),
        suspension=_suspension(case),
        victim_statements=shared,
    )


def advocate_view(case: CaseState) -> AdvocateCaseView:
    case = case.model_copy(deep=True)
    victim = case.referral.victim
    return AdvocateCaseView(
        **_copied(case),
        jurisdiction=case.jurisdiction.id,
        referral=AdvocateReferral(
            **_referral_fields(case),
            victim=VictimWithContact(**_victim_name(case).model_dump(), contact=victim.contact),
        ),
        suspension=_suspension(case),
        victim_statements=_numbered(case.victim_statements),
        proposed_victim_contact=case.proposed_victim_contact,
    )


def _copied(case: CaseState) -> dict[str, object]:
    copied: dict[str, object] = {name: getattr(case, name) for name in _COPIED}
    copied["reports"] = [
        StaffFiledReport(
            kind=r.kind,
            sequence=r.sequence,
            document_hash=r.document_hash,
            court_reference=r.court_reference,
            filed_at=r.filed_at,
            status=r.status,
            status_history=r.status_history,
        )
        for r in case.reports
    ]
    return copied


def _referral_fields(case: CaseState) -> dict[str, object]:
    r = case.referral
    return {
        "court": r.court,
        "participant": r.participant,
        "support_people": r.support_people,
        "charges": r.charges,
        "plea": r.plea,
        "referred_on": r.referred_on,
        "referring_officer": r.referring_officer,
        "prior_rj_for_offence": r.prior_rj_for_offence,
        "notes": r.notes,
        "warnings": r.warnings,
    }


def _victim_name(case: CaseState) -> VictimName:
    victim = case.referral.victim
    return VictimName(given_name=victim.given_name, family_name=victim.family_name)


def _suspension(case: CaseState) -> Suspension | None:
    held = case.suspension
    return Suspension(stage=held.stage, since=held.at) if held is not None else None


def _numbered(statements: list[Statement]) -> list[NumberedStatement]:
    return [
        NumberedStatement(number=n, text=s.text, share_with_court=s.share_with_court)
        for n, s in enumerate(statements, start=1)
    ]
