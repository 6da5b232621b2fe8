"""Court reports for rendering tests, golden files and the bench: one of each kind from a
case with names in more than one script, and a long one that runs to several pages.
Invented people only."""

from datetime import date, timedelta

from domain.agreement import Obligation, ObligationProgress
from domain.case import CaseState, Statement, StopRecord, TimelineEntry
from domain.court_reports import build_report
from domain.enums import (
    NotProceededReason,
    ObligationKind,
    ObligationStatus,
    Outcome,
    ReportKind,
    Stage,
)
from domain.referral import Incident, VictimContact
from domain.reports import CourtReport, PageSize, ReportSettings
from tests.domain.factories import T0, make_case

PARTICIPANT = ("Tāmati", "Ngāwhika")
JUDGE = "Hon. Nguyễn Thị Mai"
COURT_NAME = "Demo Circuit Court, Division 3"
VICTIM_CONTACT = VictimContact(
    phone="+64 21 555 0199",
    email="aroha.ngawhika@example.org.nz",
    address="7 Pōhutukawa Lane, Demo Bay",
    safe_times_to_call="Weekday mornings only",
)
SHARED = "I want him to finish the programme and I feel safer than before."
UNSHARED = "Please do not tell anyone that I moved to my sister's place."
WHEN: dict[ReportKind, timedelta] = {
    ReportKind.SCREENING_OUTCOME: timedelta(days=9),
    ReportKind.AGREEMENT_REACHED: timedelta(days=31),
    ReportKind.PROGRESS: timedelta(days=75),
    ReportKind.NON_COMPLIANCE: timedelta(days=120),
    ReportKind.SAFETY_EVENT: timedelta(days=88),
    ReportKind.NOT_PROCEEDED: timedelta(days=20),
    ReportKind.FINAL: timedelta(days=240),
}


STAGES_ENTERED = [
    (timedelta(days=1), Stage.SCREENING),
    (timedelta(days=9), Stage.ENGAGEMENT),
    (timedelta(days=16), Stage.PREPARATION),
    (timedelta(days=24), Stage.CONFERENCE),
    (timedelta(days=31), Stage.MONITORING),
]


def sample_case(kind: ReportKind) -> CaseState:
    case = make_case(
        contact=VICTIM_CONTACT,
        statements=[Statement(text=SHARED, share_with_court=True), Statement(text=UNSHARED)],
    )
    case.jurisdiction = case.jurisdiction.model_copy(
        update={"reports": ReportSettings(court_names={"demo-circuit-3": COURT_NAME})}
    )
    case.referral.participant.given_name, case.referral.participant.family_name = PARTICIPANT
    case.referral.court.judge = JUDGE
    assert case.agreement is not None
    case.agreement.obligations.append(
        Obligation(
            kind=ObligationKind.RESTITUTION,
            description="Pay for the broken phone ($340)",
            provider="Program office",
            first_due=T0 + timedelta(days=90),
            evidence_required="receipt",
        )
    )
    case.incidents = [Incident(incident_number="DPD-2026-0815", occurred_on=date(2026, 3, 28))]
    case.timeline += [
        TimelineEntry(at=T0 + after, stage=stage, event=f"entered {stage.value}")
        for after, stage in STAGES_ENTERED
        if after <= WHEN[kind]
    ]
    progress = case.obligations[0]
    progress.met, progress.missed = 6, 1
    if kind is ReportKind.NON_COMPLIANCE:
        progress.status, progress.missed = ObligationStatus.BREACHED, 3
    if kind is ReportKind.FINAL:
        case.stage = Stage.FINAL_REPORT
        progress.status, progress.met, progress.missed = ObligationStatus.MET, 23, 1
        paid = ObligationProgress(
            index=1,
            kind=ObligationKind.RESTITUTION,
            description="Pay for the broken phone ($340)",
            status=ObligationStatus.MET,
            met=1,
        )
        case.obligations.append(paid)
    if kind in (ReportKind.SCREENING_OUTCOME, ReportKind.NOT_PROCEEDED):
        case.agreement, case.obligations, case.incidents = None, [], []
        case.stage = Stage.SCREENING
    if kind is ReportKind.SAFETY_EVENT:
        case.stage = Stage.SUSPENDED
    if kind is ReportKind.NOT_PROCEEDED:
        case.stage = Stage.CLOSED
        case.outcome = Outcome.NOT_PROCEEDED
        case.stop = StopRecord(
            outcome=Outcome.NOT_PROCEEDED,
            reason=NotProceededReason.PROCESS_DID_NOT_PROCEED,
            cause="declined",
        )
        closing = T0 + WHEN[kind]
        case.timeline += [
            TimelineEntry(
                at=closing, stage=Stage.ENGAGEMENT, event="restorative process did not proceed"
            ),
            TimelineEntry(at=closing, stage=Stage.CLOSED, event="closed: not_proceeded"),
        ]
    return case


def sample_report(kind: ReportKind) -> CourtReport:
    neutral = kind is ReportKind.NOT_PROCEEDED
    reason = NotProceededReason.PROCESS_DID_NOT_PROCEED if neutral else None
    return build_report(sample_case(kind), kind, T0 + WHEN[kind], reason)


def long_report(items: int = 24, page_size: PageSize = "letter") -> CourtReport:
    """A progress report with `items` agreed items: three pages of Letter at 24."""
    case = sample_case(ReportKind.PROGRESS)
    assert case.agreement is not None
    first = case.agreement.obligations[0]
    case.agreement.obligations = [
        first.model_copy(update={"description": f"{first.description}, group {n + 1}"})
        for n in range(items)
    ]
    case.jurisdiction = case.jurisdiction.model_copy(
        update={"reports": ReportSettings(page_size=page_size)}
    )
    return build_report(case, ReportKind.PROGRESS, T0 + WHEN[ReportKind.PROGRESS])
