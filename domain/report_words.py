"""The words a person reads for each code in a court report: a judge reads "Under
review", never `under_review`. Every code has its words here; tests check none is missing.
"""

from domain.enums import (
    ComplianceLevel,
    NotProceededReason,
    ObligationKind,
    ObligationStatus,
    ReportKind,
    Stage,
)
from domain.reports import MilestoneEvent

REPORT_TITLES: dict[ReportKind, str] = {
    ReportKind.SCREENING_OUTCOME: "Screening outcome report",
    ReportKind.AGREEMENT_REACHED: "Agreement reached report",
    ReportKind.PROGRESS: "Progress report",
    ReportKind.NON_COMPLIANCE: "Non-compliance report",
    ReportKind.SAFETY_EVENT: "Safety event report",
    ReportKind.NOT_PROCEEDED: "Report: restorative process did not proceed",
    ReportKind.FINAL: "Final compliance report",
}

STAGES: dict[Stage, str] = {
    Stage.REFERRED: "Referred",
    Stage.SCREENING: "Screening",
    Stage.ENGAGEMENT: "Engagement",
    Stage.PREPARATION: "Preparation",
    Stage.CONFERENCE: "Conference",
    Stage.MONITORING: "Monitoring the agreement",
    Stage.FINAL_REPORT: "Final report",
    Stage.SUSPENDED: "Suspended",
    Stage.CLOSED: "Closed",
}

OBLIGATION_KINDS: dict[ObligationKind, str] = {
    ObligationKind.BEHAVIOUR_CHANGE_PROGRAMME: "Behaviour-change programme",
    ObligationKind.COUNSELLING: "Counselling",
    ObligationKind.SUBSTANCE_TREATMENT: "Substance treatment",
    ObligationKind.RESTITUTION: "Restitution",
    ObligationKind.APOLOGY: "Apology",
    ObligationKind.COMMUNITY_WORK: "Community work",
    ObligationKind.CONTACT_TERMS: "Contact terms",
    ObligationKind.OTHER: "Other",
}

OBLIGATION_STATUSES: dict[ObligationStatus, str] = {
    ObligationStatus.PENDING: "Pending",
    ObligationStatus.MET: "Met",
    ObligationStatus.MISSED: "Missed",
    ObligationStatus.UNDER_REVIEW: "Under review",
    ObligationStatus.EXCUSED: "Excused",
    ObligationStatus.BREACHED: "Not met",
    ObligationStatus.CANCELLED: "Ended with the case",
}

# Neutral by rule (DESIGN §2 rule 2): none says which party, or why.
NOT_PROCEEDED_REASONS: dict[NotProceededReason, str] = {
    NotProceededReason.NOT_ELIGIBLE: "The case did not meet the program's eligibility criteria.",
    NotProceededReason.NOT_SUITABLE: (
        "The case was assessed as not suitable for a restorative process."
    ),
    NotProceededReason.PROCESS_DID_NOT_PROCEED: "The restorative process did not proceed.",
    NotProceededReason.NOT_COMPLETED_IN_TIME: (
        "The restorative process could not be completed within the program's time limits."
    ),
}

COMPLIANCE: dict[ComplianceLevel, str] = {
    ComplianceLevel.FULL: "Full compliance",
    ComplianceLevel.SUBSTANTIAL: "Substantial compliance",
    ComplianceLevel.SIGNIFICANT_FAILURE: "Significant failure",
}

COMPLIANCE_MEANINGS: dict[ComplianceLevel, str] = {
    ComplianceLevel.FULL: "Every agreed item was met, on time.",
    ComplianceLevel.SUBSTANTIAL: (
        "The agreed items were met, with misses the program excused or allowed for, or "
        "with more time given."
    ),
    ComplianceLevel.SIGNIFICANT_FAILURE: (
        "At least one agreed item was not met despite reminders and the program's review."
    ),
}

MILESTONES: dict[MilestoneEvent, str] = {
    "referral received": "Referral received",
    "stage entered": "{stage}",
    "case resumed": "Case resumed: {stage}",
    "restorative process did not proceed": "Restorative process did not proceed",
    "court directive recorded": "Court directive recorded",
    "court disposition recorded": "Court disposition recorded",
    "case closed": "Case closed",
}


def milestone_text(event: MilestoneEvent, stage: Stage) -> str:
    return MILESTONES[event].format(stage=STAGES[stage])


def every_text(days: float) -> str:
    """How often a recurring item falls due: "weekly", "every 2 weeks", "every 10 days"."""
    if days == 7:
        return "weekly"
    if days % 7 == 0:
        return f"every {days / 7:g} weeks"
    if days == 1:
        return "daily"
    return f"every {days:g} days"
