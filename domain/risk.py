"""Risk: a score on an accepted instrument gives a level; incidents give flags."""

from collections.abc import Iterable

from domain.enums import RISK_ORDER, RiskFlag, RiskLevel
from domain.policy import Policy
from domain.referral import Incident
from domain.task_payloads import RiskAssessment


class UnknownInstrument(ValueError):
    pass


def risk_level(assessment: RiskAssessment, policy: Policy) -> RiskLevel:
    """The level of the highest band whose lower bound the score reaches."""
    instrument = policy.risk_instruments.get(assessment.instrument)
    if instrument is None:
        accepted = ", ".join(sorted(policy.risk_instruments))
        raise UnknownInstrument(
            f"risk instrument {assessment.instrument!r} is not accepted here (accepted: {accepted})"
        )
    score = assessment.score
    top = instrument.max_score
    if score != score or score < instrument.min_score or (top is not None and score > top):
        # Both ends as the jurisdictions file wrote them: 38, not 38.0.
        upper = f"{top:g}" if top is not None else "inf"
        raise ValueError(
            f"{assessment.instrument} score {score:g} is outside {instrument.min_score:g}..{upper}"
        )
    level = instrument.bands[0].level
    for band in instrument.bands:
        if score >= band.from_score:
            level = band.level
    return level


def at_least(level: RiskLevel, threshold: RiskLevel) -> bool:
    return RISK_ORDER.index(level) >= RISK_ORDER.index(threshold)


def flags_from_incidents(incidents: Iterable[Incident]) -> list[RiskFlag]:
    """Flags the police adapters found, plus prior DV when more than one DV incident is known."""
    incidents = list(incidents)
    found = {flag for incident in incidents for flag in incident.flags}
    if sum(1 for i in incidents if i.domestic_violence) > 1:
        found.add(RiskFlag.PRIOR_DV)
    return sorted(found)


def escalations_raised(
    incident: Incident, known: Iterable[Incident], policy: Policy
) -> list[RiskFlag]:
    """The policy's escalation items a new incident raises (DESIGN §2 rule 5): its own
    flags, even one screening already weighed (a second strangulation is new risk), and
    those it adds across the case's incidents (a second DV incident makes prior DV)."""
    known = list(known)
    before = set(flags_from_incidents(known))
    after = set(flags_from_incidents([*known, incident]))
    raised = set(incident.flags) | (after - before)
    return sorted(flag for flag in raised if flag in policy.escalation_items)
