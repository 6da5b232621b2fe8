"""Jurisdiction policy (DESIGN §3): one validated TOML entry per jurisdiction.

A case keeps a snapshot of the policy in force at referral, so editing this file never
changes a running case. The facilitator roster is the exception, on purpose: it is the
current configuration, read by the API when a coordinator assigns facilitators, and never
copied into a case (see domain/facilitation.py).

Settings that would switch a safety rule off (DESIGN §2) are refused when the file is
loaded (`parse_jurisdictions`), not by the models: policies kept in stored workflow
histories must still decode.
"""

import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeGuard
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from domain.enums import RISK_ORDER, PleaRequirement, RiskFlag, RiskLevel, Stage
from domain.notifications import NotificationSettings
from domain.quiet_hours import QuietHours
from domain.reports import ReportSettings
from domain.roster import RosterFacilitator, roster_problems
from domain.staff_directory import NotifierChoice, StaffMember, staff_problems


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RiskBand(Strict):
    from_score: float = Field(description="Lowest score in this band (inclusive).")
    level: RiskLevel


class RiskInstrument(Strict):
    min_score: float
    max_score: float | None = None
    bands: list[RiskBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _bands_ascending(self) -> "RiskInstrument":
        starts = [b.from_score for b in self.bands]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            raise ValueError("bands must be listed by strictly ascending from_score")
        levels = [RISK_ORDER.index(b.level) for b in self.bands]
        if levels != sorted(levels):
            raise ValueError("band levels must not fall as the score rises")
        if starts[0] > self.min_score:
            raise ValueError("the first band must start at or below min_score")
        return self


class StageLadder(Strict):
    """Offsets before a stage deadline: remind the assignee, then escalate."""

    remind_before_days: float = 5
    escalate_before_days: float = 2


class ObligationLadder(Strict):
    reminder_days_before: list[float] = Field(default_factory=lambda: [7.0, 1.0])
    grace_days: float = 3
    review_days: float = 7


class AnswerCadence(Strict):
    """How a case follows a filing the court only received (its answer comes later): it
    asks the court every hour at first, then less often, and after the patience staff
    check with the clerk (a `resolve_filing` task). Courts that call back are asked
    nothing; the patience holds for them too, so no filing waits forever."""

    hourly_for_hours: float = Field(
        default=24, ge=0, description="Ask every hour for this long after the filing."
    )
    then_every_hours: float = Field(default=24, gt=0, description="Then ask this often.")
    patience_days: float = Field(
        default=5, gt=0, description="Days without an answer before staff check with the clerk."
    )

    def next_ask(self, since: datetime, now: datetime) -> datetime:
        """When to ask next, after `now`, about a filing received at `since`: hourly for
        the first `hourly_for_hours`, then every `then_every_hours`, counted from the
        filing so that a late ask adds no drift."""
        hour = timedelta(hours=1)
        hourly = self.hourly_for_hours * hour
        if now - since < hourly:
            return since + ((now - since) // hour + 1) * hour
        every = self.then_every_hours * hour
        return since + hourly + ((now - since - hourly) // every + 1) * every


class AdapterChoice(Strict):
    format: str = "json"
    transport: str = "folder"
    settings: dict[str, Any] = Field(default_factory=dict)


class PoliceChoice(Strict):
    adapter: str = "none"
    settings: dict[str, Any] = Field(default_factory=dict)


DEFAULT_STAGE_DEADLINES: dict[Stage, float] = {
    Stage.SCREENING: 14,
    Stage.ENGAGEMENT: 21,
    Stage.PREPARATION: 45,
    Stage.CONFERENCE: 30,
    Stage.FINAL_REPORT: 30,
    Stage.SUSPENDED: 1,
}


# DESIGN §2 rule 5: what restorative justice cannot hold ends the case at screening, and the
# high-risk indicators need a multi-agency review. They apply wherever a jurisdiction lists none.
DEFAULT_HARD_EXCLUSIONS = (RiskFlag.SEXUAL_VIOLENCE, RiskFlag.CHILD_HARM)
DEFAULT_ESCALATION_ITEMS = (
    RiskFlag.STRANGULATION,
    RiskFlag.WEAPON,
    RiskFlag.THREATS_TO_KILL,
    RiskFlag.ESCALATING_ABUSE,
    RiskFlag.ORDER_BREACH,
)
# DESIGN §2 rule 6: a conference needs two facilitators; a policy may ask for more.
MIN_FACILITATORS = 2


class Policy(Strict):
    plea_requirement: PleaRequirement = PleaRequirement.PLEA_OR_FINDING
    moratorium: bool = False
    hard_exclusions: list[RiskFlag] = Field(default_factory=lambda: list(DEFAULT_HARD_EXCLUSIONS))
    escalation_items: list[RiskFlag] = Field(default_factory=lambda: list(DEFAULT_ESCALATION_ITEMS))
    review_at_level: RiskLevel = RiskLevel.HIGH
    exclude_at_level: RiskLevel = RiskLevel.VERY_HIGH
    risk_instruments: dict[str, RiskInstrument] = Field(min_length=1)
    stage_deadline_days: dict[Stage, float] = Field(
        default_factory=lambda: dict(DEFAULT_STAGE_DEADLINES)
    )
    stage_ladder: StageLadder = StageLadder()
    obligation_ladder: ObligationLadder = ObligationLadder()
    readiness_window_hours: float = 48
    progress_report_every_days: float = 30
    progress_report_before_hearing_days: float = 7
    hearing_check_every_days: float = Field(
        default=7,
        gt=0,
        description="How often a case in monitoring asks the court for its hearings between "
        "reports, so a hearing moved earlier still gets its report (courts that can say).",
    )
    facilitators_per_conference: int = Field(default=MIN_FACILITATORS, ge=1)
    victim_no_show_reschedules: int = Field(default=1, ge=0)
    filing_patience_hours: float = 24
    court_answer: AnswerCadence = AnswerCadence()
    directive_wait_days: float = Field(
        default=30,
        gt=0,
        description="Days the court has to give its directive after a non-compliance report "
        "before the coordinator is asked to chase it.",
    )
    escalate_every_days: float = Field(
        default=7,
        gt=0,
        description="How often a wait with no stage deadline (a report waiting on staff, a "
        "chased directive or disposition, an escalated review) is escalated again to the "
        "coordinator once overdue.",
    )
    recidivism_follow_up_months: list[int] = Field(default_factory=lambda: [6, 12, 24])
    quiet_hours: QuietHours = Field(
        default=QuietHours(),
        description="Local hours in which a message to the participant waits for the end; "
        "staff messages never wait. Policies kept before it read as 21:00 to 08:00.",
    )
    notifications: NotificationSettings = Field(
        default=NotificationSettings(),
        description="How long a message is retried before staff are asked to send it.",
    )
    incident_check_every_days: float | None = Field(
        default=7,
        gt=0,
        description="How often an open case asks the police. A jurisdictions file must set it; "
        "none (never) survives only in policies kept by cases started before that rule.",
    )

    @model_validator(mode="before")
    @classmethod
    def _default_escalations_spare_exclusions(cls, data: Any) -> Any:
        """Excluding a flag outright is stricter than escalating it: when the escalation
        items are left to their defaults, a flag the jurisdiction excludes is not among them."""
        if isinstance(data, dict) and "escalation_items" not in data and "hard_exclusions" in data:
            excluded = data["hard_exclusions"]
            if isinstance(excluded, list):
                named = {str(flag) for flag in excluded}
                kept = [flag for flag in DEFAULT_ESCALATION_ITEMS if flag.value not in named]
                data = {**data, "escalation_items": kept}
        return data

    @field_validator("stage_deadline_days")
    @classmethod
    def _complete_deadlines(cls, given: dict[Stage, float]) -> dict[Stage, float]:
        merged = {**DEFAULT_STAGE_DEADLINES, **given}
        bad = [s for s, d in merged.items() if d <= 0]
        if bad:
            raise ValueError(f"stage deadlines must be positive: {', '.join(bad)}")
        return merged

    @model_validator(mode="after")
    def _exclusions_not_escalations(self) -> "Policy":
        both = set(self.hard_exclusions) & set(self.escalation_items)
        if both:
            raise ValueError(
                "hard_exclusions and escalation_items share "
                f"{', '.join(sorted(both))}; a flag cannot be both excluded and escalated"
            )
        return self


class Jurisdiction(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    timezone: str
    court: AdapterChoice = AdapterChoice()
    police: PoliceChoice = PoliceChoice()
    policy: Policy
    reports: ReportSettings = ReportSettings()
    # Excluded from serialisation: a case's snapshot never carries the roster (nor the
    # staff accounts on it), so a roster edit reaches running cases at their next assignment.
    roster: list[RosterFacilitator] = Field(
        default_factory=list,
        exclude=True,
        description="The facilitators of this jurisdiction, as configured now.",
    )
    # Also configuration by reference, never in a case's snapshot: how messages leave
    # (the notifier and its settings) and whom a staff alert reaches.
    notifier: NotifierChoice = Field(default_factory=NotifierChoice, exclude=True)
    staff: list[StaffMember] = Field(
        default_factory=list,
        exclude=True,
        description="The staff directory: name, roles, email, phone.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, tz: str) -> str:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"unknown timezone {tz!r}") from e
        return tz


class PolicyError(ValueError):
    """A jurisdictions file that cannot be used, with the jurisdiction and field named."""


def parse_jurisdictions(text: str, source: str = "<string>") -> dict[str, Jurisdiction]:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise PolicyError(f"{source}: not valid TOML: {e}") from e
    entries = raw.get("jurisdictions")
    if not isinstance(entries, dict) or not entries:
        raise PolicyError(f"{source}: expected at least one [jurisdictions.<id>] table")
    found: dict[str, Jurisdiction] = {}
    for jid, body in entries.items():
        if not isinstance(body, dict):
            raise PolicyError(f"{source}: jurisdiction {jid!r}: expected a table")
        if body.get("id", jid) != jid:
            raise PolicyError(
                f"{source}: jurisdiction {jid!r}: id: must match the table name or be left out"
            )
        unsafe = unsafe_settings(body)
        if unsafe:
            raise PolicyError(f"{source}: jurisdiction {jid!r}: {'; '.join(unsafe)}")
        try:
            found[jid] = Jurisdiction.model_validate({"id": jid, **body})
        except ValidationError as e:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors()
            )
            raise PolicyError(f"{source}: jurisdiction {jid!r}: {problems}") from e
        unusable = roster_problems(found[jid].roster) + staff_problems(found[jid].staff)
        if unusable:
            raise PolicyError(f"{source}: jurisdiction {jid!r}: {'; '.join(unusable)}")
    return found


def unsafe_settings(body: dict[str, Any]) -> list[str]:
    """What in one raw `[jurisdictions.<id>]` table would switch a safety rule off, each
    naming its field. Read from the file as written: an explicit empty list differs from
    a missing one, which gets the defaults."""
    policy = body.get("policy")
    if not isinstance(policy, dict):
        return []  # the model says what is missing
    found: list[str] = []
    for field, defaults in (
        ("hard_exclusions", DEFAULT_HARD_EXCLUSIONS),
        ("escalation_items", DEFAULT_ESCALATION_ITEMS),
    ):
        if policy.get(field) == []:
            found.append(
                f"policy.{field}: an empty list switches a screening safeguard off; list the "
                f"flags, or leave {field} out for the defaults ({', '.join(defaults)})"
            )
    per = policy.get("facilitators_per_conference")
    if _is_number(per) and per < MIN_FACILITATORS:
        found.append(
            f"policy.facilitators_per_conference: a conference needs at least "
            f"{MIN_FACILITATORS} facilitators, not {per}"
        )
    if "incident_check_every_days" not in policy:
        found.append(
            "policy.incident_check_every_days: must be set: how many days apart an open case "
            "asks the police for new incidents (for example 7)"
        )
    elif _is_number(every := policy["incident_check_every_days"]) and every <= 0:
        found.append(
            f"policy.incident_check_every_days: must be more than 0 days, not {every}: an "
            "open case keeps asking the police for new incidents"
        )
    return found


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def load_jurisdictions(path: Path) -> dict[str, Jurisdiction]:
    return parse_jurisdictions(path.read_text(encoding="utf-8"), source=str(path))


DEMO_FILE = Path(__file__).parent / "jurisdictions.toml"
