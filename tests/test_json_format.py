"""Our JSON court format: referral documents in, filings and filing statuses."""

import base64
import json
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest

from adapters.courts.base import RenderedReport
from adapters.courts.json_format import JsonCourtFormat
from adapters.errors import AdapterError
from adapters.registry import PluginSettings
from domain.enums import ReportKind, Stage
from domain.reports import CourtReport

FIXTURE = Path(__file__).parent / "fixtures" / "referrals" / "demo-referral.json"
JSON = "application/json"

fmt = JsonCourtFormat(PluginSettings())


def fixture_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_bytes())
    return data


def encode(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode()


def report(**changes: Any) -> CourtReport:
    fields: dict[str, Any] = {
        "kind": ReportKind.PROGRESS,
        "case_id": "case-demo-CR-2026-00417",
        "sequence": 2,
        "jurisdiction": "demo",
        "court_id": "demo-county-district-court",
        "court_case_number": "CR-2026-00417",
        "participant_name": "Darnell Okafor",
        "generated_at": datetime(2026, 3, 12, 15, 0, tzinfo=UTC),
        "stage": Stage.MONITORING,
        "summary": "The participant is meeting the agreed obligations.",
    }
    return CourtReport(**{**fields, **changes})


def rendered(**changes: Any) -> RenderedReport:
    """`report(**changes)` with a stand-in PDF: formats file whatever bytes they are given,
    and the real renderer is tested in tests/rendering."""
    court_report = report(**changes)
    stand_in = f"%PDF-1.7\n% stand-in for {court_report.idempotency_key}\n%%EOF\n"
    return RenderedReport(report=court_report, pdf=stand_in.encode())


def test_fixture_referral_parses() -> None:
    referral = fmt.parse_referral(FIXTURE.read_bytes(), JSON, "demo")
    assert referral.court.case_number == "CR-2026-00417"
    assert referral.participant.family_name == "Okafor"
    assert referral.victim.contact.address == "12 Alder Row, Demo City"
    assert [c.domestic_violence for c in referral.charges] == [True]


def test_referral_round_trips() -> None:
    referral = fmt.parse_referral(FIXTURE.read_bytes(), JSON, "demo")
    again = fmt.parse_referral(referral.model_dump_json().encode(), JSON, "demo")
    assert again == referral


def test_charset_parameter_is_accepted() -> None:
    fmt.parse_referral(FIXTURE.read_bytes(), "application/json; charset=utf-8", "demo")


def test_absent_jurisdiction_is_filled_in() -> None:
    data = fixture_data()
    del data["jurisdiction"]
    assert fmt.parse_referral(encode(data), JSON, "demo").jurisdiction == "demo"


def test_another_jurisdiction_is_refused() -> None:
    with pytest.raises(AdapterError, match=r"jurisdiction: .*for 'demo' but arrived for 'north'"):
        fmt.parse_referral(FIXTURE.read_bytes(), JSON, "north")


def test_invalid_json_gives_line_and_column() -> None:
    broken = b'{\n  "jurisdiction": "demo",\n  "court": {,\n}'
    with pytest.raises(AdapterError, match=r"not valid JSON: .* at line 3, column 13"):
        fmt.parse_referral(broken, JSON, "demo")


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        pytest.param(b"\xff\xfe{}", r"not UTF-8: invalid byte at offset 0", id="not-utf8"),
        pytest.param(b"[1, 2]", r"must be a JSON object, not list", id="not-an-object"),
    ],
)
def test_undecodable_documents_say_why(document: bytes, expected: str) -> None:
    with pytest.raises(AdapterError, match=expected):
        fmt.parse_referral(document, JSON, "demo")


def test_invalid_fields_are_named_by_path() -> None:
    data = fixture_data()
    data["charges"][0]["statute"] = ""
    del data["court"]["case_number"]
    data["victim"]["date_of_birth"] = "Mira's birthday"
    with pytest.raises(AdapterError) as caught:
        fmt.parse_referral(encode(data), JSON, "demo")
    message = str(caught.value)
    assert "charges.0.statute: String should have at least 1 character" in message
    assert "court.case_number: Field required" in message
    assert "victim.date_of_birth: Input should be a valid date" in message
    # The reason ends up in logs and quarantine sidecars: field paths, never the values.
    assert "Mira's birthday" not in message


def test_referral_without_a_dv_charge_is_refused() -> None:
    data = fixture_data()
    data["charges"][0]["domestic_violence"] = False
    with pytest.raises(AdapterError, match=r"charges: Value error, .*domestic-violence charge"):
        fmt.parse_referral(encode(data), JSON, "demo")


def test_unknown_field_is_refused() -> None:
    data = fixture_data()
    data["victim"]["contact"]["pager"] = "555"
    with pytest.raises(AdapterError, match=r"victim\.contact\.pager: Extra inputs"):
        fmt.parse_referral(encode(data), JSON, "demo")


def test_other_content_types_are_refused() -> None:
    with pytest.raises(AdapterError, match="reads application/json, not 'application/xml'"):
        fmt.parse_referral(FIXTURE.read_bytes(), "application/xml", "demo")


def test_filing_is_the_report_and_its_pdf_in_an_envelope() -> None:
    filed = rendered()
    filing = fmt.render_filing(filed)
    envelope = json.loads(filing.content)
    assert set(envelope) == {"idempotency_key", "document_hash", "report", "pdf"}
    assert envelope["idempotency_key"] == filing.idempotency_key == filed.report.idempotency_key
    assert envelope["document_hash"] == filing.document_hash == sha256(filed.pdf).hexdigest()
    assert CourtReport.model_validate(envelope["report"]) == filed.report
    assert envelope["pdf"]["filename"] == "case-demo-CR-2026-00417_report_2.pdf"
    assert envelope["pdf"]["content_type"] == "application/pdf"
    assert base64.b64decode(envelope["pdf"]["base64"]) == filed.pdf
    assert filing.content_type == JSON
    assert filing.filename == "case-demo-CR-2026-00417_report_2.json"


def test_a_filing_reads_back_as_sent() -> None:
    filed = rendered()
    summary = fmt.read_filing(fmt.render_filing(filed).content)
    assert summary.lead_document == filed.pdf
    assert summary.structured_report == filed.report.structured_data()


def test_a_filing_with_a_broken_pdf_is_refused_on_reading() -> None:
    envelope = json.loads(fmt.render_filing(rendered()).content)
    envelope["pdf"]["base64"] = "not base64!"
    with pytest.raises(AdapterError, match="filing pdf: not valid base64"):
        fmt.read_filing(json.dumps(envelope).encode())


def test_rendering_is_deterministic() -> None:
    assert fmt.render_filing(rendered()).content == fmt.render_filing(rendered()).content
    assert fmt.render_filing(rendered()).content != fmt.render_filing(rendered(summary="x")).content


def test_filing_status_parses() -> None:
    status = fmt.parse_filing_status(
        b'{"court_reference": "DCDC-2026-88121", "accepted": false, "reason": "Wrong case"}'
    )
    assert (status.court_reference, status.accepted, status.reason) == (
        "DCDC-2026-88121",
        False,
        "Wrong case",
    )


def test_invalid_filing_status_says_why() -> None:
    with pytest.raises(AdapterError, match=r"filing status has invalid fields: accepted: Field"):
        fmt.parse_filing_status(b'{"court_reference": "DCDC-2026-88121"}')
    with pytest.raises(AdapterError, match=r"filing status is not valid JSON: .* line 1"):
        fmt.parse_filing_status(b'{"court_reference": ')
