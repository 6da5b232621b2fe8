"""SOAP 1.1 / 1.2 over HTTPS: a format's XML document travels as the envelope's Body.

[jurisdictions.<id>.court.settings.transport]
endpoint = "https://efile.court.example/ecf/CourtRecordMDE"
soap_version = "1.1"
filing_action = "urn:example:court:ecf:ReviewFiling"   # the SOAPAction URIs from the WSDL
query_action = "urn:example:court:ecf:GetCase"
status_query = true                                    # ask GetFilingStatus (the default)
status_action = ""                                     # its SOAPAction ("" in the OASIS WSDL)
# ... and the shared HTTP settings (adapters.http.settings): mutual TLS, auth, retries.

Asking the court how a filing stands (`filing_status`): the format writes the question
(ECF: GetFilingStatus, on the Filing Review MDE that took the filing, so at the same
endpoint); the answer's Body content goes back to the format, like a filing's reply. It is
on by default because the ECF Web Services SIP declares GetFilingStatus on the standard
`FilingReviewMDEPort` beside ReviewFiling, so a court that takes ECF filings over SOAP
answers it; a court that only calls back sets `status_query = false` and is never asked.
A format that writes no question (NIEM) is not asked either. A fault or an HTTP error is
an `AdapterError` (the activity tries again, then the case asks at its next time); the
question carries no `Idempotency-Key`, since a gateway replaying its first answer would
hide the clerk's later decision.

The reply's Body content goes back to the format unread: only the format knows the
court's vocabulary, so the transport has no court reference of its own and answers
`soap:<idempotency key>`. Faults (in a 200, or the 400/500 the SOAP bindings use) are
errors with the fault's code and reason. Replies are parsed like any court document,
hostile ones refused. Idempotency rests on the court: the same document gives the same
envelope bytes and the same `Idempotency-Key` header for a court gateway that honours it.
"""

import re
from dataclasses import dataclass
from typing import ClassVar, Literal

import httpx
from lxml import etree
from pydantic import BaseModel, Field, field_validator

from adapters.courts.base import CaseQuery, CourtTransport, FilingDocument, SentFiling, StatusQuery
from adapters.errors import AdapterError
from adapters.http.client import HttpClient, HttpClock, refused
from adapters.http.settings import HttpEndpointSettings
from adapters.xml.hardened import XmlRefused, parse_xml

PEER = "the court"
# The SOAP 1.2 HTTP binding answers a Sender fault with 400, other faults with 500.
FAULT_STATUSES = (400, 500)


@dataclass(frozen=True)
class SoapVersion:
    number: str
    namespace: str
    media_type: str

    def content_type(self, action: str) -> str:
        if self.number == "1.1" or not action:  # SOAP 1.2's action parameter is optional
            return f"{self.media_type}; charset=utf-8"
        return f'{self.media_type}; charset=utf-8; action="{action}"'

    def headers(self, action: str) -> dict[str, str]:
        headers = {"Content-Type": self.content_type(action)}
        if self.number == "1.1":
            headers["SOAPAction"] = f'"{action}"'
        return headers

    def tag(self, local: str) -> str:
        return f"{{{self.namespace}}}{local}"


SOAP_11 = SoapVersion("1.1", "http://schemas.xmlsoap.org/soap/envelope/", "text/xml")
SOAP_12 = SoapVersion("1.2", "http://www.w3.org/2003/05/soap-envelope", "application/soap+xml")
VERSIONS = {v.number: v for v in (SOAP_11, SOAP_12)}


class SoapSettings(HttpEndpointSettings):
    soap_version: Literal["1.1", "1.2"] = "1.1"
    filing_action: str
    query_action: str
    status_query: bool = Field(
        default=True,
        description="Whether the court answers GetFilingStatus; false: it only calls back.",
    )
    status_action: str = Field(
        default="", description="The SOAPAction of GetFilingStatus in the court's WSDL."
    )

    @field_validator("filing_action", "query_action", "status_action")
    @classmethod
    def _header_safe(cls, action: str) -> str:
        # Both versions put the action in a quoted header value.
        if re.search(r'[\s"]', action):
            raise ValueError("a SOAP action URI may not contain spaces or quotes")
        return action


class SoapTransport(CourtTransport):
    name: ClassVar[str] = "soap"
    Settings: ClassVar[type[BaseModel]] = SoapSettings

    def __init__(self, settings: SoapSettings, *, clock: HttpClock | None = None) -> None:
        super().__init__(settings)
        self.settings: SoapSettings = settings
        self.version = VERSIONS[settings.soap_version]
        self.http = HttpClient(settings, peer=PEER, clock=clock or HttpClock())

    async def send_filing(self, document: FilingDocument) -> SentFiling:
        body = await self._call(
            self.settings.filing_action, document.content, document.idempotency_key
        )
        return SentFiling(
            reference=own_reference(document.idempotency_key),
            reply=None if body is None else serialised(body),
        )

    async def pull_case(self, query: CaseQuery) -> bytes | None:
        if query.document is None:
            return None  # the format wrote no query: SOAP has no ask-by-number of its own
        body = await self._call(
            self.settings.query_action, query.document.content, query.document.idempotency_key
        )
        if body is None:
            raise AdapterError(f"{PEER}'s reply to the case query has an empty SOAP Body")
        return serialised(body)

    async def filing_status(self, query: StatusQuery) -> bytes | None:
        if not self.settings.status_query or query.document is None:
            return None  # this court calls back instead, or the format writes no question
        if query.court_reference == own_reference(query.idempotency_key):
            return None  # the court gave no id for the filing (an empty reply): none to ask by
        body = await self._call(self.settings.status_action, query.document.content, None)
        if body is None:
            raise AdapterError(f"{PEER}'s reply to GetFilingStatus has an empty SOAP Body")
        return serialised(body)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def _call(
        self, action: str, payload: bytes, idempotency_key: str | None
    ) -> "etree._Element | None":
        response = await self.http.request(
            "POST",
            self.settings.endpoint,
            content=envelope(self.version, payload),
            headers=self.version.headers(action),
            idempotency_key=idempotency_key,
            accept_statuses=FAULT_STATUSES,
        )
        if not response.content.strip() and response.is_success:
            return None  # a one-way acknowledgement (202)
        reply = _envelope_or_none(response)
        if reply is None:
            raise refused(response, PEER)  # a gateway's error page, not a SOAP fault
        child = body_child(reply, self.version)  # raises on a fault, whatever the status
        if not response.is_success:
            raise refused(response, PEER)
        return child


def _envelope_or_none(response: httpx.Response) -> "etree._Element | None":
    """The reply's root element; None for an error status without a SOAP envelope. A 2xx
    reply that is not XML, or is hostile, is refused as the court document it claims to be."""
    if not response.is_success:
        try:
            root = parse_xml(response.content)
        except XmlRefused:
            return None
        return root if is_envelope(root) else None
    try:
        return parse_xml(response.content)
    except XmlRefused as e:
        raise AdapterError(f"{PEER}'s SOAP reply was refused: {e}") from None


def own_reference(idempotency_key: str) -> str:
    """Our reference for a filing whose reply named none (a one-way acknowledgement)."""
    return f"soap:{idempotency_key}"


def serialised(element: "etree._Element") -> bytes:
    # Without the tail: the whitespace after the element in the Body is not part of it.
    return bytes(etree.tostring(element, with_tail=False))


def envelope(version: SoapVersion, payload: bytes) -> bytes:
    """`payload` (a format's XML document) as the Body of a `version` envelope."""
    try:
        document = parse_xml(payload)
    except XmlRefused as e:
        raise AdapterError(f"the document to send is not usable XML: {e}") from None
    root = etree.Element(version.tag("Envelope"), nsmap={"soap": version.namespace})
    etree.SubElement(root, version.tag("Body")).append(document)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def body_child(reply: "etree._Element", version: SoapVersion) -> "etree._Element | None":
    """The first element in the reply's Body (None when empty); a fault or a reply that is
    not a `version` envelope raises `AdapterError`."""
    _check_envelope(reply, version)
    body = reply.find(version.tag("Body"))
    if body is None:
        raise AdapterError(f"{PEER}'s SOAP {version.number} reply has no Body")
    child = next((c for c in body if isinstance(c.tag, str)), None)
    if child is not None and child.tag == version.tag("Fault"):
        raise AdapterError(f"{PEER} answered with a SOAP fault: {fault_summary(child, version)}")
    return child


def is_envelope(reply: "etree._Element") -> bool:
    return any(reply.tag == version.tag("Envelope") for version in VERSIONS.values())


def _check_envelope(reply: "etree._Element", version: SoapVersion) -> None:
    if reply.tag == version.tag("Envelope"):
        return
    for other in VERSIONS.values():
        if reply.tag == other.tag("Envelope"):
            raise AdapterError(
                f"{PEER} replied in SOAP {other.number}, but this jurisdiction is "
                f"configured for SOAP {version.number} (transport soap_version)"
            )
    raise AdapterError(
        f"{PEER}'s reply is not a SOAP envelope (root element {etree.QName(reply).localname})"
    )


def fault_summary(fault: "etree._Element", version: SoapVersion) -> str:
    """`code: reason` of a fault. SOAP 1.1 keeps them in unqualified faultcode/faultstring;
    SOAP 1.2 in Code/Value (refined by Subcode/Value) and Reason/Text (one per language)."""
    if version is SOAP_11:
        code = fault.findtext("faultcode")
        reason = fault.findtext("faultstring")
    else:
        values = fault.findall(f"{version.tag('Code')}//{version.tag('Value')}")
        code = " / ".join((v.text or "").strip() for v in values) or None
        reason = _reason_text(fault, version)
    return f"{(code or '(no code)').strip()}: {(reason or '(no reason)').strip()}"


def _reason_text(fault: "etree._Element", version: SoapVersion) -> str | None:
    texts = fault.findall(f"{version.tag('Reason')}/{version.tag('Text')}")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    english = [t for t in texts if (t.get(lang) or "").lower().startswith("en")]
    chosen = (english or texts)[:1]
    return chosen[0].text if chosen else None
