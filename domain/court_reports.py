"""Building court reports from a case: the one place that decides what a judge reads."""

from datetime import datetime

from domain.case import CaseState
from domain.enums import ComplianceLevel, NotProceededReason, ObligationStatus, ReportKind
from domain.reports import CourtReport, ReportMilestone, ReportObligationRow
from domain.withholding import withhold_victim_details

_SUMMARIES: dict[ReportKind, str] = {
    ReportKind.SCREENING_OUTCOME: "The case was screened as suitable for a restorative process.",
    ReportKind.AGREEMENT_REACHED: "A restorative conference was held and an agreement was reached.",
    ReportKind.PROGRESS: "Progress of the agreement to date.",
    ReportKind.NON_COMPLIANCE: "An agreement item has not been met despite reminders and review.",
    ReportKind.SAFETY_EVENT: (
        "A safety concern was reported. The restorative process is suspended pending review."
    ),
    ReportKind.NOT_PROCEEDED: "The restorative process did not proceed.",
    ReportKind.FINAL: "The monitoring period has ended.",
}

_NEXT_STEPS: dict[ReportKind, str] = {
    ReportKind.NON_COMPLIANCE: "The program asks the court to direct whether the case continues.",
    ReportKind.SAFETY_EVENT: "The program will report again after its safety review.",
    ReportKind.NOT_PROCEEDED: "The case is returned to the court.",
    ReportKind.FINAL: "The program asks the court to record its disposition.",
}


# The participant withdrew after the agreement (README, "Withdrawal after an agreement").
NOT_COMPLETED = "The agreement was not completed."


def compliance_level(case: CaseState) -> ComplianceLevel:
    """Full: every item met on time; substantial: met with excused or tolerated misses;
    significant failure: an item breached, or the agreement not completed."""
    statuses = [o.status for o in case.obligations]
    if case.agreement_not_completed or any(s is ObligationStatus.BREACHED for s in statuses):
        return ComplianceLevel.SIGNIFICANT_FAILURE
    if all(o.missed == 0 and o.excused == 0 and o.extensions == 0 for o in case.obligations):
        return ComplianceLevel.FULL
    return ComplianceLevel.SUBSTANTIAL


def build_report(
    case: CaseState,
    kind: ReportKind,
    now: datetime,
    reason: NotProceededReason | None = None,
) -> CourtReport:
    """A report holding only court-safe fields: the victim appears in none of them.

    The victim's words are included only when the victim opted to share a statement,
    and never in a not-proceeded report: words beside "did not proceed" could say whose
    choice it was (DESIGN §2 rule 2).
    """
    participant = case.referral.participant
    shared = [s.text for s in case.victim_statements if s.share_with_court]
    if kind is ReportKind.NOT_PROCEEDED:
        shared = []
    summary = _SUMMARIES[kind]
    compliance = compliance_level(case) if kind is ReportKind.FINAL else None
    if compliance is not None:
        summary = f"{summary} Compliance: {compliance.value.replace('_', ' ')}."
    if kind is ReportKind.FINAL and case.agreement_not_completed:
        summary = f"{summary} {NOT_COMPLETED}"
    report = CourtReport(
        kind=kind,
        case_id=case.case_id,
        sequence=len(case.reports) + 1,
        jurisdiction=case.jurisdiction.id,
        court_id=case.referral.court.court_id,
        court_case_number=case.referral.court.case_number,
        participant_name=f"{participant.given_name} {participant.family_name}",
        generated_at=now,
        stage=case.stage,
        summary=summary,
        not_proceeded_reason=reason,
        compliance=compliance,
        obligations=[
            ReportObligationRow(
                kind=o.kind,
                description=o.description,
                status=o.status,
                met=o.met,
                missed=o.missed,
                excused=o.excused,
            )
            for o in case.obligations
        ],
        milestones=[
            ReportMilestone(at=e.at, stage=e.stage)
            for e in case.timeline
            if e.audience == "court" and e.event.startswith("entered ")
        ],
        next_steps=_NEXT_STEPS.get(kind, ""),
        victim_statement="\n\n".join(shared) if shared else None,
    )
    return withhold_victim_details(report, case)
