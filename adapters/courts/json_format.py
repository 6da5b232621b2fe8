"""Our own JSON documents: a referral is `domain.referral.Referral`; a filing is an
envelope holding the report as structured data (`CourtReport`) and its PDF (base64), for
courts that adopt our API or exchange JSON files:

    {"idempotency_key": "...", "document_hash": "<SHA-256 of the PDF>",
     "report": {...}, "pdf": {"filename": "....pdf", "content_type": "application/pdf",
                             "base64": "..."}}
"""

import base64
import binascii
import json
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ValidationError

from adapters.courts.base import (
    CourtFormat,
    FilingDocument,
    FilingStatus,
    FilingSummary,
    RenderedReport,
)
from adapters.errors import AdapterError
from adapters.registry import describe
from domain.referral import Referral
from domain.reports import CourtReport

M = TypeVar("M", bound=BaseModel)


class JsonCourtFormat(CourtFormat):
    name: ClassVar[str] = "json"
    content_types: ClassVar[tuple[str, ...]] = ("application/json",)

    def parse_referral(self, document: bytes, content_type: str, jurisdiction: str) -> Referral:
        self.check_content_type(content_type)
        data = _json_object(document, "referral")
        given = data.get("jurisdiction")
        if given is None:
            # A court sending to one program's folder need not say which program it is.
            data["jurisdiction"] = jurisdiction
        elif given != jurisdiction:
            raise AdapterError(
                f"jurisdiction: the referral is for {given!r} but arrived for {jurisdiction!r}"
            )
        return _validate(Referral, data, "referral")

    def render_filing(self, rendered: RenderedReport) -> FilingDocument:
        report = rendered.report
        envelope = {
            "idempotency_key": report.idempotency_key,
            "document_hash": rendered.document_hash,
            "report": report.model_dump(mode="json"),
            "pdf": {
                "filename": f"{rendered.file_stem}.pdf",
                "content_type": "application/pdf",
                "base64": base64.b64encode(rendered.pdf).decode("ascii"),
            },
        }
        return FilingDocument(
            filename=f"{rendered.file_stem}.json",
            content_type="application/json",
            # Deterministic bytes: a retried render of one report is byte-identical, which
            # is what lets a transport recognise a resend.
            content=json.dumps(envelope, indent=2, sort_keys=True).encode(),
            idempotency_key=report.idempotency_key,
            document_hash=rendered.document_hash,
        )

    def read_filing(self, document: bytes) -> FilingSummary:
        envelope = _json_object(document, "filing")
        report = _validate(CourtReport, envelope.get("report") or {}, "filing report")
        return FilingSummary(
            idempotency_key=str(envelope.get("idempotency_key")),
            court_id=report.court_id,
            court_case_number=report.court_case_number,
            lead_document=_pdf(envelope),
            structured_report=report.structured_data(),
        )

    def parse_filing_status(self, document: bytes) -> FilingStatus:
        return _validate(FilingStatus, _json_object(document, "filing status"), "filing status")


def _pdf(envelope: dict[str, Any]) -> bytes | None:
    pdf = envelope.get("pdf")
    if pdf is None:
        return None
    encoded = pdf.get("base64") if isinstance(pdf, dict) else None
    if not isinstance(encoded, str):
        raise AdapterError("filing pdf: expected an object with a base64 string")
    try:
        return base64.b64decode(encoded, validate=True)
    except binascii.Error as e:
        raise AdapterError(f"filing pdf: not valid base64: {e}") from e


def _json_object(document: bytes, what: str) -> dict[str, Any]:
    try:
        text = document.decode("utf-8")
    except UnicodeDecodeError as e:
        raise AdapterError(f"{what} is not UTF-8: invalid byte at offset {e.start}") from e
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise AdapterError(
            f"{what} is not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}"
        ) from e
    if not isinstance(data, dict):
        raise AdapterError(f"{what} must be a JSON object, not {type(data).__name__}")
    return data


def _validate(model: type[M], data: dict[str, Any], what: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise AdapterError(f"{what} has invalid fields: {describe(e)}") from e
