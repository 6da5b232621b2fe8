"""The words of the domain: stages, roles, outcomes and the codes the court sees."""

from enum import StrEnum


class Stage(StrEnum):
    REFERRED = "referred"
    SCREENING = "screening"
    ENGAGEMENT = "engagement"
    PREPARATION = "preparation"
    CONFERENCE = "conference"
    MONITORING = "monitoring"
    FINAL_REPORT = "final_report"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class Outcome(StrEnum):
    COMPLETED = "completed"
    NOT_PROCEEDED = "not_proceeded"
    NONCOMPLIANT = "noncompliant"
    WITHDRAWN_BY_COURT = "withdrawn_by_court"
    TERMINATED_SAFETY = "terminated_safety"


class NotProceededReason(StrEnum):
    """Neutral codes: none of them says which party declined, withdrew or failed to attend.

    DESIGN §2 rule 2: every decline, withdrawal, no-show or lapsed consent deadline is
    reported to the court as `process_did_not_proceed`, whoever it came from.
    """

    NOT_ELIGIBLE = "not_eligible"
    NOT_SUITABLE = "not_suitable"
    PROCESS_DID_NOT_PROCEED = "process_did_not_proceed"
    NOT_COMPLETED_IN_TIME = "not_completed_in_time"


class Role(StrEnum):
    CLERK = "clerk"
    COORDINATOR = "coordinator"
    FACILITATOR = "facilitator"
    VICTIM_ADVOCATE = "victim_advocate"
    JUDGE = "judge"
    INTEGRATOR = "integrator"
    ADMIN = "admin"


class Party(StrEnum):
    VICTIM = "victim"
    PARTICIPANT = "participant"


class ConsentMode(StrEnum):
    DIRECT = "direct"
    SHUTTLE = "shuttle"
    LETTER = "letter"
    SURROGATE = "surrogate"


class Plea(StrEnum):
    NONE = "none"
    GUILTY = "guilty"
    NO_CONTEST = "no_contest"
    FINDING_OF_GUILT = "finding_of_guilt"
    NOT_GUILTY = "not_guilty"


class PleaRequirement(StrEnum):
    NONE = "none"
    GUILTY_PLEA = "guilty_plea"
    PLEA_OR_FINDING = "plea_or_finding"


class RiskLevel(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    VERY_HIGH = "very_high"


RISK_ORDER: tuple[RiskLevel, ...] = tuple(RiskLevel)


class RiskFlag(StrEnum):
    """Indicators computed from police incidents or recorded at screening."""

    WEAPON = "weapon"
    INJURY = "injury"
    STRANGULATION = "strangulation"
    THREATS_TO_KILL = "threats_to_kill"
    ESCALATING_ABUSE = "escalating_abuse"
    ORDER_BREACH = "order_breach"
    PRIOR_DV = "prior_dv"
    SEXUAL_VIOLENCE = "sexual_violence"
    CHILD_HARM = "child_harm"


class ObligationKind(StrEnum):
    BEHAVIOUR_CHANGE_PROGRAMME = "behaviour_change_programme"
    COUNSELLING = "counselling"
    SUBSTANCE_TREATMENT = "substance_treatment"
    RESTITUTION = "restitution"
    APOLOGY = "apology"
    COMMUNITY_WORK = "community_work"
    CONTACT_TERMS = "contact_terms"
    OTHER = "other"


class ObligationStatus(StrEnum):
    PENDING = "pending"
    MET = "met"
    MISSED = "missed"
    UNDER_REVIEW = "under_review"
    EXCUSED = "excused"
    BREACHED = "breached"
    CANCELLED = "cancelled"


class ConferenceResult(StrEnum):
    AGREEMENT = "agreement"
    NO_AGREEMENT = "no_agreement"
    PARTICIPANT_NO_SHOW = "participant_no_show"
    VICTIM_NO_SHOW = "victim_no_show"


class ReviewDecision(StrEnum):
    EXTEND = "extend"
    EXCUSE = "excuse"
    BREACH = "breach"


class ReportKind(StrEnum):
    SCREENING_OUTCOME = "screening_outcome"
    AGREEMENT_REACHED = "agreement_reached"
    PROGRESS = "progress"
    NON_COMPLIANCE = "non_compliance"
    SAFETY_EVENT = "safety_event"
    NOT_PROCEEDED = "not_proceeded"
    FINAL = "final"


class ComplianceLevel(StrEnum):
    FULL = "full"
    SUBSTANTIAL = "substantial"
    SIGNIFICANT_FAILURE = "significant_failure"


class DirectiveKind(StrEnum):
    CONTINUE = "continue"
    TERMINATE = "terminate"
    WITHDRAW = "withdraw"


class DispositionKind(StrEnum):
    COMPLETED = "completed"
    NONCOMPLIANT = "noncompliant"


class SafetyEventKind(StrEnum):
    NEW_INCIDENT = "new_incident"
    ORDER_BREACH = "order_breach"
    ADVOCATE_ALERT = "advocate_alert"


class TaskKind(StrEnum):
    SCREEN_CASE = "screen_case"
    MULTI_AGENCY_REVIEW = "multi_agency_review"
    VICTIM_CONSENT = "victim_consent"
    PARTICIPANT_CONSENT = "participant_consent"
    ASSIGN_FACILITATORS = "assign_facilitators"
    PRE_MEETING_VICTIM = "pre_meeting_victim"
    PRE_MEETING_PARTICIPANT = "pre_meeting_participant"
    SAFETY_PLAN = "safety_plan"
    SCHEDULE_CONFERENCE = "schedule_conference"
    READINESS_CHECK = "readiness_check"
    RECORD_OUTCOME = "record_outcome"
    VERIFY_EVIDENCE = "verify_evidence"
    REVIEW_MISSED_OBLIGATION = "review_missed_obligation"
    SAFETY_REVIEW = "safety_review"
    RECORD_DISPOSITION = "record_disposition"
    RESOLVE_FILING = "resolve_filing"
    REVIEW_VICTIM_CONTACT = "review_victim_contact"
    RESOLVE_POLICE_CHECK = "resolve_police_check"
    RECORD_DIRECTIVE = "record_directive"
    CONTACT_PARTICIPANT = "contact_participant"
    PASS_ON_MESSAGE = "pass_on_message"


class ReviewTrigger(StrEnum):
    """Why a multi-agency review was asked for (DESIGN §2 rule 5)."""

    SCREENING = "screening"
    NEW_INCIDENT = "new_incident"
    ORDER_BREACH = "order_breach"  # reported by staff as a safety event
