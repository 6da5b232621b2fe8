"""The fake court (tests/fakes/court.py) as an ECF Filing Review MDE in each generation,
against our own soap transport and ECF formats: its receipts say received, GetFilingStatus
answers from what it docketed (received, docketed by the calling-back clerk or silently,
rejected, refused at receipt) and errors for a filing id it does not know; a filing still
gets its receipt after being asked about, and questions are not taken for filings."""

import hashlib
from collections.abc import Iterator

import pytest

from adapters.courts.base import CourtFormat, FilingDocument
from adapters.courts.court_adapter import CourtAdapter
from adapters.courts.soap_transport import SoapSettings, SoapTransport
from adapters.errors import AdapterError
from tests.fakes.court import FakeCourt, Fault
from tests.fakes.court_replies import REFUSAL

FILING = b"<CoreFilingMessage xmlns='urn:example'><Id>invented</Id></CoreFilingMessage>"
REASON = "Returned: the report names a hearing date this court never set."


@pytest.fixture
def court() -> Iterator[FakeCourt]:
    with FakeCourt() as running:
        yield running


def adapter(court: FakeCourt, generation: str) -> CourtAdapter:
    path = "/ecf5" if generation == "ecf5" else "/ecf"
    settings = {
        "endpoint": f"{court.base_url}{path}",
        "allow_insecure_http": True,
        "timeout_seconds": 2,
        "filing_action": "urn:example:court:ecf:ReviewFiling",
        "query_action": "urn:example:court:ecf:GetCase",
    }
    fmt = CourtFormat.from_registry(
        generation, {"court_id": "HRCC"}, where="test", name_field="f", settings_field="s"
    )
    return CourtAdapter("demo", fmt, SoapTransport(SoapSettings.model_validate(settings)))


async def close(ecf: CourtAdapter) -> None:
    assert isinstance(ecf.transport, SoapTransport)
    await ecf.transport.aclose()


def filing(key: str) -> FilingDocument:
    return FilingDocument(
        filename="report.xml",
        content_type="application/xml",
        content=FILING,
        idempotency_key=key,
        document_hash=hashlib.sha256(FILING).hexdigest(),
    )


async def file(ecf: CourtAdapter, key: str) -> str:
    """The court's reference for the filing, from its receipt (which says received)."""
    sent = await ecf.transport.send_filing(filing(key))
    assert sent.reply is not None
    receipt = ecf.parse_filing_status(sent.reply)
    assert receipt.state == "received"
    return receipt.court_reference


@pytest.mark.parametrize("generation", ["ecf4", "ecf5"])
async def test_get_filing_status_answers_from_the_docket(court: FakeCourt, generation: str) -> None:
    ecf = adapter(court, generation)
    first = await file(ecf, "case-ecf-1:report:1")
    second = await file(ecf, "case-ecf-1:report:2")

    status = await ecf.filing_status(first, "case-ecf-1:report:1")
    assert status is not None and (status.state, status.court_reference) == ("received", first)
    assert court.decide("case-ecf-1:report:1") == first
    court.decide("case-ecf-1:report:2", accepted=False, reason=REASON)
    accepted = await ecf.filing_status(first, "case-ecf-1:report:1")
    rejected = await ecf.filing_status(second, "case-ecf-1:report:2")
    assert accepted is not None and accepted.state == "accepted"
    assert rejected is not None and (rejected.state, rejected.reason) == ("rejected", REASON)

    unknown = await ecf.filing_status("FC-999999", "case-ecf-1:report:9")
    assert unknown is not None and unknown.state == "received"
    assert unknown.reason is not None and "No filing FC-999999 in this court" in unknown.reason

    assert court.asked == [first, first, second, "FC-999999"]
    # Questions are not filings: the docket holds the two filings, each received once.
    assert sorted(court.filings()) == ["case-ecf-1:report:1", "case-ecf-1:report:2"]
    assert court.received_twice() == 0
    await close(ecf)


@pytest.mark.parametrize("generation", ["ecf4", "ecf5"])
async def test_the_calling_back_clerk_dockets_what_it_calls_back(
    court: FakeCourt, generation: str
) -> None:
    ecf = adapter(court, generation)
    reference = await file(ecf, "case-ecf-2:report:1")
    assert court.take_callbacks_due() == ["case-ecf-2:report:1"]
    status = await ecf.filing_status(reference, "case-ecf-2:report:1")
    assert status is not None and status.state == "accepted"

    court.fail_next(Fault.REFUSE)
    sent = await ecf.transport.send_filing(filing("case-ecf-2:report:2"))
    assert sent.reply is not None
    refused = ecf.parse_filing_status(sent.reply)
    assert refused.state == "rejected" and REFUSAL in (refused.reason or "")
    asked = await ecf.filing_status(refused.court_reference, "case-ecf-2:report:2")
    assert asked is not None and (asked.state, asked.reason) == ("rejected", REFUSAL)
    await close(ecf)


async def test_a_question_to_a_court_that_is_down_fails(court: FakeCourt) -> None:
    ecf = adapter(court, "ecf4")
    reference = await file(ecf, "case-ecf-3:report:1")
    court.down()
    with pytest.raises(AdapterError, match="the court"):
        await ecf.filing_status(reference, "case-ecf-3:report:1")
    court.up()
    status = await ecf.filing_status(reference, "case-ecf-3:report:1")
    assert status is not None and status.state == "received"
    await close(ecf)
