"""ECF GetFilingStatus, as the formats write and read it: the question names the filing by
the court's id for it, in the elements and order of the ECF 4.01 `FilingStatusQueryMessage`
and the ECF 5.0 `GetFilingStatusRequestMessage` (checked against the OASIS schemas when
written; the repository holds no copy of them); the answer's `ecf:FilingStatus` is read as
a callback's, and an answer with errors and no status is the court having none to give."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree

from adapters.courts.base import CourtFormat, FilingStatus
from adapters.courts.ecf4_format import Ecf4CourtFormat
from adapters.courts.ecf5_format import Ecf5CourtFormat
from adapters.courts.xml_settings import XmlFormatSettings
from adapters.errors import AdapterError
from adapters.xml.reading import MissingField
from tests.adapters.test_ecf5_format import CASE_FILING_ORDER

FIXTURES = Path(__file__).parent.parent / "fixtures" / "courts"
ECF4 = "urn:oasis:names:tc:legalxml-courtfiling:schema:xsd"
ECF5 = "https://docs.oasis-open.org/legalxml-courtfiling/ns/v5.0"
NC2 = "http://niem.gov/niem/niem-core/2.0"
NC4 = "http://release.niem.gov/niem/niem-core/4.0/"
REFERENCE = "HRCC-F-2026-11873"
KEY = "case-demo-CR-2026-00417:report:1"


def ecf(generation: str, **settings: object) -> CourtFormat:
    chosen = XmlFormatSettings.model_validate(settings)
    return Ecf4CourtFormat(chosen) if generation == "ecf4" else Ecf5CourtFormat(chosen)


def question(generation: str, **settings: object) -> etree._Element:
    query = ecf(generation, **settings).render_status_query(REFERENCE, KEY)
    assert query.court_reference == REFERENCE and query.idempotency_key == KEY
    assert query.document is not None and query.document.content_type == "application/xml"
    return etree.fromstring(query.document.content)


def names(element: etree._Element) -> list[str]:
    return [etree.QName(child).localname for child in element]


def text(element: etree._Element, path: str, ns: dict[str, str]) -> str | None:
    found = element.findtext(path, namespaces=ns)
    return None if found is None else str(found)


def answer(generation: str, name: str) -> FilingStatus:
    return ecf(generation).parse_filing_status((FIXTURES / generation / name).read_bytes())


# --- the question ----------------------------------------------------------------------------


def test_an_ecf4_question_is_a_filing_status_query_message_naming_the_filing() -> None:
    root = question("ecf4", court_id="HRCC")
    assert root.tag == f"{{{ECF4}:FilingStatusQueryMessage-4.0}}FilingStatusQueryMessage"
    # QueryMessageType's elements in the schema's order, then the filing asked about.
    assert names(root) == [
        "SendingMDELocationID",
        "SendingMDEProfileCode",
        "QuerySubmitter",
        "CaseCourt",
        "DocumentIdentification",
    ]
    ns = {"nc": NC2, "j": "http://niem.gov/niem/domains/jxdm/4.0"}
    assert text(root, "nc:DocumentIdentification/nc:IdentificationID", ns) == REFERENCE
    court = "j:CaseCourt/nc:OrganizationIdentification/nc:IdentificationID"
    assert text(root, court, ns) == "HRCC"


def test_an_ecf5_question_is_wrapped_and_names_the_filing_first() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    wrapper = question("ecf5", court_id="MRDC")
    assert wrapper.tag == f"{{{ECF5}/wrappers}}GetFilingStatusRequest"
    [message] = wrapper
    assert message.tag == f"{{{ECF5}/filingstatusrequest}}GetFilingStatusRequestMessage"
    # nc:DocumentType's identification, then CaseFilingType's elements in the schema's order.
    assert names(message) == CASE_FILING_ORDER
    ns = {"nc": NC4, "j": "http://release.niem.gov/niem/domains/jxdm/6.0/"}
    assert text(message, "nc:DocumentIdentification/nc:IdentificationID", ns) == REFERENCE
    court = "j:CaseCourt/nc:OrganizationIdentification/nc:IdentificationID"
    assert text(message, court, ns) == "MRDC"
    sent = datetime.fromisoformat(text(message, "nc:DocumentPostDate/nc:DateTime", ns) or "")
    assert sent.utcoffset() == timedelta(0) and before <= sent <= datetime.now(UTC)


@pytest.mark.parametrize("generation", ["ecf4", "ecf5"])
def test_without_a_court_id_in_the_settings_the_question_names_no_court(generation: str) -> None:
    root = question(generation)
    message = root if generation == "ecf4" else root[0]
    assert "CaseCourt" not in names(message)
    assert "DocumentIdentification" in names(message)


@pytest.mark.parametrize("generation", ["ecf4", "ecf5"])
@pytest.mark.parametrize("settings", [{}, {"court_id": "HRCC"}])
def test_the_case_s_own_court_is_named_whatever_the_settings_name(
    generation: str, settings: dict[str, object]
) -> None:
    # A jurisdiction whose cases come before several courts: each is asked of its own.
    query = ecf(generation, **settings).render_status_query(REFERENCE, KEY, court_id="HRCC-N")
    assert query.document is not None
    root = etree.fromstring(query.document.content)
    message = root if generation == "ecf4" else root[0]
    [court] = message.findall("{*}CaseCourt/{*}OrganizationIdentification/{*}IdentificationID")
    assert court.text == "HRCC-N"


@pytest.mark.parametrize("generation", ["ecf4", "ecf5"])
def test_the_question_follows_a_court_on_another_niem_release(generation: str) -> None:
    other = "http://release.niem.gov/niem/niem-core/5.0/"
    root = question(generation, namespaces={"nc": other})
    found = root.find(f".//{{{other}}}DocumentIdentification/{{{other}}}IdentificationID")
    assert found is not None and found.text == REFERENCE


# --- the answer ------------------------------------------------------------------------------


@pytest.mark.parametrize("generation", ["ecf4", "ecf5"])
def test_an_answer_that_the_filing_was_accepted(generation: str) -> None:
    status = answer(generation, "status-accepted-query.xml")
    assert (status.state, status.reason) == ("accepted", None)
    assert status.court_reference == ("MRDC-E-2026-20417" if generation == "ecf5" else REFERENCE)


@pytest.mark.parametrize(
    ("generation", "reason"),
    [
        ("ecf4", "Returned: the report names a hearing date this court never set."),
        ("ecf5", "Rejected: the case is sealed; file under seal."),
    ],
)
def test_an_answer_that_the_filing_was_rejected_gives_the_clerks_words(
    generation: str, reason: str
) -> None:
    status = answer(generation, "status-rejected-query.xml")
    assert (status.state, status.reason) == ("rejected", reason)


@pytest.mark.parametrize("generation", ["ecf4", "ecf5"])
def test_an_answer_that_the_filing_is_still_before_the_clerk(generation: str) -> None:
    status = answer(generation, "status-received-query.xml")
    assert (status.state, status.pending, status.reason) == ("received", True, None)


@pytest.mark.parametrize(
    ("generation", "words"),
    [
        ("ecf4", "No filing HRCC-F-2026-99999 in this court. (error code -17)"),
        ("ecf5", "No filing MRDC-E-2026-99999 in this court. (error code -17)"),
    ],
)
def test_an_unknown_filing_is_still_received_with_the_courts_words(
    generation: str, words: str
) -> None:
    # Not a rejection (a refile on it could file the report twice), not a crash.
    status = answer(generation, "status-query-unknown-filing.xml")
    assert (status.state, status.court_reference) == ("received", "")
    assert status.reason == f"the court gave no status for the filing: {words}"


def test_the_ecf4_answer_names_the_case() -> None:
    assert answer("ecf4", "status-accepted-query.xml").case_number == "HC-CR-2026-003158"


def test_an_answer_with_neither_a_status_nor_an_error_is_refused() -> None:
    document = (
        f'<FilingStatusResponseMessage xmlns="{ECF4}:FilingStatusResponseMessage-4.0"'
        f' xmlns:ecf="{ECF4}:CommonTypes-4.0"><ecf:Error><ecf:ErrorCode>0</ecf:ErrorCode>'
        "</ecf:Error></FilingStatusResponseMessage>"
    ).encode()
    with pytest.raises(MissingField, match="the filing status code"):
        ecf("ecf4").parse_filing_status(document)


def test_a_status_code_no_format_knows_is_refused_when_the_court_reports_no_error() -> None:
    document = (FIXTURES / "ecf5" / "status-accepted-query.xml").read_bytes()
    odd = document.replace(b">accepted<", b">pending-payment<")
    with pytest.raises(AdapterError, match="'pending-payment' is not one this format knows"):
        ecf("ecf5").parse_filing_status(odd)


def test_a_hostile_answer_is_refused() -> None:
    hostile = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(AdapterError):
        ecf("ecf4").parse_filing_status(hostile)
