"""Reading the court's answer to a filing, in either ECF generation: the synchronous
receipt (error code "0" = received: the clerk decides later) or a later review/docketing
callback carrying an `ecf:FilingStatusCode` (accepted, rejected, or still received). A
generation names its elements in `StatusNames`; the status codes and their meaning are
shared.
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


def read_status(root: Element, ns: Mapping[str, str], names: StatusNames) -> FilingStatus:
    """A receipt or a review/docketing callback, bare or in any envelope."""
    reader = XmlReader(root, ns)
    messages = (names.receipt, *names.callbacks)
    tags = {qname(name, ns) for name in messages}
    message = next((el for el in root.iter() if el.tag in tags), None)
    if message is None:
        expected = ", ".join(local_name(n) for n in messages)
        raise AdapterError(
            f"no filing status in the document (expected one of {expected}; "
            f"the root is <{etree.QName(root).localname}>)"
        )
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


def _receipt(
    reader: XmlReader, receipt: Element, names: StatusNames
) -> tuple[FilingState, str | None]:
    errors = reader.all(receipt, names.receipt_error)
    if not errors:
        raise MissingField(f"the receipt has no {names.receipt_error} ({where(receipt)})")
    failures = []
    for error in errors:
        code = reader.required(error, names.error_code, "the receipt's error code")
        if code != RECEIVED_CODE:
            text = reader.text(error, names.error_text) or "no description given"
            failures.append(f"{text} (error code {code})")
    # Received, not accepted: the clerk reviews and dockets it later (a callback).
    return ("rejected", "; ".join(failures)) if failures else ("received", None)


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
