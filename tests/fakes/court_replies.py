"""What the fake court answers, in the words each transport reads: JSON for `rest`
(adapters/courts/rest_transport.py with the json format), SOAP 1.1 envelopes for `soap`
(adapters/courts/soap_transport.py; the ECF messages themselves: tests/fakes/court_ecf.py)."""

import json
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "courts"
SOAP_11 = "http://schemas.xmlsoap.org/soap/envelope/"
REFUSAL = "The docket number does not match an open case in this court."


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json"


# -- REST ---------------------------------------------------------------------------------


def rest_filed(reference: str) -> Reply:
    """The json format reads the answer as a filing status (adapters/courts/json_format)."""
    body = {"court_reference": reference, "accepted": True}
    return Reply(201, json.dumps(body).encode())


def rest_refused(reference: str) -> Reply:
    body = {"court_reference": reference, "accepted": False, "reason": REFUSAL}
    return Reply(200, json.dumps(body).encode())


def rest_already_filed(key: str, reference: str) -> Reply:
    """A resend of a key already docketed: exactly the body the transport trusts."""
    body = {"status": "already_filed", "idempotency_key": key, "court_reference": reference}
    return Reply(409, json.dumps(body).encode())


def rest_error() -> Reply:
    return Reply(500, b'{"title": "Internal Server Error"}')


def rest_no_such_case() -> Reply:
    return Reply(404, b'{"title": "Not Found"}')


# -- SOAP (ECF 4.01) ----------------------------------------------------------------------


def soap_envelope(payload: str) -> Reply:
    text = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_11}"><soap:Body>{payload}</soap:Body></soap:Envelope>'
    )
    return Reply(200, text.encode(), "text/xml; charset=utf-8")


def soap_error() -> Reply:
    fault = (
        "<soap:Fault><faultcode>soap:Server</faultcode>"
        "<faultstring>the e-filing manager is unavailable</faultstring></soap:Fault>"
    )
    reply = soap_envelope(fault)
    return Reply(500, reply.body, reply.content_type)


def soap_case(generation: str = "ecf4") -> Reply:
    """GetCase: the court's case document in its ECF generation (an invented one; its
    hearing is long past, so a case reading it gains no hearing to report before)."""
    document = (FIXTURES / generation / "referral-plain.xml").read_text(encoding="utf-8")
    body = document.split("?>", 1)[1] if document.startswith("<?xml") else document
    return soap_envelope(body.strip())


ECF = "urn:oasis:names:tc:legalxml-courtfiling:schema:xsd"


def soap_docketed_callback(key: str) -> bytes:
    """What the court posts back once its clerk dockets a filing: an ECF 4.01
    RecordDocketingCallbackMessage naming the filing by our idempotency key."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        "<RecordDocketingCallbackMessage"
        f' xmlns="{ECF}:RecordDocketingCallbackMessage-4.0"'
        ' xmlns:ecf="urn:oasis:names:tc:legalxml-courtfiling:schema:xsd:CommonTypes-4.0"'
        ' xmlns:nc="http://niem.gov/niem/niem-core/2.0">'
        f"<nc:DocumentIdentification><nc:IdentificationID>{key}</nc:IdentificationID>"
        "</nc:DocumentIdentification>"
        "<ecf:FilingStatus><nc:StatusDescriptionText>Docketed.</nc:StatusDescriptionText>"
        "<ecf:FilingStatusCode>docketed</ecf:FilingStatusCode></ecf:FilingStatus>"
        "</RecordDocketingCallbackMessage>"
    ).encode()
