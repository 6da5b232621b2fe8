"""Safety events jump the queue (DESIGN §2 rule 4), even a filing's: while the screening
report is retrying against a failing court, or waits for staff after the court refused
it, a safety event's urgent notice and court report go out at once, each filing with its
own sequence and idempotency key."""

import asyncio
import json
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
import respx

from domain.enums import Outcome, Party, ReportKind, Role, SafetyEventKind, Stage, TaskKind
from domain.task_payloads import ResolveFiling, SafetyReview
from tests.workflows.harness import Case, Harness
from tests.workflows.steps import screening
from tests.workflows.test_court_rejection import COURT_API, over_rest
from workflows.case import DiversionCase
from workflows.messages import ConsentWithdrawal, SafetyEvent

ALERT = SafetyEvent(
    kind=SafetyEventKind.ADVOCATE_ALERT, description="The victim called: he came to her work."
)


class Court:
    """The court's REST API: one kind of report fails (down, or refused); others file."""

    def __init__(
        self,
        router: respx.MockRouter,
        *,
        refuse: bool,
        failing: ReportKind = ReportKind.SCREENING_OUTCOME,
    ) -> None:
        self.refuse = refuse
        self.failing = failing
        self.screening_fails = True
        self.screening_tried = asyncio.Event()
        self.sent: list[tuple[str, str]] = []  # (report kind, idempotency key) per request
        router.post(f"{COURT_API}/filings").mock(side_effect=self.answer)

    def answer(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        kind, key = body["report"]["kind"], request.headers["Idempotency-Key"]
        assert key == body["idempotency_key"]
        self.sent.append((kind, key))
        if kind == self.failing and self.screening_fails:
            self.screening_tried.set()
            if not self.refuse:
                return httpx.Response(500, json={"error": "docket offline"})
            reason = "The judge's chambers must countersign first."
            refused = {"court_reference": "LKDC-R-0001", "accepted": False, "reason": reason}
            return httpx.Response(200, json=refused)
        reference = f"LKDC-F-{len(self.sent):04d}"
        return httpx.Response(200, json={"court_reference": reference, "accepted": True})

    def keys(self, kind: ReportKind) -> set[str]:
        return {key for sent_kind, key in self.sent if sent_kind == kind}


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=True) as mocked:
        yield mocked


async def safety_event_while_screening_is_filed(case: Case, court: Court) -> None:
    await case.complete(screening())
    await court.screening_tried.wait()
    await case.handle.execute_update(DiversionCase.report_safety_event, ALERT)
    assert (await case.view()).stage is Stage.SUSPENDED  # in the update's own workflow task
    await case.filed(ReportKind.SAFETY_EVENT)
    view = await case.view()
    assert [r.kind for r in view.reports] == [ReportKind.SAFETY_EVENT], "screening still pending"
    urgent = [n for n in case.notifications() if n.subject == "URGENT: safety event"]
    assert [n.to_role for n in urgent] == [Role.VICTIM_ADVOCATE]
    assert court.keys(ReportKind.SAFETY_EVENT) == {f"{case.handle.id}:report:2"}
    assert court.keys(ReportKind.SCREENING_OUTCOME) == {f"{case.handle.id}:report:1"}


async def test_a_safety_report_does_not_wait_for_a_filing_retrying(
    harness: Harness, router: respx.MockRouter
) -> None:
    over_rest(harness)
    court = Court(router, refuse=False)
    case = await harness.start()
    await safety_event_while_screening_is_filed(case, court)
    assert not any(t.kind is TaskKind.RESOLVE_FILING for t in (await case.view()).tasks)

    court.screening_fails = False  # the court is back; the next retry files it
    await case.advance(timedelta(minutes=30))  # the retry's longest backoff
    await case.filed(ReportKind.SCREENING_OUTCOME)
    view = await case.view()
    assert sorted((r.sequence, r.kind) for r in view.reports) == [
        (1, ReportKind.SCREENING_OUTCOME),
        (2, ReportKind.SAFETY_EVENT),
    ]
    assert view.suspension is not None and view.suspension.stage is Stage.ENGAGEMENT
    assert "came to her work" not in json.dumps(court.sent)


async def test_a_safety_report_does_not_wait_for_a_refused_filing_staff_must_settle(
    harness: Harness, router: respx.MockRouter
) -> None:
    over_rest(harness)
    court = Court(router, refuse=True)
    case = await harness.start()
    await safety_event_while_screening_is_filed(case, court)
    resolve = await case.task(TaskKind.RESOLVE_FILING)
    assert resolve.done_at is None, "the staff decision is still awaited"

    # Settling a filing is allowed while the case is suspended; the review is not skipped.
    await case.complete(ResolveFiling(refile=False, reference="LKDC clerk stamp 0977"))
    await case.filed(ReportKind.SCREENING_OUTCOME)
    view = await case.view()
    screening_report = next(r for r in view.reports if r.kind is ReportKind.SCREENING_OUTCOME)
    assert screening_report.sequence == 1
    assert screening_report.court_reference == "LKDC clerk stamp 0977"
    assert view.stage is Stage.SUSPENDED
    assert court.keys(ReportKind.SCREENING_OUTCOME) == {f"{case.handle.id}:report:1"}

    await case.complete(SafetyReview(safe_to_resume=False, notes="he knows her workplace"))
    assert await case.outcome() is Outcome.TERMINATED_SAFETY
    assert court.keys(ReportKind.NOT_PROCEEDED) == {f"{case.handle.id}:report:3"}
    assert "workplace" not in json.dumps(court.sent)


async def test_a_case_ending_waits_for_its_refused_safety_report_to_be_settled(
    harness: Harness, router: respx.MockRouter
) -> None:
    over_rest(harness)
    court = Court(router, refuse=True, failing=ReportKind.SAFETY_EVENT)
    case = await harness.start()
    await case.complete(screening())
    await case.reach(Stage.ENGAGEMENT)
    await case.handle.execute_update(DiversionCase.report_safety_event, ALERT)
    resolve = await case.task(TaskKind.RESOLVE_FILING)
    await case.handle.execute_update(
        DiversionCase.withdraw_consent, ConsentWithdrawal(party=Party.PARTICIPANT)
    )
    await case.filed(ReportKind.NOT_PROCEEDED)
    view = await case.view()
    assert view.outcome is None, "not closed while a safety report is unsettled"
    assert [t.id for t in view.open_tasks()] == [resolve.id]

    await case.complete(ResolveFiling(refile=False, reference="LKDC clerk stamp 1102"))
    assert await case.outcome() is Outcome.NOT_PROCEEDED
    view = await case.view()
    assert {(r.kind, r.sequence) for r in view.reports} == {
        (ReportKind.SCREENING_OUTCOME, 1),
        (ReportKind.SAFETY_EVENT, 2),
        (ReportKind.NOT_PROCEEDED, 3),
    }
    assert not next(t for t in view.tasks if t.id == resolve.id).cancelled
    assert court.keys(ReportKind.NOT_PROCEEDED) == {f"{case.handle.id}:report:3"}
