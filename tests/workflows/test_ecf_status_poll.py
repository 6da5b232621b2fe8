"""An ECF court over SOAP that never calls back, but answers GetFilingStatus: the case asks
it on the policy's cadence (hourly the first day), and the clerk's decision reaches the
filing's status history without a staff task (a rejection: with the clerk's words, to
staff). A callback heard after the poll's answer changes nothing. The court is the fake
e-filing system (tests/fakes/court.py) on a real local port, in each ECF generation."""

from collections.abc import Iterator
from datetime import timedelta

import pytest

from domain.enums import Outcome, ReportKind, TaskKind
from domain.filing_status import CourtAnswer
from domain.reports import FiledReport
from tests.fakes.court import FakeCourt
from tests.workflows.harness import Case, Harness
from tests.workflows.steps import through_screening, victim_consent
from workflows.case import DiversionCase

COURT_ID = "demo-county-district-court"
REASON = "Returned: the report names a hearing date this court never set."


@pytest.fixture
def court() -> Iterator[FakeCourt]:
    with FakeCourt() as running:
        yield running


def over_soap(harness: Harness, court: FakeCourt, generation: str) -> None:
    """The harness's jurisdiction filing `generation` ECF to the fake court over SOAP 1.1,
    with GetFilingStatus left on (its default). The settings name another court than the
    referral's: a question names the court the case is before."""
    path = "/ecf5" if generation == "ecf5" else "/ecf"
    transport = {
        "endpoint": f"{court.base_url}{path}",
        "allow_insecure_http": True,
        "timeout_seconds": 5,
        "filing_action": "urn:example:court:ecf:ReviewFiling",
        "query_action": "urn:example:court:ecf:GetCase",
    }
    choice = harness.jurisdiction.court.model_copy(
        update={
            "format": generation,
            "transport": "soap",
            "settings": {"format": {"court_id": "another-court"}, "transport": transport},
        }
    )
    harness.configure(harness.jurisdiction.model_copy(update={"court": choice}))


async def report(case: Case, sequence: int) -> FiledReport:
    return await case.until(
        f"report {sequence}", lambda v: next((r for r in v.reports if r.sequence == sequence), None)
    )


def history(filed: FiledReport) -> list[tuple[str, str]]:
    return [(e.status, e.source) for e in filed.status_history]


@pytest.mark.parametrize("generation", ["ecf4", "ecf5"])
async def test_a_court_that_never_calls_back_is_asked_and_its_acceptance_recorded(
    harness: Harness, court: FakeCourt, generation: str
) -> None:
    over_soap(harness, court, generation)
    case = await harness.start()
    await through_screening(case)
    key = f"{case.handle.id}:report:1"
    filed = await report(case, 1)
    assert history(filed) == [("received", "receipt")]
    reference = filed.court_reference
    assert reference == court.filings()[key].reference  # the court's id, from its receipt

    # Within the hour the court is not asked; the clerk dockets it meanwhile, silently.
    await case.advance(timedelta(minutes=30))
    assert court.asked == []
    court.decide(key)
    await case.advance(timedelta(minutes=35))
    filed = await case.until(
        "the poll's answer", lambda v: v.reports[0] if v.reports[0].status != "received" else None
    )
    assert history(filed) == [("received", "receipt"), ("accepted", "poll")]
    assert court.asked == [reference]
    assert court.asked_courts == [COURT_ID]  # the referral's court, not the settings' one
    assert not [t for t in (await case.view()).tasks if t.kind is TaskKind.RESOLVE_FILING]
    # The court's callback may still come (both routes at once): heard again, it changes
    # nothing.
    callback = CourtAnswer(reference=reference, status="accepted", source="callback")
    assert await case.handle.execute_update(DiversionCase.filing_status, callback) == 1
    assert history(await report(case, 1)) == [("received", "receipt"), ("accepted", "poll")]

    # The not-proceeded report is followed the same way; the case closes once it is in.
    await case.complete(victim_consent(consents=False))
    ending = await report(case, 2)
    assert ending.kind is ReportKind.NOT_PROCEEDED and ending.status == "received"
    court.decide(f"{case.handle.id}:report:2")
    await case.advance(timedelta(hours=1, minutes=5))
    assert await case.outcome() is Outcome.NOT_PROCEEDED
    assert not [t for t in (await case.view()).tasks if t.kind is TaskKind.RESOLVE_FILING]
    assert court.received_twice() == 0 and court.counts.refused == 0


async def test_a_rejection_found_by_asking_goes_to_staff_with_the_clerks_words(
    harness: Harness, court: FakeCourt
) -> None:
    over_soap(harness, court, "ecf4")
    case = await harness.start()
    await through_screening(case)
    key = f"{case.handle.id}:report:1"
    await report(case, 1)
    court.decide(key, accepted=False, reason=REASON)

    await case.advance(timedelta(hours=1, minutes=5))
    resolve = await case.task(TaskKind.RESOLVE_FILING)
    assert f"was rejected by the court: {REASON}" in resolve.subject
    assert history(await report(case, 1)) == [("received", "receipt"), ("rejected", "poll")]
