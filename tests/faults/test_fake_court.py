"""The fake court against the service's own transports and formats: it dockets by
idempotency key, answers a resend as already filed, and fails as switched."""

import hashlib
from collections.abc import Iterator

import pytest

from adapters.courts.base import CaseQuery, CourtFormat, FilingDocument
from adapters.courts.rest_transport import RestCourtSettings, RestCourtTransport
from adapters.courts.soap_transport import SoapSettings, SoapTransport
from adapters.errors import AdapterError
from tests.fakes.court import FakeCourt, Fault

FILING_ACTION = "urn:example:court:ecf:ReviewFiling"
QUERY_ACTION = "urn:example:court:ecf:GetCase"


@pytest.fixture
def court() -> Iterator[FakeCourt]:
    with FakeCourt() as running:
        running.latency = 0.05
        running.lost_answer_hold = 5.0
        yield running


def rest(court: FakeCourt) -> RestCourtTransport:
    settings = {"base_url": court.base_url, "allow_insecure_http": True, "timeout_seconds": 1}
    return RestCourtTransport(RestCourtSettings.model_validate(settings))


def soap(court: FakeCourt) -> SoapTransport:
    settings = {
        "endpoint": f"{court.base_url}/ecf",
        "allow_insecure_http": True,
        "timeout_seconds": 1,
        "filing_action": FILING_ACTION,
        "query_action": QUERY_ACTION,
    }
    return SoapTransport(SoapSettings.model_validate(settings))


def court_format(name: str, settings: dict[str, str]) -> CourtFormat:
    return CourtFormat.from_registry(
        name, settings, where="test", name_field="format", settings_field="settings"
    )


def ecf4() -> CourtFormat:
    return court_format("ecf4", {"court_id": "HRCC"})


def filing(key: str, content: bytes = b'{"report": "invented"}') -> FilingDocument:
    return FilingDocument(
        filename="report.json",
        content_type="application/json",
        content=content,
        idempotency_key=key,
        document_hash=hashlib.sha256(content).hexdigest(),
    )


XML_FILING = b"<CoreFilingMessage xmlns='urn:example'><Id>invented</Id></CoreFilingMessage>"


async def test_a_rest_filing_is_docketed_once_and_a_resend_reads_as_already_filed(
    court: FakeCourt,
) -> None:
    transport = rest(court)
    first = await transport.send_filing(filing("case-demo-1:report:1"))
    again = await transport.send_filing(filing("case-demo-1:report:1"))
    other = await transport.send_filing(filing("case-demo-1:report:2"))

    assert first.reference == again.reference == "FC-000001"
    assert other.reference == "FC-000002"
    assert set(court.filings()) == {"case-demo-1:report:1", "case-demo-1:report:2"}
    assert court.received_twice() == 1
    await transport.aclose()


async def test_an_answer_lost_after_the_court_accepted_leaves_one_filing(
    court: FakeCourt,
) -> None:
    transport = rest(court)
    court.fail_next(Fault.LOST_ANSWER)
    with pytest.raises(AdapterError, match="court"):
        await transport.send_filing(filing("case-demo-2:report:1"))
    assert list(court.filings()) == ["case-demo-2:report:1"]  # the court has it

    resent = await transport.send_filing(filing("case-demo-2:report:1"))
    assert resent.reference == court.filings()["case-demo-2:report:1"].reference
    assert court.received_twice() == 1 and court.counts.answers_lost == 1
    await transport.aclose()


@pytest.mark.parametrize("fault", [Fault.ERROR, Fault.RESET])
async def test_errors_and_resets_docket_nothing_and_the_next_try_files(
    court: FakeCourt, fault: Fault
) -> None:
    transport = rest(court)
    court.fail_next(fault)
    with pytest.raises(AdapterError):
        await transport.send_filing(filing("case-demo-3:report:1"))
    assert court.filings() == {}

    await transport.send_filing(filing("case-demo-3:report:1"))
    assert list(court.filings()) == ["case-demo-3:report:1"]
    assert court.received_twice() == 0 and court.counts.faults[fault] == 1
    await transport.aclose()


async def test_a_court_that_is_down_refuses_connections_until_it_is_up(court: FakeCourt) -> None:
    transport = rest(court)
    port = court.port
    court.down()
    with pytest.raises(AdapterError, match=r"could not be reached|unreachable|connect"):
        await transport.send_filing(filing("case-demo-4:report:1"))
    court.up()
    assert court.port == port
    await transport.send_filing(filing("case-demo-4:report:1"))
    assert list(court.filings()) == ["case-demo-4:report:1"] and court.counts.outages == 1
    await transport.aclose()


async def test_a_refusal_is_an_answer_the_format_reads_as_not_accepted(court: FakeCourt) -> None:
    transport = rest(court)
    court.fail_next(Fault.REFUSE)
    sent = await transport.send_filing(filing("case-demo-5:report:1"))
    json_format = court_format("json", {})

    assert sent.reply is not None
    status = json_format.parse_filing_status(sent.reply)
    assert not status.accepted and status.reason
    assert court.filings() == {} and court.counts.refused == 1
    await transport.aclose()


async def test_latency_delays_the_answer_but_files(court: FakeCourt) -> None:
    transport = rest(court)
    court.fail_next(Fault.LATENCY, times=2)
    await transport.send_filing(filing("case-demo-6:report:1"))
    await transport.send_filing(filing("case-demo-6:report:2"))
    await transport.send_filing(filing("case-demo-6:report:3"))
    assert len(court.filings()) == 3 and court.counts.faults[Fault.LATENCY] == 2
    await transport.aclose()


async def test_ecf_over_soap_receipts_name_the_filing_and_a_resend_gets_the_same(
    court: FakeCourt,
) -> None:
    transport, fmt = soap(court), ecf4()
    document = filing("case-ecf-1:report:1", XML_FILING)
    first = await transport.send_filing(document)
    again = await transport.send_filing(document)

    assert first.reply is not None and again.reply is not None
    status = fmt.parse_filing_status(first.reply)
    # Received, not yet docketed: the clerk's answer comes back as a callback.
    assert status.pending and status.court_reference == "FC-000001"
    assert fmt.parse_filing_status(again.reply) == status
    assert court.received_twice() == 1
    assert court.take_callbacks_due() == ["case-ecf-1:report:1"]
    assert court.take_callbacks_due() == []
    assert court.filings()["case-ecf-1:report:1"].transport == "soap"

    court.fail_next(Fault.REFUSE)
    refused = await transport.send_filing(filing("case-ecf-1:report:2", XML_FILING))
    assert refused.reply is not None and not fmt.parse_filing_status(refused.reply).accepted
    court.fail_next(Fault.ERROR)
    with pytest.raises(AdapterError, match="SOAP fault"):
        await transport.send_filing(filing("case-ecf-1:report:3", XML_FILING))
    await transport.aclose()


async def test_ecf_get_case_answers_a_case_the_format_reads(court: FakeCourt) -> None:
    transport, fmt = soap(court), ecf4()
    query = fmt.render_case_query("HRCC", "CR-2026-00417")
    document = await transport.pull_case(query)

    assert document is not None
    referral = fmt.parse_referral(document, fmt.content_types[0], "demo")
    assert referral.court.hearings and court.filings() == {}
    assert await rest(court).pull_case(CaseQuery(court_id="c", case_number="1")) is None
    await transport.aclose()
