"""Every message a case sends, by kind (issue 15): who it is for, whether it is urgent,
and the only facts its template may read.

A template never sees the case. A participant's message is filled from
`ParticipantContext`: which kind of agreement item, which occurrence, when it is due, in
the jurisdiction's time. No name, no free text typed by staff, nothing of the victim or
the charge reaches it. A staff message is filled from `StaffContext`, built by
`staff_context`, which withholds the victim's contact details (and her unshared words)
from every free-text field first (DESIGN §2 rule 3).
"""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from domain.case import CaseState
from domain.enums import ObligationKind
from domain.withholding import WITHHELD, victim_secrets


class MessageKind(StrEnum):
    # To the participant (rendering/messages/<kind>.txt.j2).
    OBLIGATION_REMINDER = "obligation_reminder"
    OBLIGATION_WARNING = "obligation_warning"
    # To staff, by role.
    TASK_REMINDER = "task_reminder"
    TASK_ESCALATION = "task_escalation"
    STAGE_ESCALATION = "stage_escalation"
    REVIEW_CONDITIONS = "review_conditions"
    SAFETY_EVENT = "safety_event"
    SAFETY_REVIEW_OVERDUE = "safety_review_overdue"
    VICTIM_WITHDREW = "victim_withdrew"
    VICTIM_ITEMS_ENDED = "victim_items_ended"
    PARTICIPANT_WITHDREW = "participant_withdrew"
    CONFERENCE_RESCHEDULE = "conference_reschedule"
    REPORT_NOT_FILED = "report_not_filed"
    COURT_ANSWER = "court_answer"
    POLICE_CHECK_FAILED = "police_check_failed"
    DIRECTIVE_OVERDUE = "directive_overdue"
    DISPOSITION_OVERDUE = "disposition_overdue"
    CASE_CLOSED = "case_closed"
    MISSED_ITEM_ESCALATION = "missed_item_escalation"
    # To the victim's advocate, only when the victim asked for updates (DESIGN §9).
    VICTIM_UPDATE = "victim_update"


PARTICIPANT_KINDS = frozenset({MessageKind.OBLIGATION_REMINDER, MessageKind.OBLIGATION_WARNING})
# Safety alerts: never held, and the delivery side may use every channel it has.
URGENT_KINDS = frozenset(
    {MessageKind.SAFETY_EVENT, MessageKind.SAFETY_REVIEW_OVERDUE, MessageKind.VICTIM_WITHDREW}
)

# Words no participant message may hold, whatever the case: a text on a shared phone
# must not tell anyone what the programme is for (DESIGN §9).
FORBIDDEN_FOR_PARTICIPANT = (
    "victim",
    "domestic",
    "violence",
    "abuse",
    "offence",
    "offense",
    "charge",
    "assault",
    "protection order",
    "police",
    "arrest",
)

# An agreement item as its reminder names it: the kind only, never the description staff
# typed (which may name her, or quote the charge).
ITEM_WORDS: dict[ObligationKind, str] = {
    ObligationKind.BEHAVIOUR_CHANGE_PROGRAMME: "your programme session",
    ObligationKind.COUNSELLING: "your counselling appointment",
    ObligationKind.SUBSTANCE_TREATMENT: "your treatment appointment",
    ObligationKind.RESTITUTION: "your payment",
    ObligationKind.APOLOGY: "your apology",
    ObligationKind.COMMUNITY_WORK: "your community work",
    ObligationKind.CONTACT_TERMS: "the terms you agreed",
    ObligationKind.OTHER: "your agreed task",
}


class Context(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ParticipantContext(Context):
    """All a participant's message may say."""

    item: str  # from ITEM_WORDS
    occurrence: int  # 1-based
    occurrences: int
    due: str  # local time with the zone's abbreviation (domain/local_time.py)


def participant_context(
    kind: ObligationKind, occurrence: int, occurrences: int, due: str
) -> ParticipantContext:
    return ParticipantContext(
        item=ITEM_WORDS[kind], occurrence=occurrence + 1, occurrences=occurrences, due=due
    )


class StaffContext(Context):
    """All a staff message may say: the case number and the facts its kind names."""

    case_number: str
    task: str = ""  # a task kind
    subject: str = ""  # what a task is about
    stage: str = ""
    due: str = ""  # local time
    deadline: str = ""  # local time
    detail: str = ""  # conditions, reasons, items: free text staff typed
    item: str = ""  # an agreement item's kind (ITEM_WORDS without "your")
    occurrence: int = 0
    count: int = 0
    total: int = 0


def staff_context(case: CaseState, **facts: str | int) -> StaffContext:
    """`facts` for a staff message about `case`, each text with the victim's contact
    details and unshared words withheld: staff typed them, and may have quoted her."""
    return StaffContext(
        case_number=case.referral.court.case_number,
        **withhold(facts, victim_secrets(case)),
    )


def withhold(facts: dict[str, str | int], secrets: list[str]) -> dict[str, str | int]:
    """`facts` with every secret (longest first, as `victim_secrets` lists them) replaced."""
    withheld: dict[str, str | int] = {}
    for name, value in facts.items():
        if isinstance(value, str):
            for secret in secrets:
                value = value.replace(secret, WITHHELD)
        withheld[name] = value
    return withheld
