"""A real DiversionCase through the happy path, driven by the tests' steps."""

import uuid

from history_shape import family
from shared_clock import ClockedCase

from diversion.cases import start_case
from domain.enums import DispositionKind, Outcome, Stage
from tests.workflows.harness import demo_referral
from tests.workflows.steps import through_conference, verify_all
from workflows.case import DiversionCase
from workflows.messages import Disposition

from .harness import OBLIGATIONS, TASK_QUEUE, Bench


async def real_begin(bench: Bench, n: int) -> ClockedCase:
    """The first phase: started, then up to the agreement."""
    referral = demo_referral(case_number=f"CR-B-{uuid.uuid4().hex[:10]}-{n}")
    handle, _ = await start_case(bench.client, referral, bench.jurisdiction, TASK_QUEUE)
    # As the tests' Harness.start: a handle that follows the case, and the start handle.
    following = bench.client.get_workflow_handle_for(DiversionCase.run, handle.id)
    case = ClockedCase(
        bench.env,
        following,
        bench.court_root,
        bench.outbox,
        referral,
        handle,
        clock=bench.clock,
        log=bench.log,
    )
    await through_conference(case, count=OBLIGATIONS)
    return case


async def real_finish(bench: Bench, case: ClockedCase) -> list[str]:
    """The second phase: to a completed case; the ids of the case and its children."""
    await verify_all(case, OBLIGATIONS)
    await case.reach(Stage.FINAL_REPORT)
    decided_on = await case.now()
    await case.handle.execute_update(
        DiversionCase.record_disposition,
        Disposition(kind=DispositionKind.COMPLETED, decided_on=decided_on),
    )
    outcome = await case.outcome()
    if outcome is not Outcome.COMPLETED:
        raise RuntimeError(f"{case.handle.id} ended {outcome}, not completed")
    return family(case.handle.id, OBLIGATIONS)
