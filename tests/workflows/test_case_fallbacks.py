"""Every way a case ends early reports neutrally: the court never learns who or why."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from domain.enums import (
    ConferenceResult,
    NotProceededReason,
    Outcome,
    Party,
    Plea,
    ReportKind,
    RiskFlag,
    Stage,
    TaskKind,
)
from domain.task_payloads import MultiAgencyReview
from tests.workflows.harness import Case, Harness
from tests.workflows.steps import (
    VICTIM_STATEMENT,
    hold_conference,
    participant_consent,
    screening,
    through_engagement,
    through_preparation,
    through_screening,
    victim_consent,
)
from workflows.case import DiversionCase
from workflows.messages import ConsentWithdrawal


async def ended_neutrally(case: Case, reason: NotProceededReason) -> None:
    assert await case.outcome() is Outcome.NOT_PROCEEDED
    report = case.filings()[-1]
    assert report.kind is ReportKind.NOT_PROCEEDED
    assert report.not_proceeded_reason is reason
    assert report.summary == "The restorative process did not proceed."
    case.assert_court_never_sees_the_victim(VICTIM_STATEMENT)
    view = await case.view()
    assert view.open_tasks() == []


async def test_ineligible_case_ends_at_screening(harness: Harness) -> None:
    case = await harness.start()
    await case.complete(screening(plea=Plea.NOT_GUILTY))
    await ended_neutrally(case, NotProceededReason.NOT_ELIGIBLE)
    view = await case.view()
    assert view.screening is not None and "plea" in view.screening.reasons[0]


async def test_hard_exclusion_ends_at_screening(harness: Harness) -> None:
    case = await harness.start()
    await case.complete(screening(additional_flags=[RiskFlag.SEXUAL_VIOLENCE]))
    await ended_neutrally(case, NotProceededReason.NOT_ELIGIBLE)


async def test_high_risk_flag_needs_a_multi_agency_review(harness: Harness) -> None:
    case = await harness.start()
    await case.complete(screening(additional_flags=[RiskFlag.STRANGULATION]))
    await case.complete(MultiAgencyReview(may_proceed=False, agencies=["police", "probation"]))
    await ended_neutrally(case, NotProceededReason.NOT_SUITABLE)


async def test_review_that_allows_it_lets_the_case_go_on(harness: Harness) -> None:
    case = await harness.start()
    await case.complete(screening(additional_flags=[RiskFlag.WEAPON]))
    await case.complete(MultiAgencyReview(may_proceed=True, agencies=["police", "probation"]))
    await case.task(TaskKind.VICTIM_CONSENT)
    assert case.filed_kinds() == [ReportKind.SCREENING_OUTCOME]


async def test_victim_declines(harness: Harness) -> None:
    case = await harness.start()
    await through_screening(case)
    await case.complete(victim_consent(consents=False))
    await ended_neutrally(case, NotProceededReason.PROCESS_DID_NOT_PROCEED)


async def test_participant_declines_reads_exactly_like_the_victim_declining(
    harness: Harness,
) -> None:
    declined_by = {}
    for party in (Party.VICTIM, Party.PARTICIPANT):
        case = await harness.start()
        await through_screening(case)
        if party is Party.VICTIM:
            await case.complete(victim_consent(consents=False))
        else:
            await case.complete(victim_consent())
            await case.complete(participant_consent(consents=False))
        await ended_neutrally(case, NotProceededReason.PROCESS_DID_NOT_PROCEED)
        report = case.filings()[-1]
        declined_by[party] = report.model_dump(
            exclude={"case_id", "court_case_number", "generated_at", "milestones"}
        )
    assert declined_by[Party.VICTIM] == declined_by[Party.PARTICIPANT]


async def test_consent_deadline_passing_ends_neutrally_after_reminder_and_escalation(
    harness: Harness,
) -> None:
    case = await harness.start()
    await through_screening(case)
    await ended_neutrally(case, NotProceededReason.PROCESS_DID_NOT_PROCEED)
    subjects = [n.subject for n in case.notifications()]
    assert subjects.index("Reminder: victim_consent") < subjects.index(
        "Escalation: engagement deadline approaching"
    )


Drive = Callable[[Case], Awaitable[object]]
# Before an agreement. After one, a withdrawal is no early end:
# tests/workflows/test_withdrawal_after_agreement.py.
TO_STAGE: dict[Stage, Drive] = {
    Stage.ENGAGEMENT: through_screening,
    Stage.PREPARATION: through_engagement,
    Stage.CONFERENCE: through_preparation,
}


@pytest.mark.parametrize("party", [Party.VICTIM, Party.PARTICIPANT])
@pytest.mark.parametrize("stage", list(TO_STAGE))
async def test_withdrawal_at_any_stage_ends_neutrally(
    harness: Harness, stage: Stage, party: Party
) -> None:
    case = await harness.start()
    await TO_STAGE[stage](case)
    await case.reach(stage)
    await case.handle.execute_update(
        DiversionCase.withdraw_consent, ConsentWithdrawal(party=party, note="by phone")
    )
    await ended_neutrally(case, NotProceededReason.PROCESS_DID_NOT_PROCEED)
    view = await case.view()
    assert view.stop is not None and view.stop.cause == f"{party} withdrew consent"
    advocate_told = [n for n in case.notifications() if n.subject.startswith("Victim withdrew")]
    assert bool(advocate_told) is (party is Party.VICTIM)


async def test_participant_no_show_ends_the_case(harness: Harness) -> None:
    case = await harness.start()
    await through_preparation(case)
    await hold_conference(case, ConferenceResult.PARTICIPANT_NO_SHOW)
    await ended_neutrally(case, NotProceededReason.PROCESS_DID_NOT_PROCEED)


async def test_victim_no_show_reschedules_once_then_ends(harness: Harness) -> None:
    case = await harness.start()
    await through_preparation(case)
    await hold_conference(case, ConferenceResult.VICTIM_NO_SHOW)
    await case.task(TaskKind.SCHEDULE_CONFERENCE)
    view = await case.view()
    assert view.conference.reschedules == 1 and view.outcome is None
    await hold_conference(case, ConferenceResult.VICTIM_NO_SHOW)
    await ended_neutrally(case, NotProceededReason.PROCESS_DID_NOT_PROCEED)


async def test_readiness_gate_failure_ends_the_case(harness: Harness) -> None:
    from domain.task_payloads import ReadinessCheck, RiskAssessment, ScheduleConference

    case = await harness.start()
    await through_preparation(case)
    at = await case.now() + timedelta(days=5)
    await case.complete(ScheduleConference(at=at, location="Program office"))
    await case.advance(timedelta(days=4))
    await case.complete(
        ReadinessCheck(
            victim_safe_to_proceed=False,
            no_new_incidents=True,
            risk_rechecked=RiskAssessment(instrument="ODARA", score=2),
        )
    )
    await ended_neutrally(case, NotProceededReason.NOT_SUITABLE)
