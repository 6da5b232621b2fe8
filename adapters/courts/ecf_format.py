"""What both ECF generations share as a court format: ECF 4.01 (NIEM 2.0, jxdm 4.0) and
ECF 5.0 (NIEM 4.0, jxdm 6.0) name people, charges, hearings and filing statuses alike and
differ in namespaces and a handful of element names. A format module declares those in an
`EcfVocabulary`; `EcfCourtFormat` ties the readers (`ecf_referral`, `ecf_status`) and the
outbound `DocumentTemplate`s (`xml_template`) to the `CourtFormat` interface.
"""

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from lxml.etree import _Element as Element
from pydantic import BaseModel

from adapters.courts.base import (
    CaseQuery,
    CourtFormat,
    FilingDocument,
    FilingStatus,
    FilingSummary,
    RenderedReport,
    StatusQuery,
)
from adapters.courts.ecf_referral import ReferralNames, read_referral
from adapters.courts.ecf_status import StatusNames, read_status
from adapters.courts.vendor_extension import with_vendor_namespace
from adapters.courts.xml_settings import XmlFormatSettings
from adapters.courts.xml_template import DocumentTemplate
from adapters.errors import AdapterConfigError, AdapterError
from adapters.xml.hardened import parse_xml
from adapters.xml.reading import MissingField
from domain.referral import Referral


@dataclass(frozen=True)
class EcfVocabulary:
    namespaces: Mapping[str, str]
    referral: ReferralNames
    status: StatusNames
    filing: DocumentTemplate
    """Fields: idempotency_key, court_id, case_number, kind, title, posted_at (the report's
    generation time, ISO 8601 in UTC); the PDF as pdf_base64,
    pdf_uri, pdf_name, pdf_size; the structured report (JSON) as report_base64,
    report_uri, report_name, report_size."""
    case_query: DocumentTemplate
    """Fields: court_id, case_number."""
    status_query: DocumentTemplate
    """Fields: court_id (None when the settings name none), court_reference, sent_at (the
    question's own time, ISO 8601 in UTC)."""


class EcfCourtFormat(CourtFormat):
    """An ECF generation; subclasses set `name` and `vocabulary` and nothing else."""

    Settings: ClassVar[type[BaseModel]] = XmlFormatSettings
    content_types: ClassVar[tuple[str, ...]] = ("application/xml", "text/xml")
    vocabulary: ClassVar[EcfVocabulary]
    settings: XmlFormatSettings

    def __init__(self, settings: BaseModel) -> None:
        if not isinstance(settings, XmlFormatSettings):
            raise AdapterConfigError(f"the {self.name} format needs XmlFormatSettings")
        super().__init__(settings)
        self.settings = settings
        # What we write declares the standard prefixes only, never the vendor's.
        self.outbound_ns = {**self.vocabulary.namespaces, **settings.namespaces}
        self.ns = with_vendor_namespace(self.outbound_ns, settings.vendor_extension)

    def parse_referral(self, document: bytes, content_type: str, jurisdiction: str) -> Referral:
        self.check_content_type(content_type)
        root = self._parse(document)
        return read_referral(root, self.ns, self.vocabulary.referral, self.settings, jurisdiction)

    def render_filing(self, rendered: RenderedReport) -> FilingDocument:
        report, name = rendered.report, rendered.file_stem
        attachment = self.settings.attachment
        uri_base = attachment.uri_base.rstrip("/") if attachment.uri_base else None
        by_uri = attachment.mode == "uri" and uri_base is not None
        values = {
            "idempotency_key": report.idempotency_key,
            "court_id": report.court_id,
            "case_number": report.court_case_number,
            "kind": report.kind.value,
            "title": f"{report.kind.value.replace('_', ' ').capitalize()} report {report.sequence}",
            "posted_at": report.generated_at.astimezone(UTC).isoformat(timespec="seconds"),
            **_attachment("pdf", rendered.pdf, f"{name}.pdf", uri_base if by_uri else None),
            **_attachment(
                "report", rendered.structured_data, f"{name}.json", uri_base if by_uri else None
            ),
        }
        return FilingDocument(
            filename=f"{name}.xml",
            content_type="application/xml",
            content=self.vocabulary.filing.render(self.outbound_ns, values),
            idempotency_key=report.idempotency_key,
            document_hash=rendered.document_hash,
        )

    def read_filing(self, document: bytes) -> FilingSummary:
        values = self.vocabulary.filing.read(self._parse(document), self.ns)
        return FilingSummary(
            idempotency_key=_filled(values, "idempotency_key"),
            court_id=_filled(values, "court_id"),
            court_case_number=_filled(values, "case_number"),
            lead_document=_decoded(values.get("pdf_base64"), "the lead document"),
            structured_report=_decoded(values.get("report_base64"), "the structured report"),
        )

    def parse_filing_status(self, document: bytes) -> FilingStatus:
        return read_status(self._parse(document), self.ns, self.vocabulary.status)

    def render_case_query(self, court_id: str, case_number: str) -> CaseQuery:
        content = self.vocabulary.case_query.render(
            self.outbound_ns, {"court_id": court_id, "case_number": case_number}
        )
        key = f"case-query:{court_id}:{case_number}"
        document = FilingDocument(
            filename=f"{_filename_safe(key)}.xml",
            content_type="application/xml",
            content=content,
            idempotency_key=key,
            document_hash=hashlib.sha256(content).hexdigest(),
        )
        return CaseQuery(court_id=court_id, case_number=case_number, document=document)

    def render_status_query(
        self, court_reference: str, idempotency_key: str, *, court_id: str | None = None
    ) -> StatusQuery:
        # The court's own id for the filing, from its receipt; the court the case is before
        # (from its referral), else the one the settings name, else none.
        values = {
            "court_id": court_id or self.settings.court_id,
            "court_reference": court_reference,
            "sent_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        content = self.vocabulary.status_query.render(self.outbound_ns, values)
        document = FilingDocument(
            filename=f"{_filename_safe(f'filing-status:{court_reference}')}.xml",
            content_type="application/xml",
            content=content,
            idempotency_key=idempotency_key,
            document_hash=hashlib.sha256(content).hexdigest(),
        )
        return StatusQuery(
            court_reference=court_reference, idempotency_key=idempotency_key, document=document
        )

    def _parse(self, document: bytes) -> Element:
        # Limits only: the jurisdiction's schema describes its referrals, not filings or
        # statuses, and `read_referral` applies it to the referral message itself.
        return parse_xml(document, limits=self.settings.limits())


def _filled(values: Mapping[str, str | None], field: str) -> str:
    value = values.get(field)
    if value is None:
        raise MissingField(f"the filing's {field.replace('_', ' ')} is missing or empty")
    return value


def _attachment(
    field: str, content: bytes, name: str, uri_base: str | None
) -> dict[str, str | None]:
    """A document's template values: inline as base64, or by URI under `uri_base`."""
    return {
        f"{field}_base64": None if uri_base else base64.b64encode(content).decode("ascii"),
        f"{field}_uri": f"{uri_base}/{name}" if uri_base else None,
        f"{field}_name": name,
        f"{field}_size": str(len(content)),
    }


def _decoded(encoded: str | None, what: str) -> bytes | None:
    try:
        return None if encoded is None else base64.b64decode(encoded, validate=True)
    except binascii.Error as e:
        raise AdapterError(f"{what} is not valid base64: {e}") from e


def _filename_safe(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", key)
