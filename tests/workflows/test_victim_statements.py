"""The victim's statements (DESIGN §2 rule 2): a shared one reaches the court until she
takes it back; a not-proceeded report never carries one."""

import pytest
from temporalio.client import WorkflowUpdateFailedError

from domain.enums import ConferenceResult, ReportKind, Stage, TaskKind
from tests.workflows.harness import Harness
from tests.workflows.steps import (
    VICTIM_STATEMENT,
    hold_conference,
    obligations,
    participant_consent,
    prepare,
    through_screening,
    victim_consent,
)
from workflows.case import DiversionCase
from workflows.messages import NumberedStatementSharing

SHARED = victim_consent(share_statement_with_court=True)


async def test_a_statement_taken_back_reaches_no_later_report(harness: Harness) -> None:
    case = await harness.start()
    await through_screening(case)
    await case.complete(SHARED)
    await case.complete(participant_consent())
    await prepare(case)
    await case.handle.execute_update(
        DiversionCase.set_statement_sharing,
        NumberedStatementSharing(number=1, share_with_court=False),
    )
    at = await case.now()
    await hold_conference(case, ConferenceResult.AGREEMENT, obligations(at, 1))
    await case.filed(ReportKind.AGREEMENT_REACHED)

    agreement = case.filings()[-1]
    assert agreement.kind is ReportKind.AGREEMENT_REACHED
    assert agreement.victim_statement is None
    case.assert_court_never_sees_the_victim(VICTIM_STATEMENT)
    view = await case.view()
    assert view.victim_statements[0].share_with_court is False
    assert "victim statement 1 withdrawn from the court" in [e.event for e in view.timeline]


async def test_a_shared_statement_reaches_the_agreement_report(harness: Harness) -> None:
    case = await harness.start()
    await through_screening(case)
    await case.complete(SHARED)
    await case.complete(participant_consent())
    await prepare(case)
    await hold_conference(case, ConferenceResult.AGREEMENT, obligations(await case.now(), 1))
    await case.filed(ReportKind.AGREEMENT_REACHED)
    assert case.filings()[-1].victim_statement == VICTIM_STATEMENT


async def test_a_not_proceeded_report_never_carries_a_shared_statement(harness: Harness) -> None:
    case = await harness.start()
    await through_screening(case)
    await case.complete(SHARED)
    await case.complete(participant_consent(consents=False))
    await case.outcome()
    assert case.filed_kinds()[-1] is ReportKind.NOT_PROCEEDED
    assert all(r.victim_statement is None for r in case.filings())
    case.assert_court_never_sees_the_victim(VICTIM_STATEMENT)


async def test_a_statement_that_does_not_exist_is_refused(harness: Harness) -> None:
    case = await harness.start()
    await through_screening(case)
    await case.complete(SHARED)
    await case.task(TaskKind.PARTICIPANT_CONSENT)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await case.handle.execute_update(
            DiversionCase.set_statement_sharing,
            NumberedStatementSharing(number=2, share_with_court=False),
        )
    assert "no victim statement 2: the case holds 1 statement(s)" in str(refused.value.cause)
    assert (await case.view()).stage is Stage.ENGAGEMENT
