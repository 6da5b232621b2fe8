"""The NIEM 5.0 / jxdm 7.2 court exchange: case initiation, court events, filings, statuses."""

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from adapters.courts.base import CourtFormat
from adapters.courts.niem_format import DEFAULT_NAMESPACES, NiemCourtFormat
from adapters.courts.xml_settings import XmlFormatSettings
from adapters.errors import AdapterConfigError, AdapterError
from adapters.xml.hardened import XmlRefused, parse_xml
from domain.enums import Plea
from domain.referral import Referral
from tests.test_json_format import rendered

FIXTURES = Path(__file__).parents[1] / "fixtures" / "courts" / "niem"
XML = "application/xml"
EXCH = DEFAULT_NAMESPACES["exch"]
MINUS_FIVE = timezone(timedelta(hours=-5))


def fixture_settings() -> dict[str, Any]:
    settings: dict[str, Any] = json.loads((FIXTURES / "settings.json").read_text())
    return settings


def niem(**changes: Any) -> NiemCourtFormat:
    """The format with the fixture folder's settings, changed by `changes`."""
    raw = {**fixture_settings(), **changes}
    return NiemCourtFormat(XmlFormatSettings.model_validate(raw))


def sample(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def referral(name: str, fmt: NiemCourtFormat | None = None) -> Referral:
    return (fmt or niem()).parse_referral(sample(name), XML, "demo")


# -- case initiation -----------------------------------------------------------------------


def test_a_plain_case_initiation_maps_field_by_field() -> None:
    got = referral("referral-plain.xml")

    assert got.jurisdiction == "demo"
    assert got.court.court_id == "NCSC"
    assert got.court.case_number == "NC-2026-DV-00912"
    assert got.court.judge == "Hon. Imelda Castellanos-Ruiz"
    [hearing] = got.court.hearings
    assert hearing.at == datetime(2026, 4, 9, 9, 30, tzinfo=MINUS_FIVE)
    assert hearing.purpose == "Diversion review hearing"
    assert got.referred_on == date(2026, 2, 18)

    person = got.participant
    assert (person.given_name, person.family_name) == ("Tomasz", "Wierzbicki")
    assert person.date_of_birth == date(1989, 6, 21)
    assert person.identifiers == {"state": "SID-0047731"}
    assert (person.phone, person.email) == ("555-0188", "t.wierzbicki@example.net")

    victim = got.victim
    assert (victim.given_name, victim.family_name) == ("Amara", "Nwosu")
    assert victim.date_of_birth == date(1993, 11, 4)
    assert victim.contact.phone == "555-0142"
    assert victim.contact.email == "amara.nwosu@example.org"
    assert victim.contact.address == "27 Quillfeather Lane, Flat 3, Port Avery, 00912"
    assert victim.contact.safe_times_to_call == "Weekdays 9-11 am only"

    first, second = got.charges
    assert first.statute == "NCS 14-3.7(b)"
    assert first.description == "Assault in the third degree, household member"
    assert (first.severity, first.domestic_violence) == ("misdemeanor", True)
    assert second.statute == "NCS 14-9.2"
    assert (second.severity, second.domestic_violence) == ("petty misdemeanor", False)
    assert got.plea is Plea.NONE
    assert got.support_people == []
    assert got.warnings == []


def test_persons_court_and_offense_linked_by_reference_read_as_if_inline() -> None:
    got = referral("referral-linked-persons.xml")

    assert got.court.court_id == "NCSC"  # j:CaseCourt refers to an nc:Organization
    assert got.court.judge == "Odalys Brightwater"
    assert (got.participant.given_name, got.participant.family_name) == ("Ruben", "Achterberg")
    assert got.participant.identifiers == {"jail management": "JMS-88213"}
    assert got.participant.phone == "555-0163"  # contact information by reference
    assert (got.victim.given_name, got.victim.family_name) == ("Sione", "Fakatava")
    assert got.victim.contact.address == "9 Tidewater Row, Port Avery"
    assert [c.offense_date for c in got.charges] == [None, date(2026, 1, 30)]
    assert got.charges[1].description == "Assault, household member"  # the statute's text
    assert [c.domestic_violence for c in got.charges] == [True, True]  # case-level indicator
    # Named as the victim of both charges, one person: not "2 victims".
    assert got.warnings == []


def test_a_second_victim_is_left_for_staff_with_a_warning() -> None:
    # The second charge's victim becomes another person (the judge's record will do).
    head, tail = sample("referral-linked-persons.xml").rsplit(b'structures:ref="PER-V1"', 1)
    document = head + b'structures:ref="PER-J1"' + tail
    got = niem().parse_referral(document, XML, "demo")

    assert got.victim.given_name == "Sione"
    assert got.warnings == [
        "the case names 2 victims; the first is mapped, the others need entering by hand"
    ]


def test_a_case_without_its_augmentation_is_refused() -> None:
    document = re.sub(
        rb"<j:CaseAugmentation>.*</j:CaseAugmentation>",
        b"",
        sample("referral-plain.xml"),
        flags=re.DOTALL,
    )
    with pytest.raises(AdapterError, match=r"^the case has no j:CaseAugmentation .*<Case> at line"):
        niem().parse_referral(document, XML, "demo")


def test_empty_elements_read_as_absent() -> None:
    got = referral("referral-empty-elements.xml")

    assert got.court.court_id == "NCSC"  # empty in the document, so settings.court_id
    assert got.court.judge is None
    assert got.referred_on is None
    assert got.victim.date_of_birth is None
    assert got.victim.identifiers == {}
    assert got.victim.contact.model_dump() == {
        "phone": None,
        "email": None,
        "address": None,
        "safe_times_to_call": None,
    }
    assert got.participant.email is None
    [charge] = got.charges
    assert (charge.description, charge.severity, charge.domestic_violence) == ("", None, True)
    assert got.warnings == []


def test_an_empty_court_id_without_a_configured_one_is_refused() -> None:
    with pytest.raises(AdapterError, match=r"court id is missing or empty .* no court_id"):
        referral("referral-empty-elements.xml", niem(court_id=None))


def test_a_vendor_envelope_and_vendor_augmentation_are_read_through_settings() -> None:
    got = referral("referral-vendor-wrapper.xml")

    assert got.court.court_id == "NCSC-EAST"
    assert got.court.case_number == "NC-2026-DV-00988"
    assert got.participant.family_name == "Pike"
    assert got.victim.family_name == "Villanueva-Pike"
    [charge] = got.charges
    assert charge.severity == "M1"
    assert charge.domestic_violence is True
    assert got.plea is Plea.NO_CONTEST
    assert got.referred_on == date(2026, 2, 19)
    assert got.notes == "Referred at arraignment; interpreter (Tagalog) requested."


def test_without_vendor_settings_the_vendor_augmentation_is_ignored() -> None:
    got = referral("referral-vendor-wrapper.xml", niem(vendor_extension=None))

    assert got.plea is Plea.NONE
    assert got.charges[0].severity is None
    assert (got.referred_on, got.notes) == (None, "")


def test_a_vendor_flag_saying_not_dv_makes_no_valid_referral() -> None:
    document = sample("referral-vendor-wrapper.xml").replace(
        b"<clx:FamilyViolenceFlag>Y<", b"<clx:FamilyViolenceFlag>N<"
    )
    with pytest.raises(AdapterError, match=r"not make a valid referral: charges: .*domestic"):
        niem().parse_referral(document, XML, "demo")


def test_an_unknown_vendor_plea_is_kept_raw_in_the_warnings() -> None:
    document = sample("referral-vendor-wrapper.xml").replace(b">NOLO<", b">ALFORD<")
    got = niem().parse_referral(document, XML, "demo")

    assert got.plea is Plea.NONE
    assert got.warnings == ["plea code 'ALFORD' is not a known plea; left as none"]


def test_dates_in_every_form() -> None:
    got = referral("referral-dates.xml")

    assert [(h.at, h.purpose) for h in got.court.hearings] == [
        (datetime(2026, 4, 2, 14, 0, tzinfo=UTC), "Arraignment"),
        (datetime(2026, 4, 16, 9, 0, tzinfo=MINUS_FIVE), "Status conference"),
        (datetime(2026, 5, 7, 10, 15), "Pretrial hearing"),  # no offset: kept naive
        (datetime(2026, 5, 21, 8, 45), "Diversion review"),  # schedule date + start time
        (datetime(2026, 6, 4, 0, 0), "Compliance review"),  # schedule date alone
    ]
    assert got.charges[0].offense_date == date(2026, 1, 12)
    assert got.referred_on == date(2026, 2, 20)
    assert got.participant.date_of_birth == date(1988, 1, 1)
    assert got.victim.date_of_birth == date(1991, 7, 1)
    assert got.warnings == [
        "hearing 5: no time of day; read as the start of 2026-06-04",
        "hearing 6: the date is not a full day (<CaseCourtEvent> at line 64); hearing left out",
        "defendant date of birth: given as year only; read as its first day",
        "victim date of birth: given as month only; read as its first day",
    ]
    # A year of birth beside a name identifies a person: warnings never quote a birth date.
    assert not any(re.search(r"1988|1991", warning) for warning in got.warnings)


def test_date_forms_the_court_does_not_accept_are_left_unset() -> None:
    got = referral("referral-dates.xml", niem(date_forms=["instant", "day", "month"]))

    assert got.participant.date_of_birth is None
    assert got.victim.date_of_birth == date(1991, 7, 1)
    assert (
        "defendant date of birth: given as year, a form this court's settings do not accept; "
        "left unset"
    ) in got.warnings
    assert "defendant date of birth: given as year only; read as its first day" not in (
        got.warnings
    )


def test_unknown_role_codes_are_kept_raw_and_known_ones_mapped() -> None:
    got = referral("referral-unknown-roles.xml")

    assert got.participant.family_name == "Oyelowo-Hart"  # DFT, a default code
    assert got.victim.given_name == "Yevgenia"  # PP, this court's own code
    assert [(s.name, s.supports) for s in got.support_people] == [
        ("Wilhelmina Achebe-Strand", "victim")
    ]
    assert got.warnings == [
        "case category 'XDV-7' is not in the court's code list; kept raw",
        "other party 4: party role code 'GAL' is not in the court's code list; "
        "kept raw, party not mapped",
        "other party 5: party role code 'INTERP' is not in the court's code list; "
        "kept raw, party not mapped",
        "other party 6: no exch:CasePartyRoleCode; party not mapped",
    ]


def test_without_the_courts_code_list_its_victim_code_is_unknown() -> None:
    with pytest.raises(AdapterError, match="the case names no victim"):
        referral("referral-unknown-roles.xml", niem(code_lists={}))


@pytest.mark.parametrize(
    ("name", "docket", "victim"),
    [
        ("referral-soap11.xml", "NC-2026-DV-01402", "Henrike"),
        ("referral-soap12.xml", "NC-2026-DV-01409", "Eulalia"),
    ],
)
def test_case_initiations_in_soap_envelopes(name: str, docket: str, victim: str) -> None:
    got = referral(name)

    assert got.court.case_number == docket
    assert got.victim.given_name == victim


def test_the_courts_own_exchange_namespace_is_configured_not_coded() -> None:
    theirs = "urn:example:northcape:iepd:case-initiation:3"
    document = sample("referral-plain.xml").replace(EXCH.encode(), theirs.encode())

    with pytest.raises(AdapterError, match="no exch:CaseInitiationExchange element"):
        niem().parse_referral(document, XML, "demo")
    got = niem(namespaces={"exch": theirs}).parse_referral(document, XML, "demo")
    assert got.court.case_number == "NC-2026-DV-00912"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("invalid-no-defendant.xml", r"^the case names no defendant \(expected "),
        ("invalid-no-victim.xml", r"^the case names no victim \(expected "),
        ("invalid-no-charge.xml", r"^the case has no charge \(expected j:CaseCharge in "),
        (
            "invalid-empty-docket.xml",
            r"^docket number is missing or empty \(expected nc:CaseDocketID in <Case> at line 8\)",
        ),
        (
            "invalid-dangling-reference.xml",
            r"^<RoleOfPerson> at line 17 refers to id 'V9', which the document lacks",
        ),
        ("invalid-two-defendants.xml", r"^the case names 2 defendants; "),
        ("invalid-doctype.xml", r"the document has a DOCTYPE"),
        (
            "invalid-not-case-initiation.xml",
            r"no exch:CaseInitiationExchange element .* its root is <CourtEventExchange>",
        ),
        ("invalid-soap-fault.xml", r"got a SOAP fault \(code 'soap:Server'\)"),
    ],
)
def test_invalid_documents_raise_the_specific_reason(name: str, message: str) -> None:
    with pytest.raises(AdapterError, match=message) as raised:
        referral(name)
    # Never a person's name in an error: it ends up in logs and quarantine sidecars.
    assert not re.search(r"Percival|Oisin|Rosalind|Nakamura|Eberhardt", str(raised.value))


def test_a_missing_name_part_is_named_without_the_rest_of_the_name() -> None:
    document = sample("referral-plain.xml").replace(
        b"<nc:PersonSurName>Wierzbicki</nc:PersonSurName>", b"<nc:PersonSurName/>"
    )
    with pytest.raises(AdapterError, match=r"^defendant surname is missing or empty") as raised:
        niem().parse_referral(document, XML, "demo")
    assert "Tomasz" not in str(raised.value)


def test_text_xml_with_a_charset_is_read_and_json_is_refused() -> None:
    fmt = niem()
    fmt.parse_referral(sample("referral-plain.xml"), "text/xml; charset=utf-8", "demo")
    with pytest.raises(AdapterError, match="reads application/xml, text/xml"):
        fmt.parse_referral(sample("referral-plain.xml"), "application/json", "demo")


# -- schema validation ---------------------------------------------------------------------

# A jurisdiction's schema for the message alone: an optional exch:ReferralDate, then
# elements of other namespaces only. It knows nothing of SOAP or vendor envelopes.
EXCHANGE_XSD = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{EXCH}"
    elementFormDefault="qualified">
  <xs:element name="CaseInitiationExchange">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="ReferralDate" type="xs:anyType" minOccurs="0"/>
        <xs:any namespace="##other" processContents="skip" maxOccurs="unbounded"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""


@pytest.fixture
def with_schema(tmp_path: Path) -> NiemCourtFormat:
    xsd = tmp_path / "case-initiation.xsd"
    xsd.write_text(EXCHANGE_XSD)
    return niem(schema_files=[str(xsd)])


@pytest.mark.parametrize(
    "name",
    [
        "referral-plain.xml",
        "referral-soap11.xml",
        "referral-soap12.xml",
        "referral-vendor-wrapper.xml",
    ],
)
def test_the_schema_validates_the_message_not_its_envelope(
    with_schema: NiemCourtFormat, name: str
) -> None:
    got = referral(name, with_schema)
    assert got.court.case_number.startswith("NC-2026-DV-")


def test_the_envelope_itself_is_not_valid_against_the_message_schema(
    with_schema: NiemCourtFormat,
) -> None:
    # What validating the whole document would do: why the format validates the message.
    schema = with_schema.settings.xml_schema()
    with pytest.raises(XmlRefused, match="jurisdiction's schema"):
        parse_xml(sample("referral-soap11.xml"), schema=schema)


def test_a_wrapped_message_invalid_against_the_schema_is_refused(
    with_schema: NiemCourtFormat,
) -> None:
    document = sample("referral-soap11.xml").replace(
        b"<nc:Case>", b"<exch:UnexpectedElement/>\n      <nc:Case>", 1
    )
    assert document != sample("referral-soap11.xml")
    with pytest.raises(
        XmlRefused,
        match=r"^not valid against the jurisdiction's schema: .*"
        r"UnexpectedElement.* \(line 13, column 0\)$",
    ):
        with_schema.parse_referral(document, XML, "demo")
    niem().parse_referral(document, XML, "demo")  # without a schema, the same reads


# -- court events --------------------------------------------------------------------------


def test_a_court_event_document_gives_its_docket_and_hearings() -> None:
    docket, hearings = niem().parse_court_event(sample("court-event-hearings.xml"))

    assert docket == "NC-2026-DV-00912"
    assert [(h.at, h.purpose) for h in hearings] == [
        (datetime(2026, 6, 11, 9, 30, tzinfo=MINUS_FIVE), "Diversion review hearing"),
        (datetime(2026, 8, 20, 13, 15, tzinfo=MINUS_FIVE), "Compliance hearing"),
    ]


def test_court_events_for_two_dockets_are_refused() -> None:
    document = sample("court-event-hearings.xml").replace(
        b'<j:CourtEventCase structures:ref="CASE"/>\n    <j:CourtEventSchedule>',
        b"<j:CourtEventCase><nc:CaseDocketID>NC-2026-DV-00913</nc:CaseDocketID>"
        b"</j:CourtEventCase><j:CourtEventSchedule>",
    )
    with pytest.raises(AdapterError, match="name 2 different dockets"):
        niem().parse_court_event(document)


def test_a_court_event_without_a_usable_date_is_an_error_not_a_dropped_hearing() -> None:
    document = sample("court-event-hearings.xml").replace(
        b"<nc:ScheduleDate><nc:Date>2026-08-20</nc:Date></nc:ScheduleDate>", b""
    )
    with pytest.raises(AdapterError, match=r"^court event 2: no usable date \(expected "):
        niem().parse_court_event(document)


def test_a_start_time_that_is_not_a_time_is_an_error() -> None:
    document = sample("court-event-hearings.xml").replace(b"13:15:00-05:00", b"after lunch")
    with pytest.raises(AdapterError, match="court event 2: nc:ScheduleDayStartTime is not a time"):
        niem().parse_court_event(document)


# -- filings -------------------------------------------------------------------------------


def test_a_filing_round_trips_with_the_report_pdf_as_lead_document() -> None:
    fmt, filed = niem(), rendered()
    document = fmt.render_filing(filed)
    summary = fmt.read_filing(document.content)

    assert summary.idempotency_key == filed.report.idempotency_key == document.idempotency_key
    assert summary.court_id == filed.report.court_id
    assert summary.court_case_number == filed.report.court_case_number
    assert summary.lead_document == filed.pdf
    assert summary.structured_report == filed.report.structured_data()
    assert document.document_hash == filed.document_hash
    assert document.content_type == XML
    assert document.filename == "case-demo-CR-2026-00417_report_2.xml"


def test_a_filing_names_the_report_kind_and_the_pdf_s_hash() -> None:
    filed = rendered()
    root = parse_xml(niem().render_filing(filed).content)
    ns = {**DEFAULT_NAMESPACES}

    assert root.tag == f"{{{ns['exch-filing']}}}CourtFilingExchange"
    assert root.findtext("exch-filing:ReportKindCode", namespaces=ns) == "progress"
    assert root.findtext("exch-filing:ReportDocumentHash", namespaces=ns) == filed.document_hash
    formats = root.findall("nc:Document/nc:DocumentBinary/nc:BinaryFormatText", namespaces=ns)
    assert [f.text for f in formats] == ["application/pdf", "application/json"]


def test_a_filing_by_uri_carries_the_locations_not_the_documents() -> None:
    fmt = niem(attachment={"mode": "uri", "uri_base": "https://files.example.org/rd/"})
    document = fmt.render_filing(rendered())
    root = parse_xml(document.content)

    uris = root.findall(
        "nc:Document/nc:DocumentBinary/nc:BinaryLocationURI", namespaces=DEFAULT_NAMESPACES
    )
    assert [u.text for u in uris] == [
        "https://files.example.org/rd/case-demo-CR-2026-00417_report_2.pdf",
        "https://files.example.org/rd/case-demo-CR-2026-00417_report_2.json",
    ]
    assert b"BinaryBase64Object" not in document.content
    summary = fmt.read_filing(document.content)
    assert (summary.lead_document, summary.structured_report) == (None, None)


def test_one_report_renders_to_the_same_bytes_every_time() -> None:
    fmt = niem()
    assert fmt.render_filing(rendered()).content == fmt.render_filing(rendered()).content
    assert fmt.render_filing(rendered()).content != fmt.render_filing(rendered(sequence=3)).content


def test_a_filing_with_broken_base64_is_refused() -> None:
    content = niem().render_filing(rendered()).content
    broken = re.sub(rb"(<nc:BinaryBase64Object>)[^<]{8}", rb"\1!!!!!!!!", content)
    with pytest.raises(AdapterError, match="nc:BinaryBase64Object is not valid base64"):
        niem().read_filing(broken)


def test_a_case_query_is_a_document_naming_court_and_docket() -> None:
    fmt = niem()
    query = fmt.render_case_query("NCSC", "NC-2026-DV-00912")
    assert query.document is not None
    root = parse_xml(query.document.content)
    ns = DEFAULT_NAMESPACES

    assert root.tag == f"{{{ns['exch-query']}}}CaseQueryExchange"
    assert root.findtext("nc:Case/nc:CaseDocketID", namespaces=ns) == "NC-2026-DV-00912"
    court = "nc:Case/j:CaseAugmentation/j:CaseCourt/nc:OrganizationIdentification"
    assert root.findtext(f"{court}/nc:IdentificationID", namespaces=ns) == "NCSC"
    assert query.document == fmt.render_case_query("NCSC", "NC-2026-DV-00912").document


# -- filing statuses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reference", "accepted", "reason"),
    [
        ("status-accepted-plain.xml", "NCSC-EF-2026-004417", True, None),
        ("status-accepted-soap11.xml", "NCSC-EF-2026-004502", True, None),
        (
            "status-rejected-soap12.xml",
            "NCSC-EF-2026-004519",
            False,
            "Case is sealed; file through the clerk's office.",
        ),
    ],
)
def test_filing_statuses(name: str, reference: str, accepted: bool, reason: str | None) -> None:
    status = niem().parse_filing_status(sample(name))

    assert (status.court_reference, status.accepted, status.reason) == (
        reference,
        accepted,
        reason,
    )


def test_an_unknown_filing_status_is_an_error() -> None:
    document = sample("status-accepted-plain.xml").replace(b">Accepted<", b">Pending review<")
    with pytest.raises(AdapterError, match=r"filing status code 'Pending review' .* neither"):
        niem().parse_filing_status(document)


def test_a_status_without_the_courts_reference_is_an_error() -> None:
    document = sample("status-accepted-plain.xml").replace(b"NCSC-EF-2026-004417", b"")
    with pytest.raises(AdapterError, match="court filing reference is missing or empty"):
        niem().parse_filing_status(document)


# -- configuration -------------------------------------------------------------------------


def load(settings: dict[str, Any]) -> CourtFormat:
    return CourtFormat.from_registry(
        "niem", settings, where="test", name_field="f", settings_field="s"
    )


def test_the_format_loads_through_the_registry() -> None:
    assert isinstance(load({}), NiemCourtFormat)
    assert isinstance(load(fixture_settings()), NiemCourtFormat)


def test_a_misspelt_setting_is_a_configuration_error() -> None:
    with pytest.raises(AdapterConfigError, match=r"test: s\.court_idd: Extra inputs"):
        load({"court_idd": "NCSC"})


def test_an_unknown_namespace_prefix_is_a_configuration_error() -> None:
    with pytest.raises(AdapterConfigError, match=r"namespaces: unknown prefix\(es\) ecf"):
        load({"namespaces": {"ecf": "urn:oasis:names:tc:legalxml-courtfiling:schema:xsd"}})


def test_an_unusable_vendor_path_is_a_configuration_error() -> None:
    extension = {"namespace": "urn:example:vendor", "fields": {"plea": "w:PleaCode"}}
    with pytest.raises(AdapterConfigError, match=r"vendor_extension\.fields\.plea: 'w:PleaCode'"):
        load({"vendor_extension": extension})


# -- the conformance kit's naming ----------------------------------------------------------


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.xml")), ids=lambda p: p.name)
def test_every_sample_behaves_as_its_name_says(path: Path) -> None:
    fmt, document = niem(), path.read_bytes()
    if path.name.startswith("referral-"):
        assert fmt.parse_referral(document, XML, "demo").court.case_number.startswith("NC-2026")
    elif path.name.startswith("invalid-"):
        with pytest.raises(AdapterError):
            fmt.parse_referral(document, XML, "demo")
    elif path.name.startswith("status-accepted-"):
        assert fmt.parse_filing_status(document).accepted
    elif path.name.startswith("status-rejected-"):
        status = fmt.parse_filing_status(document)
        assert (status.accepted, bool(status.reason)) == (False, True)
    else:
        assert fmt.parse_court_event(document)[1]
