"""Filing through the activity as the worker runs it, a court standing in through respx:
ecf4 over soap and json over rest. The court receives the PDF whose hash the case keeps,
with the report's structured data beside it; a duplicate execution of the activity sends
the same bytes with the same idempotency key; the report read back renders the same PDF."""

import base64
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from lxml import etree
from temporalio.testing import ActivityEnvironment

from activities.adapter_directory import AdapterDirectory
from activities.case_activities import CaseActivities
from adapters.courts.ecf4_format import NAMESPACES
from domain.enums import ReportKind
from domain.policy import AdapterChoice, Jurisdiction
from domain.reports import CourtReport, FilingReceipt
from rendering.pdf import render_pdf_afresh
from tests.domain.factories import DEMO
from tests.rendering.pdfa import pdfa_problems
from tests.rendering.samples import sample_report
from workflows.messages import FilingRequest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "courts"
ENDPOINT = "https://efile.court.example/ecf/CourtRecordMDE"
API = "https://api.court.example/v1"
LEAD = "ecf:FilingLeadDocument//nc:BinaryBase64Object"
CONNECTED = "ecf:FilingConnectedDocument//nc:BinaryBase64Object"


@pytest.fixture
def court() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        yield router


def with_court(format: str, transport: str, settings: dict[str, Any]) -> Jurisdiction:
    choice = AdapterChoice(format=format, transport=transport, settings=settings)
    return DEMO.model_copy(update={"court": choice})


def activities_for(jurisdiction: Jurisdiction, tmp_path: Path) -> CaseActivities:
    """The activities as a worker configured with `jurisdiction` runs them."""
    return CaseActivities(AdapterDirectory({jurisdiction.id: jurisdiction}, outbox_dir=tmp_path))


async def file_twice(request: FilingRequest, tmp_path: Path) -> list[FilingReceipt]:
    activities = activities_for(request.jurisdiction, tmp_path)
    env = ActivityEnvironment()
    return [await env.run(activities.file_report, request) for _ in range(2)]


def report() -> CourtReport:
    return sample_report(ReportKind.AGREEMENT_REACHED)


async def test_ecf4_over_soap(court: respx.MockRouter, tmp_path: Path) -> None:
    receipt_xml = (FIXTURES / "ecf4" / "status-received-receipt-soap11.xml").read_bytes()
    route = court.post(ENDPOINT).mock(return_value=httpx.Response(200, content=receipt_xml))
    jurisdiction = with_court(
        "ecf4",
        "soap",
        {
            "format": {"court_id": "demo-circuit-3"},
            "transport": {
                "endpoint": ENDPOINT,
                "filing_action": "urn:example:court:ecf:ReviewFiling",
                "query_action": "urn:example:court:ecf:GetCase",
            },
        },
    )
    filed = report()
    first, again = await file_twice(
        FilingRequest(jurisdiction=jurisdiction, report=filed), tmp_path
    )

    sent = [call.request for call in route.calls]
    assert len(sent) == 2
    assert sent[0].content == sent[1].content
    assert {r.headers["Idempotency-Key"] for r in sent} == {filed.idempotency_key}
    message = etree.fromstring(sent[0].content).find(".//core:CoreFilingMessage", NAMESPACES)
    assert message is not None
    pdf = base64.b64decode(message.findtext(LEAD, namespaces=NAMESPACES) or "")
    structured = base64.b64decode(message.findtext(CONNECTED, namespaces=NAMESPACES) or "")

    assert hashlib.sha256(pdf).hexdigest() == first.document_hash == again.document_hash
    assert first.court_reference == again.court_reference == "HRCC-F-2026-11873"
    assert CourtReport.model_validate_json(structured) == filed
    assert pdfa_problems(pdf) == []
    assert render_pdf_afresh(filed) == pdf  # the report the case keeps renders the bytes filed


async def test_json_over_rest(court: respx.MockRouter, tmp_path: Path) -> None:
    answer = {"court_reference": "DCDC-F-2026-00912", "accepted": True}
    route = court.post(f"{API}/filings").mock(return_value=httpx.Response(201, json=answer))
    jurisdiction = with_court("json", "rest", {"transport": {"base_url": API}})
    filed = report()
    first, again = await file_twice(
        FilingRequest(jurisdiction=jurisdiction, report=filed), tmp_path
    )

    sent = [call.request for call in route.calls]
    assert sent[0].content == sent[1].content
    assert {r.headers["Idempotency-Key"] for r in sent} == {filed.idempotency_key}
    assert sent[0].headers["Content-Type"] == "application/json"
    envelope = json.loads(sent[0].content)
    pdf = base64.b64decode(envelope["pdf"]["base64"])

    assert hashlib.sha256(pdf).hexdigest() == first.document_hash == again.document_hash
    assert envelope["document_hash"] == first.document_hash
    assert CourtReport.model_validate(envelope["report"]) == filed
    assert first.court_reference == "DCDC-F-2026-00912"
    assert render_pdf_afresh(filed) == pdf


async def test_a_rejection_is_not_retried(court: respx.MockRouter, tmp_path: Path) -> None:
    from temporalio.exceptions import ApplicationError

    answer = {"court_reference": "DCDC-F-2026-00913", "accepted": False, "reason": "wrong court"}
    court.post(f"{API}/filings").mock(return_value=httpx.Response(200, json=answer))
    jurisdiction = with_court("json", "rest", {"transport": {"base_url": API}})
    activities = activities_for(jurisdiction, tmp_path)
    with pytest.raises(ApplicationError, match="wrong court") as refused:
        await ActivityEnvironment().run(
            activities.file_report, FilingRequest(jurisdiction=jurisdiction, report=report())
        )
    assert refused.value.non_retryable and refused.value.type == "FilingRejected"


async def test_a_report_that_cannot_be_rendered_goes_to_staff_at_once(tmp_path: Path) -> None:
    from temporalio.exceptions import ApplicationError

    jurisdiction = with_court("json", "rest", {"transport": {"base_url": API}})
    unprintable = report().model_copy(update={"participant_name": "陳大文"})
    activities = activities_for(jurisdiction, tmp_path)
    with pytest.raises(ApplicationError, match="fonts cannot print: '陳'") as refused:
        await ActivityEnvironment().run(
            activities.file_report, FilingRequest(jurisdiction=jurisdiction, report=unprintable)
        )
    assert refused.value.non_retryable and refused.value.type == "ReportNotRendered"
