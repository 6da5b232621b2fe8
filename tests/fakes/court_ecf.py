"""What the fake court's ECF Filing Review MDE answers over SOAP 1.1, in either generation:
ECF 4.01 at `/ecf`, ECF 5.0 at `/ecf5`. A filing gets a receipt (received, error code 0;
or refused); a GetFilingStatus question (ECF 4.01 `FilingStatusQueryMessage`, ECF 5.0
`wrappers:GetFilingStatusRequest`, told apart from a filing by the Body's element, since
the OASIS WSDLs bind every operation with an empty SOAPAction) gets the filing's status as
the court holds it now, or errors for a filing id it does not know."""

from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape

from adapters.xml.hardened import XmlRefused, parse_xml
from tests.fakes.court_replies import Reply, soap_envelope

Generation = Literal["ecf4", "ecf5"]
ECF4 = "urn:oasis:names:tc:legalxml-courtfiling:schema:xsd"
ECF5 = "https://docs.oasis-open.org/legalxml-courtfiling/ns/v5.0"
NC4 = "http://release.niem.gov/niem/niem-core/4.0/"
CBRN = "http://release.niem.gov/niem/domains/cbrn/4.0/"
STATUS_QUESTIONS = {
    f"{{{ECF4}:FilingStatusQueryMessage-4.0}}FilingStatusQueryMessage": "ecf4",
    f"{{{ECF5}/wrappers}}GetFilingStatusRequest": "ecf5",
}
UNKNOWN_FILING = -17  # the fake court's own code: ECF names none for "no such filing"


@dataclass(frozen=True)
class CourtStatus:
    """A filing's status as the court's system would give it: a code from the ECF code
    lists (received, docketed, rejected), the clerk's words for a rejection."""

    code: str
    reason: str | None = None


def generation(path: str) -> Generation:
    return "ecf5" if path.startswith("/ecf5") else "ecf4"


@dataclass(frozen=True)
class StatusQuestion:
    """What a GetFilingStatus question asks: the filing id ("" when it names none), and
    the court it is put to (None when it names none)."""

    reference: str
    court: str | None


def status_question(body: bytes) -> StatusQuestion | None:
    """The GetFilingStatus question in `body`; None when the body is not one (a filing)."""
    try:
        envelope = parse_xml(body)
    except XmlRefused:
        return None
    question = next((el for el in envelope.iter() if el.tag in STATUS_QUESTIONS), None)
    if question is None:
        return None
    ids = question.xpath(
        ".//*[local-name()='DocumentIdentification']/*[local-name()='IdentificationID']/text()"
    )
    courts = question.xpath(
        ".//*[local-name()='CaseCourt']//*[local-name()='IdentificationID']/text()"
    )
    return StatusQuestion(
        reference=str(ids[0]).strip() if ids else "",
        court=str(courts[0]).strip() if courts else None,
    )


def receipt(gen: Generation, reference: str, code: int, text: str) -> Reply:
    if gen == "ecf4":
        return soap_envelope(
            f'<MessageReceiptMessage xmlns="{ECF4}:MessageReceiptMessage-4.0"'
            f"{_ECF4_PREFIXES}>{_id4(reference)}{_error4(code, text)}</MessageReceiptMessage>"
        )
    return soap_envelope(
        f'<wrappers:ReviewFilingResponse xmlns:wrappers="{ECF5}/wrappers"'
        f' xmlns:nc="{NC4}" xmlns:cbrn="{CBRN}">'
        f"{_id5(reference)}{_status5(code, text)}</wrappers:ReviewFilingResponse>"
    )


def status_answer(gen: Generation, reference: str, status: CourtStatus | None) -> Reply:
    """The answer to GetFilingStatus about `reference`; `status` None: no such filing."""
    if status is None:
        code, text, filing = UNKNOWN_FILING, f"No filing {reference} in this court.", ""
    else:
        code, text, filing = 0, "No error", status.code
    words = "No such filing." if status is None else (status.reason or "As the court holds it.")
    filing_status = (
        f"<ecf:FilingStatus><nc:StatusDescriptionText>{_escaped(words)}</nc:StatusDescriptionText>"
        f"<ecf:FilingStatusCode>{filing}</ecf:FilingStatusCode></ecf:FilingStatus>"
    )
    if gen == "ecf4":
        return soap_envelope(
            f'<FilingStatusResponseMessage xmlns="{ECF4}:FilingStatusResponseMessage-4.0"'
            f"{_ECF4_PREFIXES}>{_error4(code, text)}{_id4(reference)}{filing_status}"
            "</FilingStatusResponseMessage>"
        )
    return soap_envelope(
        f'<wrappers:GetFilingStatusResponse xmlns:wrappers="{ECF5}/wrappers"'
        f' xmlns:fsr="{ECF5}/filingstatusresponse" xmlns:ecf="{ECF5}/ecf" xmlns:nc="{NC4}"'
        f' xmlns:cbrn="{CBRN}"><fsr:GetFilingStatusResponseMessage>{_status5(code, text)}'
        f"<ecf:MatchingFiling>{_id5(reference)}{filing_status}</ecf:MatchingFiling>"
        "</fsr:GetFilingStatusResponseMessage></wrappers:GetFilingStatusResponse>"
    )


_ECF4_PREFIXES = (
    f' xmlns:ecf="{ECF4}:CommonTypes-4.0" xmlns:nc="http://niem.gov/niem/niem-core/2.0"'
)


def _id4(reference: str) -> str:
    return (
        f"<nc:DocumentIdentification><nc:IdentificationID>{_escaped(reference)}"
        "</nc:IdentificationID></nc:DocumentIdentification>"
    )


_id5 = _id4  # the same element names, in NIEM 4.0's namespace (bound to `nc` above)


def _error4(code: int, text: str) -> str:
    return (
        f"<ecf:Error><ecf:ErrorCode>{code}</ecf:ErrorCode>"
        f"<ecf:ErrorText>{_escaped(text)}</ecf:ErrorText></ecf:Error>"
    )


def _status5(code: int, text: str) -> str:
    return (
        "<cbrn:MessageStatus><cbrn:MessageContentError><cbrn:ErrorDescription>"
        f"<cbrn:ErrorCodeText>{code}</cbrn:ErrorCodeText>"
        f"<cbrn:ErrorCodeDescriptionText>{_escaped(text)}</cbrn:ErrorCodeDescriptionText>"
        "</cbrn:ErrorDescription></cbrn:MessageContentError></cbrn:MessageStatus>"
    )


def _escaped(text: str) -> str:
    return escape(text)
