"""Asking an ECF court over SOAP how a filing stands (GetFilingStatus), through the adapter
and the activity the case polls with, a court standing in through respx: the question goes
to the endpoint that took the filing, without an idempotency key; the answer is read by the
format; a fault or an HTTP error is a failure the activity retries (then the case asks at
its next time); a court that only calls back, or a format with no question, is not asked."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from lxml import etree
from temporalio.testing import ActivityEnvironment

from activities.adapter_directory import AdapterDirectory
from activities.filing_activities import FilingActivities
from adapters.courts.court_adapter import court_adapter_for
from adapters.errors import AdapterConfigError, AdapterError
from adapters.http.client import IDEMPOTENCY_KEY
from domain.filing_status import FilingStatusQuery, PolledStatus
from domain.policy import Jurisdiction
from tests.adapters.test_filing_activity import ENDPOINT, with_court

FIXTURES = Path(__file__).parent.parent / "fixtures" / "courts"
SOAP_11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP_12 = "http://www.w3.org/2003/05/soap-envelope"
REFERENCE = "HRCC-F-2026-11873"
KEY = "case-demo-CR-2026-00417:report:1"
QUESTION_4 = "{urn:oasis:names:tc:legalxml-courtfiling:schema:xsd:FilingStatusQueryMessage-4.0}"


@pytest.fixture
def court() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


def soap_court(generation: str = "ecf4", version: str = "1.1", **transport: Any) -> Jurisdiction:
    settings = {
        "endpoint": ENDPOINT,
        "soap_version": version,
        "filing_action": "urn:example:court:ecf:ReviewFiling",
        "query_action": "urn:example:court:ecf:GetCase",
        **transport,
    }
    return with_court(generation, "soap", {"format": {"court_id": "HRCC"}, "transport": settings})


def enveloped(name: str, generation: str = "ecf4", soap: str = SOAP_11) -> bytes:
    document = (FIXTURES / generation / name).read_bytes().split(b"?>", 1)[1]
    return (
        f'<soap:Envelope xmlns:soap="{soap}"><soap:Body>'.encode()
        + document
        + b"</soap:Body></soap:Envelope>"
    )


def answering(court: respx.MockRouter, body: bytes, status: int = 200) -> respx.Route:
    return court.post(ENDPOINT).mock(return_value=httpx.Response(status, content=body))


async def ask(jurisdiction: Jurisdiction, court_id: str | None = None) -> PolledStatus:
    activities = FilingActivities(AdapterDirectory({jurisdiction.id: jurisdiction}))
    query = FilingStatusQuery(
        jurisdiction=jurisdiction.id,
        court_reference=REFERENCE,
        idempotency_key=KEY,
        court_id=court_id,
    )
    return await ActivityEnvironment().run(activities.filing_status, query)


async def test_the_question_names_the_court_the_case_is_before(court: respx.MockRouter) -> None:
    route = answering(court, enveloped("status-accepted-query.xml"))
    assert await ask(soap_court(), court_id="HRCC-N") == PolledStatus(status="accepted")
    [question] = etree.fromstring(route.calls.last.request.content).find(f"{{{SOAP_11}}}Body")
    [named] = question.findall("{*}CaseCourt/{*}OrganizationIdentification/{*}IdentificationID")
    assert named.text == "HRCC-N"  # not the settings' HRCC


async def test_a_format_written_before_the_court_was_passed_is_still_asked(
    court: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    jurisdiction = soap_court()
    adapter = court_adapter_for(jurisdiction)
    fmt = adapter.format
    written_before = type(fmt).render_status_query

    def two_arguments(court_reference: str, idempotency_key: str) -> Any:
        return written_before(fmt, court_reference, idempotency_key)

    monkeypatch.setattr(fmt, "render_status_query", two_arguments)
    answering(court, enveloped("status-accepted-query.xml"))
    status = await adapter.filing_status(REFERENCE, KEY, court_id="HRCC-N")
    assert status is not None and status.state == "accepted"


@pytest.mark.parametrize(
    ("name", "polled"),
    [
        ("status-accepted-query.xml", PolledStatus(status="accepted")),
        (
            "status-rejected-query.xml",
            PolledStatus(
                status="rejected",
                reason="Returned: the report names a hearing date this court never set.",
            ),
        ),
        ("status-received-query.xml", PolledStatus(status="received")),
    ],
)
async def test_the_case_asks_and_reads_the_courts_answer(
    court: respx.MockRouter, name: str, polled: PolledStatus
) -> None:
    route = answering(court, enveloped(name))
    assert await ask(soap_court()) == polled

    request = route.calls.last.request
    # The OASIS WSDL binds GetFilingStatus with soapAction="": the Body says what is asked.
    assert request.headers["SOAPAction"] == '""'
    # A question, not a filing: a gateway replaying its first answer would hide the clerk's.
    assert IDEMPOTENCY_KEY not in request.headers
    [question] = etree.fromstring(request.content).find(f"{{{SOAP_11}}}Body")
    assert question.tag == f"{QUESTION_4}FilingStatusQueryMessage"
    assert REFERENCE in request.content.decode()


async def test_an_ecf5_court_is_asked_in_soap_12_with_its_own_action(
    court: respx.MockRouter,
) -> None:
    action = "urn:example:court:ecf5:GetFilingStatus"
    route = answering(court, enveloped("status-accepted-query.xml", "ecf5", SOAP_12))
    jurisdiction = soap_court("ecf5", "1.2", status_action=action)
    assert await ask(jurisdiction) == PolledStatus(status="accepted")
    content_type = route.calls.last.request.headers["Content-Type"]
    assert content_type == f'application/soap+xml; charset=utf-8; action="{action}"'


async def test_soap_12_without_an_action_sends_none(court: respx.MockRouter) -> None:
    route = answering(court, enveloped("status-received-query.xml", "ecf5", SOAP_12))
    assert await ask(soap_court("ecf5", "1.2")) == PolledStatus(status="received")
    assert route.calls.last.request.headers["Content-Type"] == "application/soap+xml; charset=utf-8"


async def test_an_unknown_filing_is_an_answer_not_a_failure(court: respx.MockRouter) -> None:
    answering(court, enveloped("status-query-unknown-filing.xml"))
    polled = await ask(soap_court())
    assert polled.status == "received"
    assert polled.reason == (
        "the court gave no status for the filing: "
        "No filing HRCC-F-2026-99999 in this court. (error code -17)"
    )


@pytest.mark.parametrize(
    ("status", "body", "why"),
    [
        (
            500,
            f'<soap:Envelope xmlns:soap="{SOAP_11}"><soap:Body><soap:Fault>'
            "<faultcode>soap:Server</faultcode><faultstring>the e-filing manager is down"
            "</faultstring></soap:Fault></soap:Body></soap:Envelope>",
            "SOAP fault: soap:Server: the e-filing manager is down",
        ),
        (200, f'<soap:Envelope xmlns:soap="{SOAP_11}"><soap:Body/></soap:Envelope>', "empty"),
        (502, "<html>Bad Gateway</html>", "502"),
    ],
)
async def test_a_fault_or_an_http_error_is_a_failure_to_try_again(
    court: respx.MockRouter, status: int, body: str, why: str
) -> None:
    answering(court, body.encode(), status)
    adapter = court_adapter_for(soap_court())
    with pytest.raises(AdapterError, match=why):
        await adapter.filing_status(REFERENCE, KEY)
    with pytest.raises(AdapterError, match=why):  # the activity fails: Temporal retries it
        await ask(soap_court())


async def test_a_court_that_only_calls_back_is_never_asked(court: respx.MockRouter) -> None:
    route = answering(court, enveloped("status-accepted-query.xml"))
    assert await ask(soap_court(status_query=False)) == PolledStatus()
    assert not route.called


async def test_a_format_that_writes_no_question_is_not_asked(court: respx.MockRouter) -> None:
    route = answering(court, enveloped("status-accepted-query.xml"))
    assert await ask(soap_court("niem")) == PolledStatus()
    assert not route.called


async def test_a_filing_the_court_gave_no_id_for_is_not_asked_about(
    court: respx.MockRouter,
) -> None:
    # Its reply was empty (a one-way acknowledgement): GetFilingStatus has nothing to name.
    route = answering(court, enveloped("status-accepted-query.xml"))
    adapter = court_adapter_for(soap_court())
    assert await adapter.filing_status(f"soap:{KEY}", KEY) is None
    assert not route.called


def test_the_status_action_is_a_header_safe_uri() -> None:
    with pytest.raises(AdapterConfigError, match="may not contain spaces or quotes"):
        court_adapter_for(soap_court(status_action='urn:a "b"'))
