"""Withdrawal once an agreement is reached (README, "Withdrawal after an agreement").

The victim's stops all contact with her and ends only the items that involve her, which
are excused; the participant's other items go on and the case completes, and the court
cannot tell it from a case where the coordinator excused the same item. The participant's
is the agreement's non-completion: the final report says so, with the obligations table.
"""

from datetime import datetime, timedelta

from temporalio.api.enums.v1 import EventType

from domain.agreement import Agreement, Obligation
from domain.case_views import case_view_for
from domain.court_reports import NOT_COMPLETED
from domain.enums import (
    ComplianceLevel,
    ConferenceResult,
    DispositionKind,
    ObligationKind,
    ObligationStatus,
    Outcome,
    Party,
    ReportKind,
    ReviewDecision,
    Role,
    Stage,
    TaskKind,
)
from domain.task_payloads import ReviewMissedObligation, VerifyEvidence
from tests.workflows.harness import Case, Harness
from tests.workflows.steps import (
    VICTIM_STATEMENT,
    hold_conference,
    participant_consent,
    prepare,
    through_screening,
    victim_consent,
)
from tests.workflows.test_court_cannot_tell import COURT_ROLES, LONG_AGO, anonymous, court_side
from workflows.case import DiversionCase
from workflows.messages import ConsentWithdrawal, Disposition

APOLOGY = 1  # the item that involves the victim
# Both cases close before a progress report is due, so each files the same reports.
QUIET = 365


def agreement(start: datetime) -> Agreement:
    return Agreement(
        obligations=[
            Obligation(
                kind=ObligationKind.BEHAVIOUR_CHANGE_PROGRAMME,
                description="Intake at the men's behaviour change group",
                first_due=start + timedelta(days=20),
                victim_informed=True,  # she asked to hear of it; it does not involve her
            ),
            Obligation(
                kind=ObligationKind.APOLOGY,
                description="Written apology, passed on by the advocate",
                first_due=start + timedelta(days=25),
            ),
            Obligation(
                kind=ObligationKind.RESTITUTION,
                description="Repay the insurer for the broken door",
                first_due=start + timedelta(days=30),
            ),
        ]
    )


async def agreed(case: Case) -> None:
    """An agreement of three items, the victim asking to hear of their progress."""
    await through_screening(case)
    await case.complete(victim_consent(wants_progress_updates=True))
    await case.complete(participant_consent())
    await prepare(case)
    await hold_conference(
        case, ConferenceResult.AGREEMENT, agreement(await case.now() + timedelta(days=10))
    )
    await case.reach(Stage.MONITORING)


async def verify(case: Case, index: int) -> None:
    task = await case.until(
        f"evidence for item {index + 1}",
        lambda v: next(
            (
                t
                for t in v.open_tasks()
                if t.kind is TaskKind.VERIFY_EVIDENCE and t.obligation_index == index
            ),
            None,
        ),
    )
    await case.complete(VerifyEvidence(evidence_seen=True, reference="provider letter"), task.id)


async def cancelled(case: Case, index: int) -> bool:
    """Whether the case asked for item `index`'s workflow to stop (its reminders with it)."""
    handle = case.env.client.get_workflow_handle(f"{case.handle.id}.o{index}")
    asked = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED
    return any([e.event_type == asked async for e in handle.fetch_history_events()])


async def dispose(case: Case, kind: DispositionKind) -> None:
    await case.reach(Stage.FINAL_REPORT)
    await case.handle.execute_update(
        DiversionCase.record_disposition, Disposition(kind=kind, decided_on=await case.now())
    )


async def withdraw(case: Case, party: Party) -> datetime:
    await case.handle.execute_update(
        DiversionCase.withdraw_consent, ConsentWithdrawal(party=party, note="by phone")
    )
    return await case.now()


async def victim_withdraws(case: Case) -> None:
    await agreed(case)
    withdrawn_at = await withdraw(case, Party.VICTIM)
    await verify(case, 0)
    await verify(case, 2)
    await dispose(case, DispositionKind.COMPLETED)
    assert await case.outcome() is Outcome.COMPLETED

    view = await case.view()
    assert [o.status for o in view.obligations] == [ObligationStatus.MET] * 3
    assert [o.released_for_victim for o in view.obligations] == [False, True, False]
    assert [(o.met, o.excused) for o in view.obligations] == [(1, 0), (0, 1), (1, 0)]
    assert [await cancelled(case, i) for i in range(3)] == [False, True, False]
    sent = case.notifications()
    after = [n for n in sent if n.created_at >= withdrawn_at]
    assert not [n for n in after if n.to_participant and "apology" in n.body]
    assert not [n for n in after if n.to_role is Role.VICTIM_ADVOCATE and "Progress" in n.subject]
    told = {(n.to_role, n.subject) for n in sent}
    assert (Role.VICTIM_ADVOCATE, "Victim withdrew consent: stop all contact") in told
    assert (Role.COORDINATOR, "Agreement items ended: the victim withdrew") in told
    assert view.stop is None and view.open_tasks() == []


async def coordinator_excuses_the_apology(case: Case) -> None:
    await agreed(case)
    await verify(case, 0)
    await verify(case, 2)
    agreed_items = (await case.view()).agreement
    assert agreed_items is not None
    missed = agreed_items.obligations[APOLOGY].first_due + timedelta(days=3, hours=12)
    await case.advance(missed - await case.now())  # past its grace: missed, to review
    review = await case.task(TaskKind.REVIEW_MISSED_OBLIGATION)
    await case.complete(ReviewMissedObligation(decision=ReviewDecision.EXCUSE), review.id)
    await dispose(case, DispositionKind.COMPLETED)
    assert await case.outcome() is Outcome.COMPLETED
    told = [n for n in case.notifications() if n.subject.startswith("Progress the victim")]
    assert [n.to_role for n in told] == [Role.VICTIM_ADVOCATE]  # she did not withdraw


async def test_a_victims_withdrawal_during_monitoring_ends_only_her_items_unseen_by_the_court(
    harness: Harness,
) -> None:
    seen = []
    for path in (victim_withdraws, coordinator_excuses_the_apology):
        case = await harness.start(progress_report_every_days=QUIET)
        await path(case)
        seen.append((case, await case.view(), await court_side(case)))
    (one, first, first_outputs), (other, second, second_outputs) = seen
    assert first.consents != second.consents, "the two cases differ inside"
    assert first_outputs == second_outputs
    for case in (one, other):
        assert case.filed_kinds() == [
            ReportKind.SCREENING_OUTCOME,
            ReportKind.AGREEMENT_REACHED,
            ReportKind.FINAL,
        ]
        assert [r.idempotency_key for r in case.filings()] == [
            f"{case.handle.id}:report:{n}" for n in (1, 2, 3)
        ]
        assert case.filings()[-1].compliance is ComplianceLevel.SUBSTANTIAL
        case.assert_court_never_sees_the_victim(VICTIM_STATEMENT)
    for roles in [set(), *({role} for role in COURT_ROLES), set(COURT_ROLES)]:
        views = [
            anonymous(case_view_for(state, roles, LONG_AGO).model_dump(mode="json"), case)
            for state, case in ((first, one), (second, other))
        ]
        assert views[0] == views[1]


async def test_a_participants_withdrawal_during_monitoring_is_non_completion(
    harness: Harness,
) -> None:
    case = await harness.start()
    await agreed(case)
    await verify(case, 0)
    await case.until("item 1 met", lambda v: v.obligations[0].status is ObligationStatus.MET)
    await withdraw(case, Party.PARTICIPANT)

    await case.filed(ReportKind.FINAL)
    final = case.filings()[-1]
    assert final.kind is ReportKind.FINAL
    assert final.compliance is ComplianceLevel.SIGNIFICANT_FAILURE
    assert NOT_COMPLETED in final.summary
    assert [(row.kind, row.status) for row in final.obligations] == [
        (ObligationKind.BEHAVIOUR_CHANGE_PROGRAMME, ObligationStatus.MET),
        (ObligationKind.APOLOGY, ObligationStatus.CANCELLED),
        (ObligationKind.RESTITUTION, ObligationStatus.CANCELLED),
    ]
    view = await case.view()
    assert view.stage is Stage.FINAL_REPORT and view.outcome is None
    assert view.open_tasks() == []

    await dispose(case, DispositionKind.NONCOMPLIANT)
    assert await case.outcome() is Outcome.NONCOMPLIANT
    view = await case.view()
    assert view.stop is None, "not an early end: the court's disposition closed it"
    assert [r.idempotency_key for r in case.filings()] == [
        f"{case.handle.id}:report:{n}" for n in (1, 2, 3)
    ]
    assert ReportKind.NOT_PROCEEDED not in case.filed_kinds()
    assert [await cancelled(case, i) for i in range(3)] == [False, True, True]
    told = {(n.to_role, n.subject) for n in case.notifications()}
    assert (Role.COORDINATOR, "Participant withdrew after the agreement") in told
    assert not any(subject.startswith("Victim withdrew") for _, subject in told)
    court = case_view_for(view, {Role.JUDGE}, LONG_AGO)
    assert court.model_dump()["not_proceeded_reason"] is None
    assert "withdr" not in court.model_dump_json().lower()
    case.assert_court_never_sees_the_victim(VICTIM_STATEMENT)
