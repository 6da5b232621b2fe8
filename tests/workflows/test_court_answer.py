"""The court's answer to a filing, followed to the end (issue 12, item 2): a filing the
court only received is accepted or rejected later, by a docketing callback (the
`filing_status` update) or when the case asks (a REST status poll); a rejection becomes
a staff task with the court's words; an amended refile is a new version under its own
key; a court that never answers is chased through staff, not waited on forever. The
flow goes on meanwhile, and the case closes only once every filing is settled."""

import hashlib
from collections.abc import Iterator
from datetime import timedelta

import pytest
import respx
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from domain.court_view import court_view
from domain.enums import Outcome, ReportKind, Role, SafetyEventKind, Stage, TaskKind
from domain.filing_status import CourtAnswer
from domain.message_kinds import MessageKind
from domain.reports import FiledReport
from domain.task_payloads import ResolveFiling
from tests.workflows.fake_court import REFUSAL, FakeCourt
from tests.workflows.harness import Case, Harness
from tests.workflows.steps import (
    participant_consent,
    through_conference,
    through_screening,
    victim_consent,
)
from tests.workflows.test_court_rejection import over_rest
from workflows.case import DiversionCase
from workflows.messages import SafetyEvent

SCREENING = ReportKind.SCREENING_OUTCOME


@pytest.fixture
def court(harness: Harness) -> Iterator[FakeCourt]:
    over_rest(harness)
    with respx.mock(assert_all_called=False) as router:
        yield FakeCourt(router, answers_later=True)


def with_callbacks(harness: Harness) -> None:
    """The harness's drop-folder court, answering each filing later in callbacks/."""
    settings = {"transport": {"root": str(harness.court_root), "callbacks": True}}
    court = harness.jurisdiction.court.model_copy(update={"settings": settings})
    harness.configure(harness.jurisdiction.model_copy(update={"court": court}))


async def report(case: Case, sequence: int) -> FiledReport:
    return await case.until(
        f"report {sequence}", lambda v: next((r for r in v.reports if r.sequence == sequence), None)
    )


async def answer(case: Case, reference: str, status: str, reason: str | None = None) -> int:
    given = CourtAnswer.model_validate({"reference": reference, "status": status, "reason": reason})
    return await case.handle.execute_update(DiversionCase.filing_status, given)


def refused_with(failure: WorkflowUpdateFailedError) -> str:
    assert isinstance(failure.cause, ApplicationError)
    return failure.cause.message


def history(filed: FiledReport) -> list[tuple[str, int, str]]:
    return [(e.status, e.version, e.source) for e in filed.status_history]


async def test_a_filing_received_then_accepted_by_callback_and_closing_waits_for_the_court(
    harness: Harness,
) -> None:
    with_callbacks(harness)
    case = await harness.start()
    await through_screening(case)
    key = f"{case.handle.id}:report:1"

    filed = await report(case, 1)
    assert filed.status == "received" and filed.receipt is not None
    assert filed.receipt.idempotency_key == key
    [sent] = list((harness.court_root / "outbox").glob("*.json"))
    assert filed.receipt.sent_hash == hashlib.sha256(sent.read_bytes()).hexdigest()
    await case.task(TaskKind.VICTIM_CONSENT)  # the flow did not wait for the court

    # The folder's court echoes our idempotency key; heard twice, it counts once.
    assert await answer(case, key, "accepted") == 1
    assert await answer(case, key, "accepted") == 1
    filed = await report(case, 1)
    assert filed.status == "accepted"
    assert history(filed) == [("received", 1, "receipt"), ("accepted", 1, "callback")]
    # The court may read its own answer on the case's page.
    assert court_view(await case.view(), await case.now()).reports[0].status == "accepted"

    # The not-proceeded report is received too: the case closes only once it is answered.
    await case.complete(victim_consent(consents=False))
    ending = await report(case, 2)
    assert ending.kind is ReportKind.NOT_PROCEEDED and ending.status == "received"
    assert (await case.view()).outcome is None
    await answer(case, f"{case.handle.id}:report:2", "accepted")
    assert await case.outcome() is Outcome.NOT_PROCEEDED
    assert not [t for t in (await case.view()).tasks if t.kind is TaskKind.RESOLVE_FILING]


async def test_an_answer_naming_no_filing_of_the_case_is_refused(harness: Harness) -> None:
    with_callbacks(harness)
    case = await harness.start()
    await through_screening(case)
    await report(case, 1)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await answer(case, "HRCC-F-2026-99999", "accepted")
    assert refused_with(refused.value) == (
        "no report filed in this case has the court reference or idempotency key "
        "'HRCC-F-2026-99999'"
    )
    key = f"{case.handle.id}:report:1"
    await answer(case, key, "accepted")
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await answer(case, key, "rejected", "too late")
    assert refused_with(refused.value) == (
        "report #1 (version 1) is already accepted; the court's answer 'rejected' is not recorded"
    )
    await case.complete(victim_consent(consents=False))
    await report(case, 2)
    await answer(case, f"{case.handle.id}:report:2", "accepted")
    assert await case.outcome() is Outcome.NOT_PROCEEDED


async def test_a_filing_rejected_by_a_later_callback_is_amended_under_a_new_key(
    harness: Harness, court: FakeCourt
) -> None:
    court.plan(SCREENING, "receive", "take")
    case = await harness.start()
    await through_screening(case)
    key = f"{case.handle.id}:report:1"
    await case.task(TaskKind.VICTIM_CONSENT)
    assert (await report(case, 1)).status == "received"

    await answer(case, court.references[key], "rejected", REFUSAL)
    resolve = await case.task(TaskKind.RESOLVE_FILING)
    assert resolve.urgent and resolve.roles == [Role.COORDINATOR]
    assert f"was rejected by the court: {REFUSAL}" in resolve.subject
    assert (await report(case, 1)).status == "rejected"

    # The flow goes on while staff amend the report.
    await case.complete(victim_consent())
    await case.complete(ResolveFiling(refile=True, amended=True), resolve.id)
    filed = await case.until(
        "the amended report accepted",
        lambda v: v.reports[0] if v.reports[0].status == "accepted" else None,
    )
    assert (filed.version, filed.sequence) == (2, 1)
    assert filed.receipt is not None and filed.receipt.idempotency_key == f"{key}:v2"
    assert history(filed) == [
        ("received", 1, "receipt"),
        ("rejected", 1, "callback"),
        ("accepted", 2, "receipt"),
    ]
    assert filed.status_history[1].reason == REFUSAL

    await case.complete(participant_consent(consents=False))
    assert await case.outcome() is Outcome.NOT_PROCEEDED
    # One filing per key: the refused version once, the amended one once.
    assert [k for kind, k in court.sent if kind is SCREENING] == [key, f"{key}:v2"]
    assert court.one_document_per_key()
    assert court.keys(ReportKind.NOT_PROCEEDED) == [f"{case.handle.id}:report:2"]
    told = [n for n in case.notifications() if n.subject == "Court's answer to a report"]
    assert [n.to_role for n in told] == [Role.COORDINATOR]
    assert REFUSAL in told[0].body


async def test_a_status_poll_finds_the_courts_rejection(harness: Harness, court: FakeCourt) -> None:
    court.plan(SCREENING, "receive")
    case = await harness.start()
    await through_screening(case)
    key = f"{case.handle.id}:report:1"
    await case.task(TaskKind.VICTIM_CONSENT)
    reference = court.decide(key, accepted=False, reason=REFUSAL)

    await case.advance(timedelta(hours=1, minutes=5))
    resolve = await case.task(TaskKind.RESOLVE_FILING)
    assert REFUSAL in resolve.subject
    assert court.asked == [reference]  # asked once, an hour after filing
    filed = await report(case, 1)
    assert history(filed) == [("received", 1, "receipt"), ("rejected", 1, "poll")]

    # The clerk docketed it after all: staff record it by hand, nothing is sent again.
    await case.complete(ResolveFiling(refile=False, reference="LKDC clerk stamp 7101"), resolve.id)
    filed = await case.until(
        "recorded by hand", lambda v: v.reports[0] if v.reports[0].status == "accepted" else None
    )
    assert filed.court_reference == "LKDC clerk stamp 7101"
    assert history(filed)[-1] == ("accepted", 1, "staff")
    await case.complete(victim_consent(consents=False))
    assert await case.outcome() is Outcome.NOT_PROCEEDED
    assert court.keys(SCREENING) == [key]


async def test_a_court_that_never_answers_becomes_a_staff_task(
    harness: Harness, court: FakeCourt
) -> None:
    court.plan(SCREENING, "receive")
    case = await harness.start()
    await through_screening(case)
    key = f"{case.handle.id}:report:1"
    await case.task(TaskKind.VICTIM_CONSENT)

    await case.advance(timedelta(days=4, hours=23))
    assert not [t for t in (await case.view()).tasks if t.kind is TaskKind.RESOLVE_FILING]
    # Hourly for a day (24 asks), then daily (days 2, 3 and 4); then staff.
    assert len(court.asked) == 27
    await case.advance(timedelta(hours=2))
    resolve = await case.task(TaskKind.RESOLVE_FILING)
    assert "no answer from the court in 5 days: check with the clerk" in resolve.subject
    assert len(court.asked) == 27  # no more asking once staff have it

    # The clerk never got it: a plain retry, under the same key.
    await case.complete(ResolveFiling(refile=True), resolve.id)
    await case.until("filed again", lambda v: v.reports[0].status == "accepted")
    await case.complete(victim_consent(consents=False))
    assert await case.outcome() is Outcome.NOT_PROCEEDED
    assert [k for kind, k in court.sent if kind is SCREENING] == [key, key]
    assert court.one_document_per_key()
    filed = (await case.view()).reports[0]
    assert history(filed) == [("received", 1, "receipt"), ("accepted", 1, "receipt")]


async def test_a_safety_event_goes_out_at_once_while_a_rejected_report_waits_on_staff(
    harness: Harness, court: FakeCourt
) -> None:
    court.plan(SCREENING, "receive")
    case = await harness.start()
    await through_screening(case)
    await report(case, 1)
    await answer(case, court.references[f"{case.handle.id}:report:1"], "rejected", REFUSAL)
    resolve = await case.task(TaskKind.RESOLVE_FILING)

    await case.handle.execute_update(
        DiversionCase.report_safety_event,
        SafetyEvent(kind=SafetyEventKind.ADVOCATE_ALERT, description="He came to her work."),
    )
    await case.filed(ReportKind.SAFETY_EVENT)
    assert court.keys(ReportKind.SAFETY_EVENT) == [f"{case.handle.id}:report:2"]
    assert any(n.kind == MessageKind.SAFETY_EVENT for n in case.notifications())
    view = await case.view()
    assert view.stage is Stage.SUSPENDED
    assert [t.id for t in view.open_tasks() if t.kind is TaskKind.RESOLVE_FILING] == [resolve.id]


async def test_a_filing_awaiting_the_court_is_followed_across_a_continue_as_new(
    harness: Harness,
) -> None:
    with_callbacks(harness)
    case = await harness.start(history_limit=100)
    await through_conference(case, count=3)
    # Five days without an answer to the screening report: staff were asked to check.
    unanswered = await case.task(TaskKind.RESOLVE_FILING)
    assert "report #1 has had no answer from the court" in unanswered.subject
    renewed = await case.until("a continue-as-new", lambda v: v if v.continued_as_new else None)
    assert [r.status for r in renewed.reports] == ["received", "received"]

    # The new run follows both: the clerk's late docketing closes staff's task ...
    await answer(case, f"{case.handle.id}:report:1", "accepted")
    closed = await case.until(
        "the check closed",
        lambda v: next(t for t in v.tasks if t.id == unanswered.id and t.done_at is not None),
    )
    assert closed.cancelled
    # ... and a rejection of the agreement report reaches staff with the court's words.
    await answer(case, f"{case.handle.id}:report:2", "rejected", REFUSAL)
    resolve = await case.task(TaskKind.RESOLVE_FILING)
    assert resolve.subject == f"agreement_reached report #2 was rejected by the court: {REFUSAL}"
