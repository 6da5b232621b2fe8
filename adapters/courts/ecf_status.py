"""Reading the court's answer to a filing, in either ECF generation: the synchronous
receipt (error code "0" = received: the clerk decides later), a later review/docketing
callback carrying an `ecf:FilingStatusCode` (accepted, rejected, or still received), or
the Filing Review MDE's answer to GetFilingStatus, which carries the same
`ecf:FilingStatus`. A generation names its elements in `StatusNames`; the status codes and
their meaning are shared.

A GetFilingStatus answer with error codes and no `ecf:FilingStatus` is the court saying it
has no status to give for that filing (ECF names no code for "unknown filing"). That is
read as still received, with the court's words, not as a rejection: a court's index can
lag its receipt, and a refile on that word would risk filing the report twice. The case
keeps asking, and staff check with the clerk once the policy's patience runs out.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree
from lxml.etree import _Element as Element

from adapters.code_lists import code_key
from adapters.courts.base import FilingStatus
from adapters.courts.xml_template import local_name, qname, where
from adapters.errors import AdapterError
from adapters.xml.reading import MissingField, XmlReader
from domain.filing_status import FilingState

FILING_STATUS_CODE = "ecf:FilingStatus/ecf:FilingStatusCode"
FILING_STATUS_TEXT = "ecf:FilingStatus/nc:StatusDescriptionText"
RECEIVED_CODE = "0"
ACCEPTED_STATUSES = frozenset({"accepted", "docketed", "filed"})
REJECTED_STATUSES = frozenset({"rejected", "returned", "denied"})
RECEIVED_STATUSES = frozenset({"received", "submitted", "under review"})
KNOWN_STATUSES = ACCEPTED_STATUSES | REJECTED_STATUSES | RECEIVED_STATUSES


@dataclass(frozen=True)
class StatusNames:
    """Where a generation keeps a filing status; paths use the vocabulary's prefixes."""

    receipt: str
    receipt_error: str
    error_code: str
    error_text: str
    callbacks: tuple[str, ...]
    reference: tuple[str, ...]
    case_number: tuple[str, ...] = ()
    query_response: str = ""
    """The answer to GetFilingStatus; its errors are where the receipt keeps them."""
    query_filing: str | None = None
    """Where that answer keeps the filing (its reference and `ecf:FilingStatus`); None
    for the message itself."""


def read_status(root: Element, ns: Mapping[str, str], names: StatusNames) -> FilingStatus:
    """A receipt, a review/docketing callback or an answer to GetFilingStatus, bare or in
    any envelope."""
    reader = XmlReader(root, ns)
    query_response = (names.query_response,) if names.query_response else ()
    messages = (names.receipt, *query_response, *names.callbacks)
    tags = {qname(name, ns) for name in messages}
    message = next((el for el in root.iter() if el.tag in tags), None)
    if message is None:
        expected = ", ".join(local_name(n) for n in messages)
        raise AdapterError(
            f"no filing status in the document (expected one of {expected}; "
            f"the root is <{etree.QName(root).localname}>)"
        )
    if query_response and message.tag == qname(names.query_response, ns):
        return _answer_to_query(reader, message, names)
    reference = reader.first_text(message, names.reference)
    if message.tag == qname(names.receipt, ns):
        state, reason = _receipt(reader, message, names)
    else:
        state, reason = _callback(reader, message)
    if reference is None and state != "rejected":
        raise MissingField(
            f"the court took the filing but named no reference for it (expected "
            f"{names.reference[0]} in {where(message)})"
        )
    return FilingStatus(
        court_reference=reference or "",
        accepted=state == "accepted",
        pending=state == "received",
        reason=reason,
        case_number=reader.first_text(message, names.case_number) if names.case_number else None,
    )


def _answer_to_query(reader: XmlReader, response: Element, names: StatusNames) -> FilingStatus:
    """GetFilingStatus's answer: the filing's `ecf:FilingStatus`, read as a callback's; or,
    with errors and no status code this format knows, the court's words for why it gave
    none (still received)."""
    failures = _failures(reader, response, names, "the answer's error code")
    filing = response if names.query_filing is None else reader.first(response, names.query_filing)
    code = None if filing is None else reader.text(filing, FILING_STATUS_CODE)
    if failures and (code is None or code_key(code) not in KNOWN_STATUSES):
        return FilingStatus(
            court_reference="",
            accepted=False,
            pending=True,
            reason=f"the court gave no status for the filing: {'; '.join(failures)}",
        )
    if filing is None:
        raise MissingField(f"the answer has no {names.query_filing} ({where(response)})")
    state, reason = _callback(reader, filing)
    return FilingStatus(
        court_reference=reader.first_text(filing, names.reference) or "",
        accepted=state == "accepted",
        pending=state == "received",
        reason=reason,
        case_number=reader.first_text(filing, ("nc:Case/nc:CaseDocketID", *names.case_number)),
    )


def _receipt(
    reader: XmlReader, receipt: Element, names: StatusNames
) -> tuple[FilingState, str | None]:
    if not reader.all(receipt, names.receipt_error):
        raise MissingField(f"the receipt has no {names.receipt_error} ({where(receipt)})")
    failures = _failures(reader, receipt, names, "the receipt's error code")
    # Received, not accepted: the clerk reviews and dockets it later (a callback).
    return ("rejected", "; ".join(failures)) if failures else ("received", None)


def _failures(reader: XmlReader, message: Element, names: StatusNames, what: str) -> list[str]:
    """The message's errors other than code "0" (none), each as the court words it."""
    failures = []
    for error in reader.all(message, names.receipt_error):
        code = reader.required(error, names.error_code, what)
        if code != RECEIVED_CODE:
            text = reader.text(error, names.error_text) or "no description given"
            failures.append(f"{text} (error code {code})")
    return failures


def _callback(reader: XmlReader, callback: Element) -> tuple[FilingState, str | None]:
    code = reader.required(callback, FILING_STATUS_CODE, "the filing status code")
    key = code_key(code)
    if key in ACCEPTED_STATUSES:
        return "accepted", None
    if key in REJECTED_STATUSES:
        return "rejected", reader.text(callback, FILING_STATUS_TEXT) or f"status code {code!r}"
    if key in RECEIVED_STATUSES:
        return "received", None
    raise AdapterError(
        f"filing status code {code!r} is not one this format knows (accepted: "
        f"{', '.join(sorted(ACCEPTED_STATUSES))}; rejected: {', '.join(sorted(REJECTED_STATUSES))}"
        f"; received: {', '.join(sorted(RECEIVED_STATUSES))})"
    )
