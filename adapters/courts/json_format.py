"""Our own JSON documents: a referral is `domain.referral.Referral`, a filing is
`CourtReport` in an envelope, for courts that adopt our API or exchange JSON files."""

import json
import re
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ValidationError

from adapters.courts.base import CourtFormat, FilingDocument, FilingStatus, FilingSummary
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

    def render_filing(self, report: CourtReport) -> FilingDocument:
        envelope = {
            "idempotency_key": report.idempotency_key,
            "document_hash": report.structured_hash(),
            "report": report.model_dump(mode="json"),
        }
        return FilingDocument(
            filename=f"{_filename_safe(report.idempotency_key)}.json",
            content_type="application/json",
            # Deterministic bytes: a retried render of one report is byte-identical, which
            # is what lets a transport recognise a resend.
            content=json.dumps(envelope, indent=2, sort_keys=True).encode(),
            idempotency_key=report.idempotency_key,
            document_hash=report.structured_hash(),
        )

    def read_filing(self, document: bytes) -> FilingSummary:
        envelope = _json_object(document, "filing")
        report = _validate(CourtReport, envelope.get("report") or {}, "filing report")
        return FilingSummary(
            idempotency_key=str(envelope.get("idempotency_key")),
            court_id=report.court_id,
            court_case_number=report.court_case_number,
            lead_document=report.structured_data(),
        )

    def parse_filing_status(self, document: bytes) -> FilingStatus:
        return _validate(FilingStatus, _json_object(document, "filing status"), "filing status")


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


def _filename_safe(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", key)
