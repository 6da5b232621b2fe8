"""The court's and the program's words on the pages: stages, tasks, fields and choices.

A field or a value nobody named here reads as its code with spaces ("prior_rj" ->
"Prior rj"), so a new one still shows; naming it here only makes it read better.
"""

from enum import Enum

from domain.enums import Stage, TaskKind
from domain.notifications import DeliveryStatus

# The lifecycle as the progress bar shows it (DESIGN §3); suspension and closure aside.
PROGRESS = [
    Stage.REFERRED,
    Stage.SCREENING,
    Stage.ENGAGEMENT,
    Stage.PREPARATION,
    Stage.CONFERENCE,
    Stage.MONITORING,
    Stage.FINAL_REPORT,
    Stage.CLOSED,
]

STAGES = {
    Stage.REFERRED: "Referred",
    Stage.SCREENING: "Screening",
    Stage.ENGAGEMENT: "Engagement",
    Stage.PREPARATION: "Preparation",
    Stage.CONFERENCE: "Conference",
    Stage.MONITORING: "Monitoring",
    Stage.FINAL_REPORT: "Final report",
    Stage.SUSPENDED: "Suspended (safety event)",
    Stage.CLOSED: "Closed",
}

TASKS = {
    TaskKind.SCREEN_CASE: "Screen the case",
    TaskKind.MULTI_AGENCY_REVIEW: "Multi-agency review",
    TaskKind.VICTIM_CONSENT: "Victim's consent",
    TaskKind.PARTICIPANT_CONSENT: "Participant's consent",
    TaskKind.ASSIGN_FACILITATORS: "Assign facilitators",
    TaskKind.PRE_MEETING_VICTIM: "Pre-conference meeting with the victim",
    TaskKind.PRE_MEETING_PARTICIPANT: "Pre-conference meeting with the participant",
    TaskKind.SAFETY_PLAN: "Safety plan",
    TaskKind.SCHEDULE_CONFERENCE: "Schedule the conference",
    TaskKind.READINESS_CHECK: "Readiness check",
    TaskKind.RECORD_OUTCOME: "Record the conference outcome",
    TaskKind.VERIFY_EVIDENCE: "Verify evidence",
    TaskKind.REVIEW_MISSED_OBLIGATION: "Review a missed obligation",
    TaskKind.SAFETY_REVIEW: "Safety review",
    TaskKind.RECORD_DISPOSITION: "Record the court's disposition",
    TaskKind.RESOLVE_FILING: "Resolve a filing the court did not receive",
    TaskKind.CONTACT_PARTICIPANT: "Pass a message on to the participant",
    TaskKind.PASS_ON_MESSAGE: "Pass on a message that reached nobody",
}

# What became of a message, as the case page's message log says it.
DELIVERY = {
    DeliveryStatus.SENT: "Sent",
    DeliveryStatus.SUPPRESSED_OPT_OUT: "Not sent: opted out",
    DeliveryStatus.NO_ADDRESS: "Not sent: no address",
    DeliveryStatus.REFUSED: "Failed: refused by the provider",
    DeliveryStatus.NOT_SENT: "Not sent: provider unavailable, passed to staff",
}

ROLES = {
    "clerk": "Court clerk",
    "coordinator": "Coordinator",
    "facilitator": "Facilitator",
    "victim_advocate": "Victim advocate",
    "judge": "Judge",
    "integrator": "Integrator",
    "admin": "Administrator",
}

LABELS = {
    "plea": "Plea",
    "responsibility_accepted": "Does the participant accept responsibility?",
    "prior_rj_for_offence": "A restorative process was already held for this offence",
    "additional_flags": "Risk indicators found in screening",
    "risk": "Risk assessment",
    "instrument": "Instrument",
    "score": "Score",
    "may_proceed": "May the case proceed?",
    "agencies": "Agencies at the review",
    "consents": "Do they consent?",
    "mode": "Form of participation",
    "informed": "Explained, and she understood",
    "wants_progress_updates": "She wants to hear how the agreement is kept",
    "statement": "Her statement, in her words",
    "share_statement_with_court": "She agrees that this statement may reach the court",
    "legal_advice_explained": "Explained, and the participant understood",
    "no_obligation_explained": "Explained, and the participant understood",
    "refusal_not_weighed_explained": "Explained, and the participant understood",
    "facilitators": "Facilitators",
    "held_on": "Held on",
    "advocate_present": "Victim advocate present",
    "in_place": "Is the safety plan in place?",
    "at": "Date and time",
    "victim_safe_to_proceed": "Is the victim safe to proceed?",
    "no_new_incidents": "No new incidents since screening?",
    "risk_rechecked": "Risk re-checked",
    "result": "Result",
    "agreement": "Agreement",
    "obligations": "Agreed items",
    "first_due": "First due",
    "every_days": "Repeats every (days)",
    "occurrences": "Occurrences",
    "allowed_misses": "Misses allowed",
    "evidence_required": "Evidence required",
    "victim_informed": "The victim is told of this item's progress",
    "victim_statement": "Victim's statement at the conference",
    "evidence_seen": "Was the evidence seen?",
    "extend_days": "Extend by (days)",
    "safe_to_resume": "Is it safe to resume?",
    "disposition": "Disposition",
    "decided_on": "Decided on",
    "refile": "File it again?",
    "reference": "Reference",
    "party": "Who withdraws",
    "note": "Note (staff only)",
    "kind": "Kind",
}

# What the person must have been told before the box may be ticked (DESIGN §3, engagement).
EXPLANATIONS = {
    ("ParticipantConsent", "legal_advice_explained"): (
        "You have the right to get legal advice before you decide, and at any time while "
        "the process runs."
    ),
    ("ParticipantConsent", "no_obligation_explained"): (
        "Taking part is your choice. You do not have to take part, and you may stop at any time."
    ),
    ("ParticipantConsent", "refusal_not_weighed_explained"): (
        "If you say no, the court will not hold it against you."
    ),
    ("VictimConsent", "informed"): (
        "Taking part is her choice and she may withdraw at any time, without giving a reason. "
        "If the process stops, the court is told only that it did not proceed, never who "
        "withdrew or why. Her words stay private unless she chooses to share a statement "
        "with the court, and she may take that back."
    ),
}

OPTIONAL_GROUP = "Leave this part empty when it does not apply."
ROWS_HINT = "Fill in one block per item; empty blocks are left out."
LINES_HINT = "One per line."
MORE_ROWS = "_more_rows"


def label(name: str) -> str:
    return LABELS.get(name) or name.replace("_", " ").capitalize()


def enum_label(member: Enum) -> str:
    """Named here if it is; a stage or task kind added since reads as its code."""
    named = ""
    if isinstance(member, Stage):
        named = STAGES.get(member, "")
    elif isinstance(member, TaskKind):
        named = TASKS.get(member, "")
    elif isinstance(member, DeliveryStatus):
        named = DELIVERY.get(member, "")
    return named or str(member.value).replace("_", " ").capitalize()


def task(kind: object) -> str:
    """A task kind, or its code as a page link carries it."""
    if isinstance(kind, str) and kind in TaskKind.__members__.values():
        return enum_label(TaskKind(kind))
    return code(kind)


def code(value: object) -> str:
    """Any code as words: a stage, a task kind, an outcome."""
    if isinstance(value, Enum):
        return enum_label(value)
    return str(value).replace("_", " ").capitalize()


def validation_message(message: str) -> str:
    """Pydantic's words, without its prefixes."""
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if message == "Field required":
        return "This is required."
    return message[:1].upper() + message[1:]
