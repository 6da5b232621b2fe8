"""Eligibility at screening (DESIGN §2 rule 5, §3 'screening')."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.eligibility import Eligibility, assess_eligibility
from domain.enums import Plea, PleaRequirement, RiskFlag, RiskLevel
from domain.policy import Policy
from domain.risk import UnknownInstrument
from domain.task_payloads import RiskAssessment, ScreenCase
from tests.domain.factories import DEMO

POLICY = DEMO.policy
ESCALATION = list(POLICY.escalation_items)
EXCLUSIONS = list(POLICY.hard_exclusions)
NEUTRAL_FLAGS = [RiskFlag.INJURY, RiskFlag.PRIOR_DV]

# Danger Assessment scores: 5 low, 9 moderate, 14 high, 18 very high.
DA_LOW, DA_MODERATE, DA_HIGH, DA_VERY_HIGH = 5.0, 9.0, 14.0, 18.0


def screening(
    *,
    plea: Plea = Plea.GUILTY,
    responsibility_accepted: bool = True,
    prior_rj_for_offence: bool = False,
    additional_flags: list[RiskFlag] | None = None,
    score: float = DA_LOW,
    instrument: str = "DA",
) -> ScreenCase:
    return ScreenCase(
        plea=plea,
        responsibility_accepted=responsibility_accepted,
        prior_rj_for_offence=prior_rj_for_offence,
        additional_flags=additional_flags or [],
        risk=RiskAssessment(instrument=instrument, score=score),
    )


def policy_with(**changes: Any) -> Policy:
    """The demo policy with some fields changed, validated again."""
    return Policy.model_validate({**POLICY.model_dump(), **changes})


def assess(
    screen: ScreenCase | None = None,
    auto_flags: list[RiskFlag] | None = None,
    policy: Policy = POLICY,
) -> Eligibility:
    return assess_eligibility(screen or screening(), auto_flags or [], policy)


def only_reason(result: Eligibility) -> str:
    assert result.eligible is False
    assert result.review_required is False
    assert len(result.reasons) == 1, result.reasons
    return result.reasons[0]


# --- the clean case --------------------------------------------------------------------


def test_eligible_case_has_no_reasons_and_no_review() -> None:
    result = assess()
    assert result.eligible is True
    assert result.reasons == []
    assert result.review_required is False
    assert result.risk_level is RiskLevel.LOW
    assert result.flags == []


def test_neutral_flags_do_not_exclude_or_escalate() -> None:
    result = assess(screening(additional_flags=[RiskFlag.INJURY]), [RiskFlag.PRIOR_DV])
    assert result.eligible is True
    assert result.review_required is False
    assert set(result.flags) == set(NEUTRAL_FLAGS)


# --- each reason on its own ------------------------------------------------------------


def test_moratorium() -> None:
    reason = only_reason(assess(policy=policy_with(moratorium=True)))
    assert "moratorium" in reason


ACCEPTED: dict[PleaRequirement, set[Plea]] = {
    PleaRequirement.NONE: set(Plea),
    PleaRequirement.GUILTY_PLEA: {Plea.GUILTY},
    PleaRequirement.PLEA_OR_FINDING: {Plea.GUILTY, Plea.NO_CONTEST, Plea.FINDING_OF_GUILT},
}


@pytest.mark.parametrize("requirement", list(PleaRequirement))
@pytest.mark.parametrize("plea", list(Plea))
def test_plea_rule(requirement: PleaRequirement, plea: Plea) -> None:
    result = assess(screening(plea=plea), policy=policy_with(plea_requirement=requirement))
    if plea in ACCEPTED[requirement]:
        assert result.eligible is True
        assert result.reasons == []
    else:
        reason = only_reason(result)
        assert f"'{plea.value}'" in reason
        assert f"'{requirement.value}'" in reason


def test_not_guilty_plea_never_meets_a_plea_requirement() -> None:
    for requirement in (PleaRequirement.GUILTY_PLEA, PleaRequirement.PLEA_OR_FINDING):
        result = assess(
            screening(plea=Plea.NOT_GUILTY), policy=policy_with(plea_requirement=requirement)
        )
        assert result.eligible is False


def test_responsibility_not_accepted() -> None:
    reason = only_reason(assess(screening(responsibility_accepted=False)))
    assert "responsibility" in reason


def test_prior_rj_for_offence() -> None:
    reason = only_reason(assess(screening(prior_rj_for_offence=True)))
    assert "already held" in reason


@pytest.mark.parametrize("flag", EXCLUSIONS)
def test_hard_exclusion_recorded_at_screening(flag: RiskFlag) -> None:
    reason = only_reason(assess(screening(additional_flags=[flag])))
    assert reason == f"hard exclusion: {flag.value}"


@pytest.mark.parametrize("flag", EXCLUSIONS)
def test_hard_exclusion_from_police_incident(flag: RiskFlag) -> None:
    reason = only_reason(assess(auto_flags=[flag]))
    assert reason == f"hard exclusion: {flag.value}"


def test_two_hard_exclusions_are_one_reason_naming_both() -> None:
    reason = only_reason(
        assess(screening(additional_flags=[RiskFlag.SEXUAL_VIOLENCE]), [RiskFlag.CHILD_HARM])
    )
    assert "sexual_violence" in reason
    assert "child_harm" in reason


def test_exclusion_level() -> None:
    result = assess(screening(score=DA_VERY_HIGH))
    reason = only_reason(result)
    assert "very_high" in reason
    assert result.risk_level is RiskLevel.VERY_HIGH


def test_exclusion_level_follows_policy() -> None:
    strict = policy_with(exclude_at_level=RiskLevel.HIGH)
    assert "exclusion level" in only_reason(assess(screening(score=DA_HIGH), policy=strict))
    assert assess(screening(score=DA_MODERATE), policy=strict).eligible is True


def test_flag_excluded_by_one_policy_can_be_escalated_by_another() -> None:
    policy = policy_with(
        hard_exclusions=[RiskFlag.CHILD_HARM],
        escalation_items=[RiskFlag.SEXUAL_VIOLENCE],
    )
    result = assess(screening(additional_flags=[RiskFlag.SEXUAL_VIOLENCE]), policy=policy)
    assert result.eligible is True
    assert result.review_required is True


def test_all_reasons_accumulate() -> None:
    result = assess(
        screening(
            plea=Plea.NOT_GUILTY,
            responsibility_accepted=False,
            prior_rj_for_offence=True,
            additional_flags=[RiskFlag.CHILD_HARM, RiskFlag.WEAPON],
            score=DA_VERY_HIGH,
        ),
        policy=policy_with(moratorium=True),
    )
    assert result.eligible is False
    assert len(result.reasons) == 6
    assert result.review_required is False


# --- review ----------------------------------------------------------------------------


@pytest.mark.parametrize("flag", ESCALATION)
def test_escalation_item_at_screening_requires_review(flag: RiskFlag) -> None:
    result = assess(screening(additional_flags=[flag]))
    assert result.eligible is True
    assert result.reasons == []
    assert result.review_required is True
    assert flag in result.flags


@pytest.mark.parametrize("flag", ESCALATION)
def test_escalation_item_from_incident_requires_review(flag: RiskFlag) -> None:
    result = assess(auto_flags=[flag])
    assert result.eligible is True
    assert result.review_required is True


@pytest.mark.parametrize(
    ("score", "review"),
    [(DA_LOW, False), (DA_MODERATE, False), (13.0, False), (DA_HIGH, True), (17.0, True)],
)
def test_review_level(score: float, review: bool) -> None:
    result = assess(screening(score=score))
    assert result.eligible is True
    assert result.review_required is review


def test_review_level_follows_policy() -> None:
    result = assess(
        screening(score=DA_MODERATE), policy=policy_with(review_at_level=RiskLevel.MODERATE)
    )
    assert result.eligible is True
    assert result.review_required is True


@pytest.mark.parametrize(
    "screen",
    [
        screening(additional_flags=[RiskFlag.WEAPON], responsibility_accepted=False),
        screening(additional_flags=[RiskFlag.STRANGULATION, RiskFlag.CHILD_HARM]),
        screening(score=DA_HIGH, plea=Plea.NONE),
        screening(score=DA_VERY_HIGH),
    ],
)
def test_ineligible_case_never_requires_review(screen: ScreenCase) -> None:
    result = assess(screen)
    assert result.eligible is False
    assert result.review_required is False


# --- flags and risk --------------------------------------------------------------------


def test_flags_are_sorted_union_of_auto_and_screening_flags() -> None:
    result = assess(
        screening(additional_flags=[RiskFlag.WEAPON, RiskFlag.INJURY]),
        [RiskFlag.INJURY, RiskFlag.ESCALATING_ABUSE],
    )
    assert result.flags == sorted({RiskFlag.WEAPON, RiskFlag.INJURY, RiskFlag.ESCALATING_ABUSE})


def test_unknown_instrument_is_not_silently_eligible() -> None:
    with pytest.raises(UnknownInstrument):
        assess(screening(instrument="B-SAFER"))


def test_out_of_range_score_is_not_silently_eligible() -> None:
    with pytest.raises(ValueError):
        assess(screening(score=39))


@given(
    plea=st.sampled_from(list(Plea)),
    requirement=st.sampled_from(list(PleaRequirement)),
    responsibility=st.booleans(),
    prior=st.booleans(),
    moratorium=st.booleans(),
    auto=st.lists(st.sampled_from(list(RiskFlag)), max_size=4),
    extra=st.lists(st.sampled_from(list(RiskFlag)), max_size=4),
    score=st.floats(min_value=0, max_value=38, allow_nan=False),
)
def test_eligibility_invariants(
    plea: Plea,
    requirement: PleaRequirement,
    responsibility: bool,
    prior: bool,
    moratorium: bool,
    auto: list[RiskFlag],
    extra: list[RiskFlag],
    score: float,
) -> None:
    policy = POLICY.model_copy(update={"moratorium": moratorium, "plea_requirement": requirement})
    result = assess_eligibility(
        screening(
            plea=plea,
            responsibility_accepted=responsibility,
            prior_rj_for_offence=prior,
            additional_flags=extra,
            score=score,
        ),
        auto,
        policy,
    )
    assert result.eligible is (result.reasons == [])
    if not result.eligible:
        assert result.review_required is False
    flags = set(auto) | set(extra)
    if flags & set(POLICY.hard_exclusions):
        assert result.eligible is False
    if result.eligible and (flags & set(POLICY.escalation_items)):
        assert result.review_required is True
    expected_eligible = (
        not moratorium
        and plea in ACCEPTED[requirement]
        and responsibility
        and not prior
        and not flags & set(POLICY.hard_exclusions)
        and score < DA_VERY_HIGH
    )
    assert result.eligible is expected_eligible
