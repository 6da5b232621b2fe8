"""Every stage deadline reminds the assignee, then escalates to the coordinator, then falls back."""

from collections.abc import Awaitable, Callable

import pytest

from domain.enums import NotProceededReason, Outcome, ReportKind, Role, Stage
from tests.workflows.harness import Case, Harness
from tests.workflows.steps import VICTIM_STATEMENT, through_engagement, through_screening

Drive = Callable[[Case], Awaitable[object]]


async def nothing(case: Case) -> None:
    return None


@pytest.mark.parametrize(
    ("stage", "drive", "waiting_on", "assignee", "reason"),
    [
        (Stage.SCREENING, nothing, "screen_case", Role.COORDINATOR, "not_completed_in_time"),
        (
            Stage.ENGAGEMENT,
            through_screening,
            "victim_consent",
            Role.VICTIM_ADVOCATE,
            "process_did_not_proceed",
        ),
        (
            Stage.PREPARATION,
            through_engagement,
            "assign_facilitators",
            Role.COORDINATOR,
            "not_completed_in_time",
        ),
    ],
)
async def test_deadline_reminds_then_escalates_then_falls_back(
    harness: Harness, stage: Stage, drive: Drive, waiting_on: str, assignee: Role, reason: str
) -> None:
    case = await harness.start()
    await drive(case)
    await case.reach(stage)
    entered = await case.now()

    assert await case.outcome() is Outcome.NOT_PROCEEDED

    sent = case.notifications()
    reminder = next(n for n in sent if n.subject == f"Reminder: {waiting_on}")
    escalation = next(n for n in sent if n.subject.startswith(f"Escalation: {stage}"))
    assert reminder.to_role is assignee and escalation.to_role is Role.COORDINATOR
    assert reminder.created_at < escalation.created_at
    ladder = harness.jurisdiction.policy.stage_ladder
    deadline_days = harness.jurisdiction.policy.stage_deadline_days[stage]
    assert (reminder.created_at - entered).days == pytest.approx(
        deadline_days - ladder.remind_before_days, abs=1
    )
    report = case.filings()[-1]
    assert report.kind is ReportKind.NOT_PROCEEDED
    assert report.not_proceeded_reason is NotProceededReason(reason)
    assert report.generated_at >= escalation.created_at
    case.assert_court_never_sees_the_victim(VICTIM_STATEMENT)


async def test_conference_never_held_falls_back_after_reminder_and_escalation(
    harness: Harness,
) -> None:
    from tests.workflows.steps import through_preparation

    case = await harness.start()
    await through_preparation(case)
    await case.reach(Stage.CONFERENCE)
    assert await case.outcome() is Outcome.NOT_PROCEEDED
    subjects = [n.subject for n in case.notifications()]
    assert "Reminder: schedule_conference" in subjects
    assert "Escalation: conference deadline approaching" in subjects
    assert case.filings()[-1].not_proceeded_reason is NotProceededReason.NOT_COMPLETED_IN_TIME
    case.assert_court_never_sees_the_victim(VICTIM_STATEMENT)
