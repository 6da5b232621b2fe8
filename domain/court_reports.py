"""Building court reports from a case: the one place that decides what a judge reads.

Every report carries the case reference (court, judge, case number, program case id),
the participant, the neutral stage timeline, the agreed terms with how each stands,
police incidents during the program, a recommendation, next steps and the next hearing
(DESIGN §8). Times stay UTC here; `domain.report_page` says them in the jurisdiction's
time zone. Nothing here may depend on who declined, withdrew or missed, or on what the
victim asked for (DESIGN §2 rule 2; tests/domain/test_court_view_inference.py).
"""

from datetime import date, datetime

from domain.case import CaseState
from domain.court_view import court_timeline
from domain.enums import ComplianceLevel, NotProceededReason, ObligationStatus, ReportKind
from domain.reports import (
    CourtReport,
    ReportHearing,
    ReportIncident,
    ReportMilestone,
    ReportObligationRow,
)
from domain.withholding import withhold_victim_details

_SUMMARIES: dict[ReportKind, str] = {
    ReportKind.SCREENING_OUTCOME: (
        "The case was screened and found suitable for a restorative process."
    ),
    ReportKind.AGREEMENT_REACHED: (
        "A restorative conference was held and an agreement was reached. "
        "The agreed terms are set out below."
    ),
    ReportKind.PROGRESS: "Progress of the agreement to date.",
    ReportKind.NON_COMPLIANCE: "An agreed item has not been met despite reminders and review.",
    ReportKind.SAFETY_EVENT: (
        "A safety concern was reported. The restorative process is suspended pending review."
    ),
    ReportKind.NOT_PROCEEDED: "The restorative process did not proceed.",
    ReportKind.FINAL: "The monitoring period has ended.",
}

_RECOMMENDATIONS: dict[ReportKind, str] = {
    ReportKind.SCREENING_OUTCOME: (
        "That the case remain with the program while a restorative process is prepared."
    ),
    ReportKind.AGREEMENT_REACHED: (
        "That the court note the agreement and allow the program to monitor it."
    ),
    ReportKind.PROGRESS: "That the case remain with the program while the agreement is met.",
    ReportKind.NON_COMPLIANCE: "That the court direct whether the case continues.",
    ReportKind.SAFETY_EVENT: (
        "That the court note the suspension; the court may direct that the case continue or end."
    ),
    ReportKind.NOT_PROCEEDED: "That the case return to the court's usual process.",
}

_FINAL_RECOMMENDATIONS: dict[ComplianceLevel, str] = {
    ComplianceLevel.FULL: "That the court record the diversion as completed.",
    ComplianceLevel.SUBSTANTIAL: "That the court record the diversion as completed.",
    ComplianceLevel.SIGNIFICANT_FAILURE: (
        "That the court note that the agreement was not completed and decide the case "
        "under its usual process."
    ),
}

_NEXT_STEPS: dict[ReportKind, str] = {
    ReportKind.SCREENING_OUTCOME: (
        "The program will seek each party's informed consent and prepare a conference. "
        "The court will receive a report when an agreement is reached, or if the process "
        "does not proceed."
    ),
    ReportKind.AGREEMENT_REACHED: (
        "The program will monitor each agreed item and report progress every {every} days "
        "and before each hearing."
    ),
    ReportKind.PROGRESS: (
        "Monitoring continues. The next progress report follows within {every} days, or "
        "before the next hearing if that is sooner."
    ),
    ReportKind.NON_COMPLIANCE: (
        "The other agreed items continue to be monitored until the court directs."
    ),
    ReportKind.SAFETY_EVENT: "The program will report again after its safety review.",
    ReportKind.NOT_PROCEEDED: (
        "The case is returned to the court. Taking part is voluntary: this report does not "
        "say why the process did not proceed, and nothing about either party should be "
        "inferred from it."
    ),
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
    choice it was (DESIGN §2 rule 2). For the same reason a not-proceeded report lists
    neither the agreed items (how each ended) nor police incidents: the reason code in
    words is all it says of why.
    """
    court, participant = case.referral.court, case.referral.participant
    neutral = kind is ReportKind.NOT_PROCEEDED
    shared = [] if neutral else [s.text for s in case.victim_statements if s.share_with_court]
    compliance = compliance_level(case) if kind is ReportKind.FINAL else None
    report = CourtReport(
        kind=kind,
        case_id=case.case_id,
        sequence=len(case.reports) + 1,
        jurisdiction=case.jurisdiction.id,
        program_name=case.jurisdiction.name,
        court_id=court.court_id,
        court_name=case.jurisdiction.reports.court_names.get(court.court_id),
        court_case_number=court.case_number,
        judge=court.judge,
        participant_name=f"{participant.given_name} {participant.family_name}",
        generated_at=now,
        timezone=case.jurisdiction.timezone,
        page_size=case.jurisdiction.reports.page_size,
        stage=case.stage,
        summary=_summary(case, kind),
        not_proceeded_reason=reason,
        compliance=compliance,
        obligations=[] if neutral else agreed_items(case),
        milestones=[
            ReportMilestone(at=m.at, stage=m.stage, event=m.event) for m in court_timeline(case)
        ],
        incidents=[] if neutral else incidents_during_program(case),
        recommendation=_recommendation(kind, compliance),
        next_steps=_next_steps(case, kind),
        next_hearing=next_hearing(case, now),
        victim_statement="\n\n".join(shared) if shared else None,
    )
    return withhold_victim_details(report, case)


def agreed_items(case: CaseState) -> list[ReportObligationRow]:
    """The agreement's terms, each with how it stands: from the agreement itself, so the
    report filed when it is reached lists them before monitoring starts."""
    if case.agreement is None:
        return []
    progress = {p.index: p for p in case.obligations}
    rows = []
    for index, term in enumerate(case.agreement.obligations):
        now = progress.get(index)
        rows.append(
            ReportObligationRow(
                kind=term.kind,
                description=now.description if now else term.description,
                status=now.status if now else ObligationStatus.PENDING,
                met=now.met if now else 0,
                missed=now.missed if now else 0,
                excused=now.excused if now else 0,
                provider=term.provider,
                first_due=term.first_due,
                every_days=term.every_days,
                occurrences=term.occurrences,
                allowed_misses=term.allowed_misses,
                evidence_required=term.evidence_required,
                next_due=now.next_due if now else term.first_due,
            )
        )
    return rows


def incidents_during_program(case: CaseState) -> list[ReportIncident]:
    """Police incidents that occurred since the referral: number and date only (the
    offence codes and flags are screening material, not the court's report)."""
    start = _program_start(case)
    if start is None:
        return []
    during = [i for i in case.incidents if i.occurred_on is not None and i.occurred_on >= start]
    during.sort(key=lambda i: (i.occurred_on or start, i.incident_number))
    return [
        ReportIncident(incident_number=i.incident_number, occurred_on=i.occurred_on) for i in during
    ]


def next_hearing(case: CaseState, now: datetime) -> ReportHearing | None:
    upcoming = sorted((h for h in case.referral.court.hearings if h.at >= now), key=lambda h: h.at)
    return ReportHearing(at=upcoming[0].at, purpose=upcoming[0].purpose) if upcoming else None


def _program_start(case: CaseState) -> date | None:
    if case.referral.referred_on is not None:
        return case.referral.referred_on
    return case.timeline[0].at.date() if case.timeline else None


def _summary(case: CaseState, kind: ReportKind) -> str:
    summary = _SUMMARIES[kind]
    if kind is ReportKind.PROGRESS and case.agreement is not None:
        rows = agreed_items(case)
        met = sum(1 for r in rows if r.status is ObligationStatus.MET)
        summary = f"{summary} {met} of {len(rows)} agreed items are met."
    if kind is ReportKind.FINAL and case.agreement_not_completed:
        summary = f"{summary} {NOT_COMPLETED}"
    return summary


def _recommendation(kind: ReportKind, compliance: ComplianceLevel | None) -> str:
    if compliance is not None:
        return _FINAL_RECOMMENDATIONS[compliance]
    return _RECOMMENDATIONS.get(kind, "")


def _next_steps(case: CaseState, kind: ReportKind) -> str:
    every = case.jurisdiction.policy.progress_report_every_days
    return _NEXT_STEPS[kind].format(every=f"{every:g}")
