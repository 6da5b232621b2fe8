"""A court that refuses a filing (its own answer, through a network transport) is not
retried: the refusal becomes an urgent staff task, and the case goes on once staff decide."""

import json

import httpx
import respx

from domain.enums import ReportKind, Stage, TaskKind
from domain.task_payloads import ResolveFiling
from tests.workflows.harness import Harness
from tests.workflows.steps import screening

COURT_API = "https://courts.lakeside.example.test"


def over_rest(harness: Harness) -> None:
    """The harness's jurisdiction, filing our JSON to a court's REST API."""
    court = harness.jurisdiction.court.model_copy(
        update={
            "format": "json",
            "transport": "rest",
            "settings": {"transport": {"base_url": COURT_API}},
        }
    )
    harness.configure(harness.jurisdiction.model_copy(update={"court": court}))


async def test_a_rejected_filing_becomes_a_staff_task_and_is_not_retried(
    harness: Harness,
) -> None:
    over_rest(harness)
    with respx.mock(assert_all_called=True) as court:
        filings = court.post(f"{COURT_API}/filings").mock(
            return_value=httpx.Response(
                200,
                json={
                    "court_reference": "LKDC-F-2026-0412",
                    "accepted": False,
                    "reason": "The docket is sealed; file at the clerk's window.",
                },
            )
        )
        case = await harness.start()
        await case.complete(screening())
        task = await case.task(TaskKind.RESOLVE_FILING)

        assert filings.call_count == 1  # a refusal is an answer, not a failure to retry
        sent = json.loads(filings.calls[0].request.content)
        assert sent["report"]["kind"] == ReportKind.SCREENING_OUTCOME
        assert filings.calls[0].request.headers["Idempotency-Key"] == sent["idempotency_key"]
        assert task.urgent
        assert "the court rejected the filing" in task.subject
        assert "The docket is sealed" in task.subject

        await case.complete(ResolveFiling(refile=False, reference="LKDC clerk stamp 0412"))
        await case.reach(Stage.ENGAGEMENT)
        view = await case.view()
        [filed] = [r for r in view.reports if r.kind is ReportKind.SCREENING_OUTCOME]
        assert filed.court_reference == "LKDC clerk stamp 0412"
        assert filings.call_count == 1
