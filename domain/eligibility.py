"""Eligibility at screening (DESIGN §2 rule 5, §3): pure, so every rule is unit-tested."""

from pydantic import BaseModel, Field

from domain.enums import Plea, PleaRequirement, RiskFlag, RiskLevel
from domain.policy import Policy
from domain.risk import at_least, risk_level
from domain.task_payloads import ScreenCase

_PLEAS_ACCEPTED: dict[PleaRequirement, frozenset[Plea]] = {
    PleaRequirement.NONE: frozenset(Plea),
    PleaRequirement.GUILTY_PLEA: frozenset({Plea.GUILTY}),
    PleaRequirement.PLEA_OR_FINDING: frozenset(
        {Plea.GUILTY, Plea.NO_CONTEST, Plea.FINDING_OF_GUILT}
    ),
}


class Eligibility(BaseModel):
    eligible: bool
    reasons: list[str] = Field(default_factory=list, description="Why not, for staff.")
    risk_level: RiskLevel
    flags: list[RiskFlag]
    review_required: bool


def assess_eligibility(
    screening: ScreenCase, auto_flags: list[RiskFlag], policy: Policy
) -> Eligibility:
    """Apply the jurisdiction's rules to a coordinator's screening."""
    level = risk_level(screening.risk, policy)
    flags = sorted(set(auto_flags) | set(screening.additional_flags))
    reasons: list[str] = []
    if policy.moratorium:
        reasons.append("the jurisdiction is under a moratorium on new diversion cases")
    if screening.plea not in _PLEAS_ACCEPTED[policy.plea_requirement]:
        reasons.append(
            f"plea '{screening.plea}' does not meet the requirement '{policy.plea_requirement}'"
        )
    if not screening.responsibility_accepted:
        reasons.append("the participant has not accepted responsibility")
    if screening.prior_rj_for_offence:
        reasons.append("a restorative process was already held for this offence")
    excluded = [f for f in flags if f in policy.hard_exclusions]
    if excluded:
        reasons.append(f"hard exclusion: {', '.join(excluded)}")
    if at_least(level, policy.exclude_at_level):
        reasons.append(f"risk level {level} is at or above the exclusion level")
    review = bool(set(flags) & set(policy.escalation_items)) or at_least(
        level, policy.review_at_level
    )
    return Eligibility(
        eligible=not reasons,
        reasons=reasons,
        risk_level=level,
        flags=flags,
        review_required=review and not reasons,
    )
