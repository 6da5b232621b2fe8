"""What the court side (clerk, judge, integrator) may read of a case, built by allow-list.

DESIGN §2 rule 2: two cases that differ only in who declined, withdrew or missed the
conference, in whether a victim's no-show was rescheduled, or in what the victim asked
for, must look the same to the court. So this view is built field by field from the
case state, and carries nothing about consents, meetings, reschedules, no-shows, tasks,
counters or who did what. A field added to `CaseState` reaches the court only when it
is added here on purpose (tests/domain/test_court_view_fields.py makes that a decision).
"""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from domain.case import CaseState, TimelineEntry
from domain.enums import (
    NotProceededReason,
    ObligationKind,
    ObligationStatus,
    Outcome,
    ReportKind,
    Stage,
)
from domain.filing_status import FilingState
from domain.reports import MilestoneEvent
from domain.withholding import withhold_victim_details


class CourtModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CourtCaseReference(CourtModel):
    court_id: str
    case_number: str
    judge: str | None


class CourtParticipant(CourtModel):
    given_name: str
    family_name: str


class CourtHearing(CourtModel):
    at: datetime
    purpose: str


class CourtFiledReport(CourtModel):
    kind: ReportKind
    sequence: int
    filed_at: datetime
    court_reference: str | None
    # The court's own answer (received, accepted, rejected); nothing of staff's tasks.
    status: FilingState


class CourtObligation(CourtModel):
    kind: ObligationKind
    description: str
    status: ObligationStatus
    met: int
    missed: int
    excused: int
    next_due: datetime | None


CourtEvent = MilestoneEvent


class CourtMilestone(CourtModel):
    at: datetime
    stage: Stage
    event: CourtEvent


class CourtCaseView(CourtModel):
    audience: Literal["court"] = "court"
    case_id: str
    jurisdiction: str
    court: CourtCaseReference
    participant: CourtParticipant
    stage: Stage
    outcome: Outcome | None
    not_proceeded_reason: NotProceededReason | None
    next_hearing: CourtHearing | None
    reports: list[CourtFiledReport]
    obligations: list[CourtObligation]
    timeline: list[CourtMilestone]


def court_view(case: CaseState, now: datetime) -> CourtCaseView:
    court, participant = case.referral.court, case.referral.participant
    upcoming = sorted((h for h in court.hearings if h.at >= now), key=lambda h: h.at)
    view = CourtCaseView(
        case_id=case.case_id,
        jurisdiction=case.jurisdiction.id,
        court=CourtCaseReference(
            court_id=court.court_id, case_number=court.case_number, judge=court.judge
        ),
        participant=CourtParticipant(
            given_name=participant.given_name, family_name=participant.family_name
        ),
        stage=case.stage,
        outcome=case.outcome,
        not_proceeded_reason=case.stop.reason if case.stop is not None else None,
        next_hearing=(
            CourtHearing(at=upcoming[0].at, purpose=upcoming[0].purpose) if upcoming else None
        ),
        reports=[
            CourtFiledReport(
                kind=r.kind,
                sequence=r.sequence,
                filed_at=r.filed_at,
                court_reference=r.court_reference,
                status=r.status,
            )
            for r in case.reports
            if r.filed_at is not None
        ],
        obligations=court_obligations(case),
        timeline=court_timeline(case),
    )
    return withhold_victim_details(view, case)


def court_obligations(case: CaseState) -> list[CourtObligation]:
    """The agreed items and how each stands, once there is an agreement."""
    if case.agreement is None:
        return []
    return [
        CourtObligation(
            kind=o.kind,
            description=o.description,
            status=o.status,
            met=o.met,
            missed=o.missed,
            excused=o.excused,
            next_due=o.next_due,
        )
        for o in case.obligations
    ]


def court_timeline(case: CaseState) -> list[CourtMilestone]:
    """The milestones a court may read, in order. Only events named here pass: whatever
    else the timeline holds (a reschedule, a second scheduling, a consent) is dropped."""
    found = (_milestone(entry) for entry in case.timeline if entry.audience == "court")
    return [m for m in found if m is not None]


_EXACT: dict[str, CourtEvent] = {
    "referral received": "referral received",
    "restorative process did not proceed": "restorative process did not proceed",
}
_PREFIXED: dict[str, CourtEvent] = {
    "entered ": "stage entered",
    "resumed ": "case resumed",
    "court directed: ": "court directive recorded",
    "court disposition: ": "court disposition recorded",
    "closed: ": "case closed",
}


def _milestone(entry: TimelineEntry) -> CourtMilestone | None:
    event = _EXACT.get(entry.event)
    if event is None:
        event = next((e for p, e in _PREFIXED.items() if entry.event.startswith(p)), None)
    if event is None:
        return None
    return CourtMilestone(at=entry.at, stage=entry.stage, event=event)
