"""The `soap` court transport: envelopes as each SOAP version wants them, the reply Body's
content handed back, faults, version mismatches and hostile replies refused."""

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from lxml import etree

from adapters.courts.base import CaseQuery, CourtTransport, FilingDocument
from adapters.courts.soap_transport import SoapSettings, SoapTransport
from adapters.errors import AdapterConfigError, AdapterError
from adapters.http.client import CORRELATION_ID
from tests.adapters.test_http_client import FakeTime

FIXTURES = Path(__file__).parent.parent / "fixtures" / "courts" / "soap"
ENDPOINT = "https://efile.court.example/ecf/CourtRecordMDE"
FILING_ACTION = "urn:example:court:ecf:ReviewFiling"
QUERY_ACTION = "urn:example:court:ecf:GetCase"
SOAP_11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP_12 = "http://www.w3.org/2003/05/soap-envelope"
KEY = "case-demo-CR-2026-00417:report:1"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def court() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


def transport(version: str = "1.1", **settings: Any) -> SoapTransport:
    raw = {
        "endpoint": ENDPOINT,
        "soap_version": version,
        "filing_action": FILING_ACTION,
        "query_action": QUERY_ACTION,
        **settings,
    }
    return SoapTransport(SoapSettings.model_validate(raw), clock=FakeTime().clock())


def document(name: str = "filing.xml") -> FilingDocument:
    content = fixture(name)
    return FilingDocument(
        filename=name,
        content_type="application/xml",
        content=content,
        idempotency_key=KEY,
        document_hash=hashlib.sha256(content).hexdigest(),
    )


def replying(court: respx.MockRouter, body: bytes, status: int = 200) -> respx.Route:
    return court.post(ENDPOINT).mock(return_value=httpx.Response(status, content=body))


def body_of(request: httpx.Request, namespace: str) -> etree._Element:
    envelope = etree.fromstring(request.content)
    assert envelope.tag == f"{{{namespace}}}Envelope"
    [body] = envelope
    assert body.tag == f"{{{namespace}}}Body"
    [content] = body
    return content


# --- requests --------------------------------------------------------------------------------


async def test_a_soap_11_filing_request(court: respx.MockRouter) -> None:
    route = replying(court, fixture("reply-1.1.xml"))
    await transport("1.1").send_filing(document())
    request = route.calls.last.request
    assert request.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert request.headers["SOAPAction"] == f'"{FILING_ACTION}"'
    assert request.headers["Idempotency-Key"] == KEY
    assert CORRELATION_ID in request.headers
    content = body_of(request, SOAP_11)
    assert content.tag == "{urn:example:court:filing}ReviewFilingRequestMessage"
    assert content.findtext("{urn:example:court:filing}CaseDocketID") == "CR-2026-00417"


async def test_a_soap_12_filing_request_carries_the_action_in_its_content_type(
    court: respx.MockRouter,
) -> None:
    route = replying(court, fixture("reply-1.2.xml"))
    await transport("1.2").send_filing(document())
    request = route.calls.last.request
    assert request.headers["Content-Type"] == (
        f'application/soap+xml; charset=utf-8; action="{FILING_ACTION}"'
    )
    assert "SOAPAction" not in request.headers
    assert body_of(request, SOAP_12).tag == "{urn:example:court:filing}ReviewFilingRequestMessage"


# --- replies ---------------------------------------------------------------------------------


async def test_the_reply_is_the_first_element_of_the_body(court: respx.MockRouter) -> None:
    replying(court, fixture("reply-1.1.xml"))
    sent = await transport("1.1").send_filing(document())
    assert sent.reference == f"soap:{KEY}"
    assert sent.reply is not None
    assert sent.reply.endswith(b"</r:FilingReceipt>")  # the element, not the space after it
    receipt = etree.fromstring(sent.reply)  # standalone: the envelope's prefix came along
    assert receipt.tag == "{urn:example:court:receipt}FilingReceipt"
    assert receipt.findtext("{urn:example:court:receipt}CourtReference") == "DEMO-F-2026-000123"


async def test_an_empty_reply_body_is_no_reply_for_a_filing(court: respx.MockRouter) -> None:
    replying(court, fixture("empty-body-1.1.xml"))
    sent = await transport("1.1").send_filing(document())
    assert sent.reply is None


async def test_a_case_pull_sends_the_query_with_the_query_action(court: respx.MockRouter) -> None:
    route = replying(court, fixture("reply-1.2.xml"))
    query = CaseQuery(
        court_id="DEMO-DIST-1", case_number="CR-2026-00417", document=document("case-query.xml")
    )
    pulled = await transport("1.2").pull_case(query)
    assert pulled is not None
    assert etree.fromstring(pulled).tag == "{urn:example:court:receipt}CaseResponse"
    request = route.calls.last.request
    assert f'action="{QUERY_ACTION}"' in request.headers["Content-Type"]
    assert body_of(request, SOAP_12).tag == "{urn:example:court:filing}GetCaseRequest"


async def test_a_case_pull_without_a_query_document_is_none(court: respx.MockRouter) -> None:
    route = court.post(ENDPOINT)
    query = CaseQuery(court_id="DEMO-DIST-1", case_number="CR-2026-00417")
    assert await transport().pull_case(query) is None
    assert not route.called


# --- faults and refusals ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 500])
async def test_a_soap_11_fault_gives_its_code_and_string(
    court: respx.MockRouter, status: int
) -> None:
    replying(court, fixture("fault-1.1.xml"), status)
    with pytest.raises(
        AdapterError, match="SOAP fault: soap:Client: Filing rejected: unknown docket"
    ):
        await transport("1.1").send_filing(document())


@pytest.mark.parametrize("status", [200, 500])
async def test_a_soap_12_fault_gives_its_codes_and_english_reason(
    court: respx.MockRouter, status: int
) -> None:
    replying(court, fixture("fault-1.2.xml"), status)
    with pytest.raises(
        AdapterError,
        match="SOAP fault: env:Receiver / c:CaseSystemOffline: Case management system unavailable",
    ):
        await transport("1.2").send_filing(document())


@pytest.mark.parametrize(
    ("configured", "reply", "answered"),
    [("1.1", "reply-1.2.xml", "1.2"), ("1.2", "fault-1.1.xml", "1.1")],
)
async def test_a_reply_in_the_other_soap_version_is_refused(
    court: respx.MockRouter, configured: str, reply: str, answered: str
) -> None:
    replying(court, fixture(reply))
    with pytest.raises(
        AdapterError,
        match=f"replied in SOAP {answered}, but this jurisdiction is configured for "
        f"SOAP {configured}",
    ):
        await transport(configured).send_filing(document())


async def test_a_reply_with_a_doctype_is_refused(court: respx.MockRouter) -> None:
    replying(court, fixture("hostile-doctype.xml"))
    with pytest.raises(AdapterError, match="SOAP reply was refused: the document has a DOCTYPE"):
        await transport("1.1").send_filing(document())


async def test_a_reply_that_is_no_envelope_is_refused(court: respx.MockRouter) -> None:
    replying(court, fixture("filing.xml"))
    with pytest.raises(AdapterError, match=r"not a SOAP envelope \(root element ReviewFiling"):
        await transport("1.1").send_filing(document())


async def test_a_500_without_a_fault_is_an_http_error(court: respx.MockRouter) -> None:
    replying(court, b"<html><body>Gateway exploded</body></html>", 500)
    with pytest.raises(AdapterError, match="the court answered HTTP 500"):
        await transport("1.1").send_filing(document())


async def test_a_document_that_is_not_xml_is_not_sent(court: respx.MockRouter) -> None:
    route = court.post(ENDPOINT)
    with pytest.raises(AdapterError, match="the document to send is not usable XML"):
        await transport().send_filing(document().model_copy(update={"content": b"%PDF-1.4"}))
    assert not route.called


# --- settings --------------------------------------------------------------------------------


def test_settings_errors_name_the_field() -> None:
    settings = {"endpoint": ENDPOINT, "soap_version": "1.3", "filing_action": FILING_ACTION}
    with pytest.raises(AdapterConfigError) as raised:
        CourtTransport.from_registry(
            "soap",
            settings,
            where="jurisdiction 'demo'",
            name_field="court.transport",
            settings_field="court.settings.transport",
        )
    message = str(raised.value)
    assert "jurisdiction 'demo': court.settings.transport.soap_version:" in message
    assert "court.settings.transport.query_action: Field required" in message
