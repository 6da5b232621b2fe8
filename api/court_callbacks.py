"""A court's docketing callbacks over SOAP (ECF `RecordDocketingCallbackMessage`, or a
review callback), delivered to the case they are about (`diversion.court_answers`).

The court's system posts the callback as a SOAP 1.1 (`text/xml`) or 1.2
(`application/soap+xml`) envelope, or the bare message (`application/xml`). It is read by
the jurisdiction's own ECF format through the hardened parser (no DTD, no entities, size
and depth limits). The answer is a SOAP envelope in the caller's version: an ECF 4.01
`MessageReceiptMessage` (error code 0) once the case has the answer, a SOAP fault (1.1:
`soap:Client`, HTTP 500; 1.2: `soap:Sender`, HTTP 400) when the callback cannot be read or
taken, with the reason. Authentication and a case that is not there answer as the rest
of the API does (problem+json), so a caller learns nothing of another jurisdiction.
"""

import asyncio

from fastapi import Response
from lxml import etree
from pydantic import ValidationError
from temporalio.client import Client
from temporalio.service import RPCError

from adapters.courts.court_adapter import CourtAdapter
from adapters.courts.soap_transport import SOAP_11, SOAP_12, SoapVersion
from adapters.errors import AdapterError
from adapters.registry import describe
from api.problems import ProblemError, ProblemKind
from diversion.court_answers import AnswerRefused, NoSuchCase, deliver

ECF = "urn:oasis:names:tc:legalxml-courtfiling:schema:xsd"
RECEIPT_NS = f"{ECF}:MessageReceiptMessage-4.0"
ECF_NS = f"{ECF}:CommonTypes-4.0"
NC_NS = "http://niem.gov/niem/niem-core/2.0"
PROFILE = f"{ECF}:WebServicesMessaging-2.0"
SENDER = "urn:restorative-diversion"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTENT_TYPES = ("text/xml", "application/soap+xml", "application/xml")
FORMATS = ("ecf4", "ecf5")


async def take_callback(
    client: Client, jurisdiction: str, adapter: CourtAdapter, document: bytes, content_type: str
) -> Response:
    """The callback delivered to its case: a receipt, a SOAP fault, or a problem."""
    if content_type.split(";", 1)[0].strip().lower() not in CONTENT_TYPES:
        raise ProblemError(
            ProblemKind.UNSUPPORTED_MEDIA_TYPE,
            f"send the callback as {', '.join(CONTENT_TYPES)}, not {content_type!r}",
        )
    version = soap_version(content_type)
    try:
        status = await asyncio.to_thread(adapter.parse_filing_status, document)
        delivered = await deliver(client, jurisdiction, status)
    except NoSuchCase as e:
        raise ProblemError(ProblemKind.NOT_FOUND, str(e)) from None
    except (AdapterError, AnswerRefused, ValidationError) as e:
        reason = describe(e) if isinstance(e, ValidationError) else str(e)
        content, code = fault(version, f"the callback was not taken: {reason}")
        return Response(content, status_code=code, media_type=version.media_type)
    except RPCError as e:
        raise ProblemError(
            ProblemKind.UPSTREAM_UNAVAILABLE, f"the case could not be reached ({e.status.name})"
        ) from None
    reference = status.court_reference or delivered.case_id
    return Response(receipt(version, reference), media_type=version.media_type)


def soap_version(content_type: str) -> SoapVersion:
    """The caller's SOAP version, by its content type (a bare message is answered in 1.1)."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    return SOAP_12 if media_type == SOAP_12.media_type else SOAP_11


def receipt(version: SoapVersion, reference: str) -> bytes:
    """The callback taken: a MessageReceiptMessage naming the filing, error code 0."""
    message = etree.Element(
        f"{{{RECEIPT_NS}}}MessageReceiptMessage",
        nsmap={None: RECEIPT_NS, "ecf": ECF_NS, "nc": NC_NS},
    )
    document = etree.SubElement(message, f"{{{NC_NS}}}DocumentIdentification")
    etree.SubElement(document, f"{{{NC_NS}}}IdentificationID").text = reference
    sender = etree.SubElement(message, f"{{{ECF_NS}}}SendingMDELocationID")
    etree.SubElement(sender, f"{{{NC_NS}}}IdentificationID").text = SENDER
    etree.SubElement(message, f"{{{ECF_NS}}}SendingMDEProfileCode").text = PROFILE
    error = etree.SubElement(message, f"{{{ECF_NS}}}Error")
    etree.SubElement(error, f"{{{ECF_NS}}}ErrorCode").text = "0"
    etree.SubElement(error, f"{{{ECF_NS}}}ErrorText").text = "No error"
    return _envelope(version, message)


def fault(version: SoapVersion, reason: str) -> tuple[bytes, int]:
    """The callback refused, as the caller's SOAP version says a sender's fault is sent."""
    if version is SOAP_11:
        element = etree.Element(version.tag("Fault"))
        etree.SubElement(element, "faultcode").text = "soap:Client"
        etree.SubElement(element, "faultstring").text = reason
        return _envelope(version, element), 500
    element = etree.Element(version.tag("Fault"))
    code = etree.SubElement(element, version.tag("Code"))
    etree.SubElement(code, version.tag("Value")).text = "soap:Sender"
    text = etree.SubElement(etree.SubElement(element, version.tag("Reason")), version.tag("Text"))
    text.set(XML_LANG, "en")
    text.text = reason
    return _envelope(version, element), 400


def _envelope(version: SoapVersion, content: etree._Element) -> bytes:
    root = etree.Element(version.tag("Envelope"), nsmap={"soap": version.namespace})
    etree.SubElement(root, version.tag("Body")).append(content)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
