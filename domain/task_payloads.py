"""What each staff task asks for: its payload, by kind, as the `complete_task` update
carries it (`TaskPayload`)."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from domain.agreement import Agreement
from domain.enums import (
    ConferenceResult,
    ConsentMode,
    DirectiveKind,
    DispositionKind,
    Plea,
    ReviewDecision,
    RiskFlag,
    TaskKind,
)
from domain.referral import Incident
from domain.roster import RosterFacilitator


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RiskAssessment(Payload):
    instrument: str = Field(min_length=1, examples=["ODARA"])
    score: float = Field(allow_inf_nan=False)


class ScreenCase(Payload):
    kind: Literal[TaskKind.SCREEN_CASE] = TaskKind.SCREEN_CASE
    plea: Plea
    responsibility_accepted: bool
    prior_rj_for_offence: bool = False
    additional_flags: list[RiskFlag] = Field(default_factory=list)
    risk: RiskAssessment
    notes: str = ""


class MultiAgencyReview(Payload):
    kind: Literal[TaskKind.MULTI_AGENCY_REVIEW] = TaskKind.MULTI_AGENCY_REVIEW
    may_proceed: bool
    agencies: list[str] = Field(min_length=2)
    conditions: str = ""
    decided_on: date | None = Field(
        default=None,
        description="The day the agencies decided, if not today (the meeting may precede "
        "its recording).",
    )


class VictimConsent(Payload):
    """Recorded by the advocate; `statement` is the victim's own words, private unless shared."""

    kind: Literal[TaskKind.VICTIM_CONSENT] = TaskKind.VICTIM_CONSENT
    consents: bool
    mode: ConsentMode | None = None
    informed: bool = Field(description="The advocate explained the process and its limits.")
    wants_progress_updates: bool = False
    statement: str = ""
    share_statement_with_court: bool = False

    @model_validator(mode="after")
    def _consent_is_informed(self) -> "VictimConsent":
        if self.consents and (self.mode is None or not self.informed):
            raise ValueError("consent needs a mode and must be informed")
        return self


class ParticipantConsent(Payload):
    kind: Literal[TaskKind.PARTICIPANT_CONSENT] = TaskKind.PARTICIPANT_CONSENT
    consents: bool
    legal_advice_explained: bool = False
    no_obligation_explained: bool = False
    refusal_not_weighed_explained: bool = False

    @model_validator(mode="after")
    def _explanations_read(self) -> "ParticipantConsent":
        read = (
            self.legal_advice_explained
            and self.no_obligation_explained
            and self.refusal_not_weighed_explained
        )
        if self.consents and not read:
            raise ValueError(
                "consent needs all three explanations read: right to legal advice, "
                "no obligation, and the court will not weigh a refusal"
            )
        return self


class Facilitator(BaseModel):
    """An assigned facilitator, as the case records one: only they record its pre-meetings
    and its outcome."""

    # A case assigned before the roster recorded `{name, fv_endorsed}`: it still decodes.
    model_config = ConfigDict(extra="ignore")

    id: str = Field(default="", description="Roster id; empty if assigned before the roster.")
    name: str
    subject: str = Field(default="", description="The token subject of their staff account.")


class AssignFacilitators(Payload):
    """The coordinator names facilitators by roster id. The service adds each one's roster
    entry (`roster`) from the jurisdiction's current configuration before the case sees it;
    a caller cannot supply them (domain/facilitation.py explains the design)."""

    kind: Literal[TaskKind.ASSIGN_FACILITATORS] = TaskKind.ASSIGN_FACILITATORS
    facilitators: list[str] = Field(
        description="Roster ids of the facilitators.", examples=[["amaru-quispe", "ngozi-eze"]]
    )
    roster: SkipJsonSchema[list[RosterFacilitator]] = Field(default_factory=list)

    @field_validator("facilitators", mode="before")
    @classmethod
    def _names_from_before_the_roster(cls, given: Any) -> Any:
        """Histories recorded before the roster hold `{name, fv_endorsed}` objects: each
        reads as its name, so they replay. A new completion in that form names no roster
        id and is refused by the case."""
        if isinstance(given, list):
            return [f.get("name", f) if isinstance(f, dict) else f for f in given]
        return given

    def with_roster(self, roster: Sequence[RosterFacilitator]) -> "AssignFacilitators":
        """This assignment with the roster entries of the ids it names, and no others."""
        named = set(self.facilitators)
        return self.model_copy(update={"roster": [e for e in roster if e.id in named]})

    def assigned(self) -> list[Facilitator]:
        """Who the case records as its facilitators once the assignment is accepted."""
        entries = {e.id: e for e in self.roster}
        return [
            Facilitator(id=e.id, name=e.name, subject=e.sub)
            if (e := entries.get(named)) is not None
            else Facilitator(name=named)  # assigned before the roster, by name
            for named in dict.fromkeys(self.facilitators)
        ]


class PreMeeting(Payload):
    """Recorded by one of the case's assigned facilitators."""

    kind: Literal[TaskKind.PRE_MEETING_VICTIM, TaskKind.PRE_MEETING_PARTICIPANT]
    held_on: datetime
    advocate_present: str = Field(
        default="",
        description="The victim advocate who was at the victim's pre-meeting (required there).",
        examples=["Leilani Kahale"],
    )
    notes: str = ""


class SafetyPlan(Payload):
    kind: Literal[TaskKind.SAFETY_PLAN] = TaskKind.SAFETY_PLAN
    in_place: bool
    notes: str = ""


class ScheduleConference(Payload):
    kind: Literal[TaskKind.SCHEDULE_CONFERENCE] = TaskKind.SCHEDULE_CONFERENCE
    at: datetime
    location: str = Field(min_length=1)


class ReadinessCheck(Payload):
    kind: Literal[TaskKind.READINESS_CHECK] = TaskKind.READINESS_CHECK
    victim_safe_to_proceed: bool
    no_new_incidents: bool
    risk_rechecked: RiskAssessment


class RecordOutcome(Payload):
    """Recorded by one of the case's assigned facilitators."""

    kind: Literal[TaskKind.RECORD_OUTCOME] = TaskKind.RECORD_OUTCOME
    result: ConferenceResult
    agreement: Agreement | None = None
    victim_statement: str = ""
    share_statement_with_court: bool = False

    @model_validator(mode="after")
    def _agreement_iff_agreed(self) -> "RecordOutcome":
        if (self.result is ConferenceResult.AGREEMENT) != (self.agreement is not None):
            raise ValueError("an agreement is recorded exactly when the result is 'agreement'")
        return self


class VerifyEvidence(Payload):
    kind: Literal[TaskKind.VERIFY_EVIDENCE] = TaskKind.VERIFY_EVIDENCE
    evidence_seen: bool
    reference: str = ""


class ReviewMissedObligation(Payload):
    kind: Literal[TaskKind.REVIEW_MISSED_OBLIGATION] = TaskKind.REVIEW_MISSED_OBLIGATION
    decision: ReviewDecision
    extend_days: float | None = Field(default=None, gt=0)
    reason: str = ""

    @model_validator(mode="after")
    def _extension_has_days(self) -> "ReviewMissedObligation":
        if (self.decision is ReviewDecision.EXTEND) != (self.extend_days is not None):
            raise ValueError("extend_days is given exactly when the decision is 'extend'")
        return self


class SafetyReview(Payload):
    kind: Literal[TaskKind.SAFETY_REVIEW] = TaskKind.SAFETY_REVIEW
    safe_to_resume: bool
    notes: str = ""


class RecordDisposition(Payload):
    kind: Literal[TaskKind.RECORD_DISPOSITION] = TaskKind.RECORD_DISPOSITION
    disposition: DispositionKind
    decided_on: datetime


class RecordDirective(Payload):
    """The court gave no directive in time after a non-compliance report: the coordinator
    asked the court and records what it directed, as the court's own update would."""

    kind: Literal[TaskKind.RECORD_DIRECTIVE] = TaskKind.RECORD_DIRECTIVE
    directive: DirectiveKind
    note: str = Field(default="", description="How the court gave it, e.g. at a hearing.")


class ResolveFiling(Payload):
    """A report the court refused, or could not be reached for past the policy's patience.

    A refile after the court refused the report, or one marked `amended`, is the report's
    next version: built again from the case as it stands, under its own idempotency key
    (the court refused the earlier one, and would answer its key with the same refusal).
    A plain refile after the court could not be reached sends the same version under the
    same key, so a court that did receive it files it once."""

    kind: Literal[TaskKind.RESOLVE_FILING] = TaskKind.RESOLVE_FILING
    refile: bool = Field(description="Try filing again (true) or record it filed by hand.")
    amended: bool = Field(
        default=False,
        description="Refile as a new version (its own idempotency key), built from the case "
        "as it stands now: after correcting what the court objected to.",
    )
    reference: str = ""

    @model_validator(mode="after")
    def _amended_is_refiled(self) -> "ResolveFiling":
        if self.amended and not self.refile:
            raise ValueError("an amended report is refiled: set refile, or leave amended out")
        return self


class ContactParticipant(Payload):
    """The participant has no phone or email on file: a reminder or warning the program
    would have sent him is passed on by staff (by post, in person, through his lawyer)."""

    kind: Literal[TaskKind.CONTACT_PARTICIPANT] = TaskKind.CONTACT_PARTICIPANT
    reached: bool = Field(description="Whether the message reached the participant.")
    how: str = Field(
        min_length=1,
        description="How it reached him, or what was tried.",
        examples=["letter posted to his address on file"],
    )


class PassOnMessage(Payload):
    """A message to staff reached nobody (no one in the staff directory for the role, or
    the provider refused it): the coordinator passes it on and mends the directory."""

    kind: Literal[TaskKind.PASS_ON_MESSAGE] = TaskKind.PASS_ON_MESSAGE
    passed_on: bool = Field(description="Whether the message reached the person it was for.")
    how: str = Field(
        min_length=1,
        description="How it reached them, or what was tried.",
        examples=["phoned the duty advocate; directory entry corrected"],
    )


class ResolvePoliceCheck(Payload):
    """The police system did not answer the case's check in time: ask it again, or record
    the check staff made another way (by phone to the records desk) and what it found."""

    kind: Literal[TaskKind.RESOLVE_POLICE_CHECK] = TaskKind.RESOLVE_POLICE_CHECK
    retry: bool = Field(description="Ask the police system again (true) or record a manual check.")
    checked_with: str = Field(
        default="", description="Manual check: who at the police answered, e.g. the records desk."
    )
    incidents: list[Incident] = Field(
        default_factory=list,
        description="Manual check: the incidents the police named for the participant; "
        "none means the police found none.",
    )

    @model_validator(mode="after")
    def _a_retry_or_a_recorded_check(self) -> "ResolvePoliceCheck":
        if self.retry and (self.checked_with.strip() or self.incidents):
            raise ValueError("a retry asks the police system again: leave the manual check empty")
        if not self.retry and not self.checked_with.strip():
            raise ValueError("a manual police check names who at the police answered it")
        return self


class ReviewVictimContact(Payload):
    """The advocate decides whether contact details a repeat referral gave replace the
    victim's (the advocate's view of the case shows them as `proposed_victim_contact`)."""

    kind: Literal[TaskKind.REVIEW_VICTIM_CONTACT] = TaskKind.REVIEW_VICTIM_CONTACT
    use_new_contact: bool


TaskPayload = Annotated[
    ScreenCase
    | MultiAgencyReview
    | VictimConsent
    | ParticipantConsent
    | AssignFacilitators
    | PreMeeting
    | SafetyPlan
    | ScheduleConference
    | ReadinessCheck
    | RecordOutcome
    | VerifyEvidence
    | ReviewMissedObligation
    | SafetyReview
    | RecordDisposition
    | ResolveFiling
    | ResolvePoliceCheck
    | RecordDirective
    | ContactParticipant
    | PassOnMessage
    | ReviewVictimContact,
    Field(discriminator="kind"),
]
