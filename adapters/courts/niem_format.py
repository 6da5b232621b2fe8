"""NIEM 5.0 / Justice (jxdm) 7.2 court exchange ("niem"), for courts on a local IEPD
rather than ECF. Each document is rooted in a local exchange element; the prefixes below
are bound to our default namespaces, and a court's own spec names are configured through
`settings.namespaces` with the same prefixes.

- case initiation (`exch:CaseInitiationExchange`), the referral: mapped by `niem_case`.
- court event (`exch-event:CourtEventExchange`): hearings for a docket we already hold,
  read by `niem_hearings`.
- court filing (`exch-filing:CourtFilingExchange`): a report we file, its PDF in the
  first `nc:Document` and its structured data (JSON) in a second, inline as base64 or by
  URI, with the PDF's SHA-256 as `ReportDocumentHash`.
- filing status (`exch-status:FilingStatusExchange`): the court's accepted/rejected answer.
- case query (`exch-query:CaseQueryExchange`): our request for a case's current document.

This module is the format itself: finding an exchange in a document, rendering ours and
reading the court's short answers. Inbound exchange elements may sit inside a SOAP
1.1/1.2 or vendor envelope; they are found wherever they are, and a jurisdiction's
schema (`settings.schema_files`) validates the exchange element, not the envelope.
"""

import base64
import binascii
import hashlib
import re
from typing import ClassVar, NoReturn

from lxml import etree
from lxml.etree import _Element as Element
from pydantic import BaseModel

from adapters.code_lists import code_key
from adapters.courts.base import (
    CaseQuery,
    CourtFormat,
    FilingDocument,
    FilingStatus,
    FilingSummary,
    RenderedReport,
)
from adapters.courts.niem_case import CaseInitiation, case_court_id, find_case
from adapters.courts.niem_hearings import read_court_event, where
from adapters.courts.vendor_extension import with_vendor_namespace
from adapters.courts.xml_settings import XmlFormatSettings
from adapters.errors import AdapterConfigError, AdapterError
from adapters.xml.hardened import parse_xml, validate
from adapters.xml.reading import MissingField, XmlReader
from domain.referral import Hearing, Referral

_EXCHANGE = "urn:restorative-diversion:exchange"
DEFAULT_NAMESPACES: dict[str, str] = {
    "nc": "http://release.niem.gov/niem/niem-core/5.0/",
    "j": "http://release.niem.gov/niem/domains/jxdm/7.2/",
    "structures": "http://release.niem.gov/niem/structures/5.0/",
    "exch": f"{_EXCHANGE}:case-initiation:1.0",
    "exch-event": f"{_EXCHANGE}:court-event:1.0",
    "exch-filing": f"{_EXCHANGE}:court-filing:1.0",
    "exch-status": f"{_EXCHANGE}:filing-status:1.0",
    "exch-query": f"{_EXCHANGE}:case-query:1.0",
}
SOAP_ENVELOPES = (
    "http://schemas.xmlsoap.org/soap/envelope/",
    "http://www.w3.org/2003/05/soap-envelope",
)
FILING_STATUSES: dict[str, bool] = {
    **dict.fromkeys(["accepted", "accept", "docketed", "filed"], True),
    **dict.fromkeys(["rejected", "reject", "returned"], False),
}


class NiemCourtFormat(CourtFormat):
    name: ClassVar[str] = "niem"
    content_types: ClassVar[tuple[str, ...]] = ("application/xml", "text/xml")
    Settings: ClassVar[type[BaseModel]] = XmlFormatSettings
    settings: XmlFormatSettings

    def __init__(self, settings: BaseModel) -> None:
        if not isinstance(settings, XmlFormatSettings):
            raise AdapterConfigError(
                f"the niem court format takes XmlFormatSettings, not {type(settings).__name__}"
            )
        super().__init__(settings)
        self.settings = settings
        self.ns = _namespaces(settings)
        self.codes = settings.code_table()

    # -- inbound ---------------------------------------------------------------------------

    def parse_referral(self, document: bytes, content_type: str, jurisdiction: str) -> Referral:
        self.check_content_type(content_type)
        exchange = self._exchange(document, "exch", "CaseInitiationExchange", "case initiation")
        return CaseInitiation(exchange, self.ns, self.settings, self.codes).referral(jurisdiction)

    def parse_court_event(self, document: bytes) -> tuple[str, list[Hearing]]:
        exchange = self._exchange(document, "exch-event", "CourtEventExchange", "court event")
        return read_court_event(XmlReader(exchange, self.ns), exchange, self.settings.date_forms)

    def parse_filing_status(self, document: bytes) -> FilingStatus:
        exchange = self._exchange(document, "exch-status", "FilingStatusExchange", "filing status")
        reader = XmlReader(exchange, self.ns)
        reference = reader.required(
            exchange,
            "exch-status:CourtFilingIdentification/nc:IdentificationID",
            "court filing reference",
        )
        status = reader.first(exchange, "exch-status:FilingStatus")
        if status is None:
            raise MissingField(
                f"filing status is missing (expected exch-status:FilingStatus in {where(exchange)})"
            )
        code = reader.required(status, "exch-status:FilingStatusCode", "filing status code")
        accepted = FILING_STATUSES.get(code_key(code))
        if accepted is None:
            raise AdapterError(
                f"filing status code {code!r} ({where(status)}) is neither accepted nor "
                f"rejected; known codes: {', '.join(FILING_STATUSES)}"
            )
        reason = None if accepted else reader.text(status, "nc:StatusDescriptionText")
        return FilingStatus(court_reference=reference, accepted=accepted, reason=reason)

    # -- outbound --------------------------------------------------------------------------

    def render_filing(self, rendered: RenderedReport) -> FilingDocument:
        report, key = rendered.report, rendered.report.idempotency_key
        root = self._new("exch-filing", "CourtFilingExchange")
        self._add(self._add(root, "nc", "DocumentIdentification"), "nc", "IdentificationID", key)
        created = self._add(root, "nc", "DocumentCreationDate")
        self._add(created, "nc", "DateTime", report.generated_at.isoformat())
        self._add_case(root, report.court_id, report.court_case_number)
        self._add(root, "exch-filing", "ReportKindCode", report.kind.value)
        self._add(root, "exch-filing", "ReportSequenceNumeric", str(report.sequence))
        self._add(root, "exch-filing", "ReportDocumentHash", rendered.document_hash)
        self._add_document(
            root, "lead-document", f"{report.kind.value} report", rendered.pdf,
            f"{rendered.file_stem}.pdf", "application/pdf",
        )  # fmt: skip
        self._add_document(
            root, "structured-report", "structured report", rendered.structured_data,
            f"{rendered.file_stem}.json", "application/json",
        )  # fmt: skip
        return _document(key, _serialise(root), rendered.document_hash)

    def _add_document(
        self, parent: Element, id: str, category: str, content: bytes, name: str, media: str
    ) -> None:
        """One nc:Document: inline as base64, or by URI when the court fetches them."""
        document = self._add(parent, "nc", "Document")
        document.set(self._q("structures", "id"), id)
        self._add(document, "nc", "DocumentCategoryText", category)
        self._add(document, "nc", "DocumentFileName", name)
        binary = self._add(document, "nc", "DocumentBinary")
        attachment = self.settings.attachment
        if attachment.mode == "uri":
            uri = f"{(attachment.uri_base or '').rstrip('/')}/{name}"
            self._add(binary, "nc", "BinaryLocationURI", uri)
        else:
            encoded = base64.b64encode(content).decode("ascii")
            self._add(binary, "nc", "BinaryBase64Object", encoded)
        self._add(binary, "nc", "BinaryFormatText", media)
        self._add(binary, "nc", "BinarySizeValue", str(len(content)))

    def read_filing(self, document: bytes) -> FilingSummary:
        exchange = self._exchange(document, "exch-filing", "CourtFilingExchange", "court filing")
        reader = XmlReader(exchange, self.ns)
        case = find_case(reader, exchange, "court filing")
        binary = reader.first(exchange, "nc:Document/nc:DocumentBinary")  # the lead, first
        if binary is None:
            raise MissingField(
                "lead document is missing "
                f"(expected nc:Document/nc:DocumentBinary in {where(exchange)})"
            )
        # Our own filing names its court; the settings' court_id does not stand in for it.
        court_id = case_court_id(reader, case, None)
        encoded = reader.text(binary, "nc:BinaryBase64Object")
        if encoded is None and reader.text(binary, "nc:BinaryLocationURI") is None:
            raise MissingField(
                "lead document has neither nc:BinaryBase64Object nor nc:BinaryLocationURI "
                f"({where(binary)})"
            )
        return FilingSummary(
            idempotency_key=reader.required(
                exchange, "nc:DocumentIdentification/nc:IdentificationID", "filing document id"
            ),
            court_id=court_id,
            court_case_number=reader.required(case, "nc:CaseDocketID", "docket number"),
            lead_document=None if encoded is None else _decode_base64(encoded, binary),
            structured_report=self._structured_report(reader, exchange),
        )

    def _structured_report(self, reader: XmlReader, exchange: Element) -> bytes | None:
        for document in reader.all(exchange, "nc:Document"):
            if document.get(self._q("structures", "id")) == "structured-report":
                binary = reader.first(document, "nc:DocumentBinary")
                encoded = None if binary is None else reader.text(binary, "nc:BinaryBase64Object")
                if encoded is None or binary is None:
                    return None
                return _decode_base64(encoded, binary, "structured report")
        return None

    def render_case_query(self, court_id: str, case_number: str) -> CaseQuery:
        root = self._new("exch-query", "CaseQueryExchange")
        self._add_case(root, court_id, case_number)
        content = _serialise(root)
        key = f"case-query:{court_id}:{case_number}"
        document = _document(key, content, hashlib.sha256(content).hexdigest())
        return CaseQuery(court_id=court_id, case_number=case_number, document=document)

    # -- documents -------------------------------------------------------------------------

    def _exchange(self, document: bytes, prefix: str, local: str, what: str) -> Element:
        """The exchange element, wherever an envelope put it, valid against the
        jurisdiction's schema when it has one."""
        root = parse_xml(document, limits=self.settings.limits())
        tag = self._q(prefix, local)
        found = root if root.tag == tag else next(root.iter(tag), None)
        if found is None:
            _no_exchange(root, f"{prefix}:{local} element ({self.ns[prefix]})", what)
        schema = self.settings.xml_schema()
        if schema is not None:
            # The schema describes the message; an envelope around it is not its concern.
            validate(found, schema)
        return found

    def _q(self, prefix: str, local: str) -> str:
        return f"{{{self.ns[prefix]}}}{local}"

    def _new(self, prefix: str, local: str) -> Element:
        used = (prefix, "nc", "j", "structures")
        return etree.Element(self._q(prefix, local), nsmap={p: self.ns[p] for p in used})

    def _add(self, parent: Element, prefix: str, local: str, text: str | None = None) -> Element:
        element = etree.SubElement(parent, self._q(prefix, local))
        element.text = text
        return element

    def _add_case(self, parent: Element, court_id: str, case_number: str) -> None:
        case = self._add(parent, "nc", "Case")
        self._add(case, "nc", "CaseDocketID", case_number)
        court = self._add(self._add(case, "j", "CaseAugmentation"), "j", "CaseCourt")
        self._add(
            self._add(court, "nc", "OrganizationIdentification"), "nc", "IdentificationID", court_id
        )


def _no_exchange(root: Element, expected: str, what: str) -> NoReturn:
    fault = next((el for el in root.iter() if _is_soap_fault(el)), None)
    if fault is not None:
        raise AdapterError(f"expected a {what} document but got a SOAP fault{_fault_code(fault)}")
    root_name = etree.QName(root)
    raise AdapterError(
        f"no {expected} in the document; its root is "
        f"<{root_name.localname}> in {root_name.namespace or 'no namespace'}"
    )


def _is_soap_fault(el: Element) -> bool:
    if not isinstance(el.tag, str):
        return False
    name = etree.QName(el)
    return name.localname == "Fault" and name.namespace in SOAP_ENVELOPES


def _fault_code(fault: Element) -> str:
    # SOAP 1.1 writes <faultcode>; 1.2 writes <Code><Value>. The text is a code, never data.
    for el in fault.iter():
        if isinstance(el.tag, str) and etree.QName(el).localname in ("faultcode", "Value"):
            return f" (code {(el.text or '').strip()!r})"
    return ""


def _namespaces(settings: XmlFormatSettings) -> dict[str, str]:
    unknown = sorted(set(settings.namespaces) - set(DEFAULT_NAMESPACES))
    if unknown:
        raise AdapterConfigError(
            f"namespaces: unknown prefix(es) {', '.join(unknown)}; "
            f"the niem format uses {', '.join(DEFAULT_NAMESPACES)}"
        )
    return with_vendor_namespace(
        {**DEFAULT_NAMESPACES, **settings.namespaces}, settings.vendor_extension
    )


def _decode_base64(encoded: str, binary: Element, what: str = "lead document") -> bytes:
    try:
        return base64.b64decode("".join(encoded.split()), validate=True)
    except binascii.Error:
        raise AdapterError(
            f"{what}: nc:BinaryBase64Object is not valid base64 ({where(binary)})"
        ) from None


def _document(key: str, content: bytes, document_hash: str) -> FilingDocument:
    return FilingDocument(
        filename=f"{_filename_safe(key)}.xml",
        content_type="application/xml",
        content=content,
        idempotency_key=key,
        document_hash=document_hash,
    )


def _serialise(root: Element) -> bytes:
    # Deterministic bytes: a retried render is byte-identical, so a transport can
    # recognise a resend.
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return result


def _filename_safe(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", key)
