"""The ECF 4.01 court format: referrals in (plain, enveloped, by reference, awkward), filings
out and read back, filing statuses, case queries, and the conformance kit."""

import base64
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from adapters.courts.base import CourtFormat
from adapters.courts.ecf4_format import NAMESPACES, Ecf4CourtFormat
from adapters.courts.xml_settings import XmlFormatSettings
from adapters.errors import AdapterConfigError, AdapterError
from adapters.xml.hardened import DEFAULT_MAX_BYTES, XmlRefused
from domain.enums import Plea
from domain.referral import Referral, SupportPerson
from tests.test_json_format import rendered, report

FIXTURES = Path(__file__).parent.parent / "fixtures" / "courts" / "ecf4"
XML = "application/xml"
MINUS_FIVE = timezone(timedelta(hours=-5))
VENDOR_SETTINGS: dict[str, Any] = {
    "vendor_extension": {
        "namespace": "urn:example:harrow-cms:ecf-extensions",
        "fields": {
            "domestic_violence": "v:FamilyViolenceFlag",
            "plea": "v:PleaCode",
            "severity": "v:ChargeLevel",
            "referred_on": "v:ReferralDate",
            "notes": "v:ReferralNotes",
        },
    }
}


def ecf4(**settings: Any) -> Ecf4CourtFormat:
    return Ecf4CourtFormat(XmlFormatSettings.model_validate(settings))


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse(name: str, **settings: Any) -> Referral:
    return ecf4(**settings).parse_referral(fixture(name), XML, "demo")


def refusal(document: bytes, **settings: Any) -> str:
    with pytest.raises(AdapterError) as refused:
        ecf4(**settings).parse_referral(document, XML, "demo")
    return str(refused.value)


def with_large_attachment(document: bytes, size: int) -> bytes:
    """The plain referral carrying a base64 attachment of `size` characters."""
    attachment = (
        b"<ecf:DocumentAttachment><nc:BinaryBase64Object>"
        + b"QUJD" * (size // 4)
        + b"</nc:BinaryBase64Object></ecf:DocumentAttachment>"
    )
    return document.replace(b"</criminal:CriminalCase>", attachment + b"</criminal:CriminalCase>")


# -- referrals -----------------------------------------------------------------------------


def test_a_plain_referral_maps_court_parties_charges_and_hearings() -> None:
    referral = parse("referral-plain.xml")

    assert referral.jurisdiction == "demo"
    assert referral.court.court_id == "HRCC"
    assert referral.court.case_number == "HC-CR-2026-003158"
    assert referral.court.judge == "Imelda Castellane"
    [hearing] = referral.court.hearings
    assert hearing.at == datetime(2026, 6, 18, 9, 30, tzinfo=MINUS_FIVE)
    assert hearing.purpose == "Diversion review hearing"

    defendant = referral.participant
    assert (defendant.given_name, defendant.family_name) == ("Tobias", "Wrenfield")
    assert defendant.date_of_birth == date(1991, 8, 23)
    assert defendant.identifiers == {"state_id": "SID-7731904"}
    assert (defendant.phone, defendant.email) == ("555-0187", "t.wrenfield@example.net")

    victim = referral.victim
    assert (victim.given_name, victim.family_name) == ("Marisol", "Quenby")
    assert victim.date_of_birth == date(1993, 2, 11)
    assert victim.contact.phone == "555-0143"
    assert victim.contact.email == "m.quenby@example.org"
    assert victim.contact.address == "27 Quillmore Street, Apt 4, Harrowgate, ZZ 99901"

    first, second = referral.charges
    assert (first.statute, first.severity, first.offense_date) == (
        "ZZ-163.160",
        "misdemeanor",
        date(2026, 1, 4),
    )
    assert first.description == "Assault in the fourth degree (domestic)"
    # An empty <j:ChargeSeverityText/> is "no severity", not an empty string.
    assert (second.statute, second.severity, second.offense_date) == ("ZZ-166.065", None, None)
    assert [c.domestic_violence for c in referral.charges] == [True, True]
    assert referral.plea is Plea.NONE
    assert referral.warnings == []


@pytest.mark.parametrize("envelope", ["referral-soap11.xml", "referral-soap12.xml"])
def test_a_referral_in_a_soap_envelope_reads_as_the_bare_one(envelope: str) -> None:
    assert parse(envelope) == parse("referral-plain.xml")


def test_participants_and_the_judge_linked_by_reference_are_resolved() -> None:
    referral = parse("referral-by-reference.xml")

    assert referral.court.judge == "Oswin Paltry"
    assert (referral.participant.given_name, referral.participant.family_name) == (
        "Cassius",
        "Oberlin",
    )
    assert (referral.victim.given_name, referral.victim.family_name) == ("Lorna", "Feldgate")
    assert referral.victim.identifiers == {"cms_id": "CMS-55102"}
    assert referral.victim.contact.address == "9 Birchanger Close, Harrowgate"
    # "1" on the case itself is the indicator, so no default is assumed.
    assert referral.charges[0].domestic_violence is True
    assert referral.warnings == []


def test_dates_in_every_form() -> None:
    referral = parse("referral-date-forms.xml")

    assert [(h.at, h.purpose) for h in referral.court.hearings] == [
        (datetime(2026, 3, 2, 14, 0, tzinfo=UTC), "Arraignment"),
        (datetime(2026, 4, 15, 8, 45, tzinfo=MINUS_FIVE), "Status conference"),
        (datetime(2026, 5, 20, 10, 15), "Review hearing"),
    ]
    assert referral.participant.date_of_birth == date(1988, 11, 30)
    assert referral.victim.date_of_birth == date(1990, 4, 1)
    assert [c.offense_date for c in referral.charges] == [date(2026, 1, 17), date(2025, 12, 1)]
    assert referral.warnings == [
        "charge 2 offense date: given as month only; read as its first day",
        "participant 2 (victim) date of birth: given as month only; read as its first day",
        "hearing 4: given as a day without a time; not mapped",
    ]


def test_a_date_form_the_court_does_not_allow_is_left_unset_with_a_warning() -> None:
    referral = parse("referral-date-forms.xml", date_forms=["instant", "day"])

    assert referral.victim.date_of_birth is None
    assert referral.charges[1].offense_date is None
    assert (
        "participant 2 (victim) date of birth: given as month, which this court's date_forms "
        "do not allow; left unset"
    ) in referral.warnings


def test_unknown_and_missing_role_codes_are_warnings_not_failures() -> None:
    referral = parse("referral-unknown-roles.xml")

    assert referral.participant.family_name == "Ashdown"  # "DEFT"
    assert referral.victim.given_name == "Ottoline"  # "CW", the first victim
    assert referral.support_people == [SupportPerson(name="Winifred Osei", supports="victim")]
    assert referral.warnings == [
        "participant 2: role code 'XYZ' is not in the code list",
        "participant 5: no role code; not mapped",
        "participant 4: a further victim; the referral holds one, so only participant 3 is mapped",
        "the case has no domestic-violence indicator; read as domestic violence, as the case "
        "was referred for domestic-violence diversion",
    ]
    assert referral.charges[0].domestic_violence is True


def test_a_jurisdiction_code_list_gives_an_unknown_code_its_meaning() -> None:
    referral = parse(
        "referral-unknown-roles.xml", code_lists={"party_roles": {"XYZ": "participant_support"}}
    )

    assert SupportPerson(name="Perpetua Lindqvist", supports="participant") in (
        referral.support_people
    )
    assert not any("XYZ" in warning for warning in referral.warnings)


def test_a_vendor_wrapper_and_its_case_augmentation_read_through_settings() -> None:
    referral = parse("referral-vendor-wrapper.xml", **VENDOR_SETTINGS)

    assert referral.court.case_number == "HC-CR-2026-004610"
    assert referral.plea is Plea.NO_CONTEST
    assert referral.referred_on == date(2026, 3, 27)
    assert referral.notes == "Referred at arraignment by agreement of the parties."
    assert referral.charges[0].severity == "gross misdemeanor"
    assert referral.charges[0].domestic_violence is True
    assert referral.warnings == []  # the vendor's flag answered the DV question


def test_without_vendor_settings_the_vendor_fields_stay_unread() -> None:
    referral = parse("referral-vendor-wrapper.xml")

    assert (referral.plea, referral.referred_on, referral.notes) == (Plea.NONE, None, "")
    assert referral.charges[0].severity is None
    assert any("no domestic-violence indicator" in w for w in referral.warnings)


def test_an_unknown_vendor_plea_is_kept_as_a_warning() -> None:
    document = fixture("referral-vendor-wrapper.xml").replace(b"Nolo Contendere", b"DEFERRED")
    referral = ecf4(**VENDOR_SETTINGS).parse_referral(document, XML, "demo")

    assert referral.plea is Plea.NONE
    assert "plea code 'DEFERRED' is not a known plea; left as none" in referral.warnings


def test_a_vendor_field_path_that_cannot_work_is_a_configuration_error() -> None:
    broken = {"namespace": "urn:example:v", "fields": {"plea": "x:Plea"}}
    with pytest.raises(AdapterConfigError, match=r"vendor_extension\.fields\.plea"):
        ecf4(vendor_extension=broken)


def test_warnings_never_carry_names_dates_of_birth_or_contact_values() -> None:
    for path in sorted(FIXTURES.glob("referral-*.xml")):
        referral = ecf4(**VENDOR_SETTINGS).parse_referral(path.read_bytes(), XML, "demo")
        people = (referral.participant, referral.victim)
        private = [v for p in people for v in (p.given_name, p.family_name)]
        private += [str(p.date_of_birth) for p in people if p.date_of_birth]
        private += [v for v in referral.victim.contact.model_dump().values() if v]
        text = " ".join(referral.warnings)
        assert not [v for v in private if v in text], path.name


INVALID = [
    (
        "invalid-empty-docket.xml",
        "the case docket number is missing or empty (expected nc:CaseDocketID in "
        "<CriminalCase> at line 9)",
    ),
    ("invalid-no-victim.xml", "no participant has a victim role code"),
    ("invalid-no-defendant.xml", "no participant has a defendant role code"),
    (
        "invalid-no-charge.xml",
        "the case has no charge (expected criminal:CaseCharge in <CriminalCase> at line 9)",
    ),
    ("invalid-empty-statute.xml", "charge 1 statute is missing or empty"),
    (
        "invalid-case-not-found.xml",
        "the CaseResponseMessage holds no criminal:CriminalCase (the court answered with "
        "error code '-10')",
    ),
    ("invalid-truncated.xml", "not well-formed XML"),
]


@pytest.mark.parametrize(("name", "reason"), INVALID)
def test_an_invalid_referral_is_refused_with_the_specific_reason(name: str, reason: str) -> None:
    assert reason in refusal(fixture(name))


def test_a_missing_court_id_falls_back_to_settings_then_is_refused() -> None:
    document = fixture("referral-plain.xml").replace(b">HRCC<", b"><")

    assert parse_bytes(document, court_id="HRCC-DEFAULT").court.court_id == "HRCC-DEFAULT"
    assert "the court id is missing or empty (expected j:CaseAugmentation/j:CaseCourt/" in (
        refusal(document)
    )


def parse_bytes(document: bytes, **settings: Any) -> Referral:
    return ecf4(**settings).parse_referral(document, XML, "demo")


def test_another_document_or_content_type_is_refused() -> None:
    assert "no <CaseResponseMessage> in the document (the root is <MessageReceiptMessage>)" in (
        refusal(fixture("status-received-receipt.xml"))
    )
    with pytest.raises(AdapterError, match="reads application/xml, text/xml"):
        ecf4().parse_referral(fixture("referral-plain.xml"), "application/json", "demo")
    text_xml = ecf4().parse_referral(fixture("referral-plain.xml"), "text/xml; charset=utf-8", "d")
    assert text_xml.court.case_number == "HC-CR-2026-003158"


def test_an_8_mb_attachment_parses_under_the_default_limit_and_max_bytes_refuses_it() -> None:
    document = with_large_attachment(fixture("referral-plain.xml"), 8 * 1024 * 1024)
    assert 8 * 1024 * 1024 < len(document) < DEFAULT_MAX_BYTES

    assert parse_bytes(document).court.case_number == "HC-CR-2026-003158"
    with pytest.raises(XmlRefused, match="the limit is 4,194,304"):
        parse_bytes(document, max_bytes=4 * 1024 * 1024)


LAX_SCHEMA = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    targetNamespace="urn:oasis:names:tc:legalxml-courtfiling:schema:xsd:CaseResponseMessage-4.0"
    elementFormDefault="qualified">
  <xs:element name="CaseResponseMessage">
    <xs:complexType>{content}</xs:complexType>
  </xs:element>
</xs:schema>"""


@pytest.mark.parametrize(
    ("content", "valid"),
    [
        ('<xs:sequence><xs:any processContents="skip" maxOccurs="unbounded"/></xs:sequence>', True),
        ("<xs:sequence/>", False),
    ],
)
def test_the_schema_validates_the_message_inside_its_envelope(
    tmp_path: Path, content: str, valid: bool
) -> None:
    schema = tmp_path / "CaseResponseMessage.xsd"
    schema.write_text(LAX_SCHEMA.format(content=content))
    document = fixture("referral-soap12.xml")

    if valid:
        assert parse_bytes(document, schema_files=[schema]).court.court_id == "HRCC"
    else:
        with pytest.raises(XmlRefused, match="not valid against the jurisdiction's schema"):
            parse_bytes(document, schema_files=[schema])


# -- filings -------------------------------------------------------------------------------


def xpath(document: bytes, path: str) -> list[Any]:
    result: list[Any] = etree.fromstring(document).xpath(path, namespaces=NAMESPACES)
    return result


def test_a_filing_is_a_review_filing_request_with_the_report_as_lead_document() -> None:
    filed = rendered()
    document = ecf4().render_filing(filed)

    assert document.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert document.filename == "case-demo-CR-2026-00417_report_2.xml"
    assert document.content_type == XML
    assert document.idempotency_key == filed.report.idempotency_key
    assert document.document_hash == filed.document_hash
    core = "/wsp:ReviewFilingRequestMessage/core:CoreFilingMessage"
    assert xpath(document.content, f"{core}/nc:DocumentIdentification/nc:IdentificationID/text()")[
        0
    ] == ("case-demo-CR-2026-00417:report:2")
    assert xpath(document.content, f"{core}/criminal:CriminalCase/nc:CaseDocketID/text()") == [
        "CR-2026-00417"
    ]
    lead = f"{core}/ecf:FilingLeadDocument"
    assert xpath(document.content, f"{lead}/nc:DocumentDescriptionText/text()") == [
        "Progress report 2"
    ]
    assert xpath(
        document.content, f"{lead}/ecf:DocumentMetadata/j:RegisterActionDescriptionText/text()"
    ) == ["progress"]
    [encoded] = xpath(document.content, f"{lead}//nc:BinaryBase64Object/text()")
    assert base64.b64decode(encoded) == filed.pdf
    assert xpath(document.content, f"{lead}//nc:BinaryFormatStandardName/text()") == [
        "application/pdf"
    ]


def test_the_structured_report_is_a_connected_document() -> None:
    filed = rendered()
    content = ecf4().render_filing(filed).content
    connected = "/wsp:ReviewFilingRequestMessage/core:CoreFilingMessage/ecf:FilingConnectedDocument"
    assert xpath(content, f"{connected}/nc:DocumentDescriptionText/text()") == [
        "Structured report (JSON)"
    ]
    [encoded] = xpath(content, f"{connected}//nc:BinaryBase64Object/text()")
    assert base64.b64decode(encoded) == filed.report.structured_data()
    assert xpath(content, f"{connected}//nc:BinaryFormatStandardName/text()") == [
        "application/json"
    ]
    assert xpath(content, f"{connected}//nc:BinaryDescriptionText/text()") == [
        "case-demo-CR-2026-00417_report_2.json"
    ]


def test_a_filing_reads_back_with_the_pdf_and_report_as_rendered() -> None:
    filed = rendered()
    summary = ecf4().read_filing(ecf4().render_filing(filed).content)

    assert summary.idempotency_key == filed.report.idempotency_key
    assert summary.court_id == "demo-county-district-court"
    assert summary.court_case_number == "CR-2026-00417"
    assert summary.lead_document == filed.pdf
    assert summary.structured_report == filed.report.structured_data()


def test_one_report_renders_to_the_same_bytes_and_another_report_to_others() -> None:
    assert ecf4().render_filing(rendered()).content == ecf4().render_filing(rendered()).content
    assert (
        ecf4().render_filing(rendered()).content
        != ecf4().render_filing(rendered(sequence=3)).content
    )


def test_in_uri_mode_the_filing_points_at_its_documents_instead_of_carrying_them() -> None:
    fmt = ecf4(attachment={"mode": "uri", "uri_base": "https://files.harrow.example/filings/"})
    document = fmt.render_filing(rendered())

    assert xpath(document.content, "//nc:BinaryLocationURI/text()") == [
        "https://files.harrow.example/filings/case-demo-CR-2026-00417_report_2.pdf",
        "https://files.harrow.example/filings/case-demo-CR-2026-00417_report_2.json",
    ]
    assert xpath(document.content, "//nc:BinaryBase64Object") == []
    summary = fmt.read_filing(document.content)
    assert (summary.idempotency_key, summary.lead_document) == (report().idempotency_key, None)
    assert summary.structured_report is None


def test_reading_back_something_that_is_not_a_filing_is_refused() -> None:
    with pytest.raises(AdapterError, match="no <CoreFilingMessage> in the document"):
        ecf4().read_filing(fixture("referral-plain.xml"))


# -- filing statuses -----------------------------------------------------------------------

STATUSES = [
    ("status-received-receipt.xml", None, "HRCC-F-2026-11873", None),
    ("status-received-receipt-soap11.xml", None, "HRCC-F-2026-11873", None),
    ("status-received-receipt-soap12.xml", None, "HRCC-F-2026-11873", None),
    ("status-accepted-docketed.xml", True, "HRCC-F-2026-11873", None),
    ("status-accepted-review.xml", True, "HRCC-F-2026-11873", None),
    (
        "status-rejected-receipt-error.xml",
        False,
        "",
        "The docket number does not match an open case in this court. (error code -22)",
    ),
    (
        "status-rejected-docketing.xml",
        False,
        "HRCC-F-2026-11873",
        "Rejected: the filing is not signed by an authorised officer.",
    ),
]


@pytest.mark.parametrize(("name", "accepted", "reference", "reason"), STATUSES)
def test_filing_statuses(
    name: str, accepted: bool | None, reference: str, reason: str | None
) -> None:
    """`accepted` None: received, the court decides later (a receipt says only that)."""
    status = ecf4().parse_filing_status(fixture(name))

    state = {True: "accepted", False: "rejected", None: "received"}[accepted]
    assert (status.state, status.court_reference, status.reason) == (
        state,
        reference,
        reason,
    )


def test_an_unrecognised_filing_status_code_is_refused_naming_it() -> None:
    document = fixture("status-accepted-docketed.xml").replace(b">docketed<", b">pending<")
    with pytest.raises(AdapterError, match="filing status code 'pending' is not one"):
        ecf4().parse_filing_status(document)


def test_an_acceptance_without_a_court_reference_is_refused() -> None:
    document = fixture("status-received-receipt.xml").replace(b"HRCC-F-2026-11873", b"")
    with pytest.raises(AdapterError, match="named no reference for it"):
        ecf4().parse_filing_status(document)


def test_a_document_without_a_status_is_refused() -> None:
    with pytest.raises(AdapterError, match="no filing status in the document"):
        ecf4().parse_filing_status(fixture("referral-plain.xml"))


# -- case query and registry ---------------------------------------------------------------


def test_a_case_query_is_a_case_query_message_for_the_case() -> None:
    query = ecf4().render_case_query("HRCC", "HC-CR-2026-003158")

    assert (query.court_id, query.case_number) == ("HRCC", "HC-CR-2026-003158")
    assert query.document is not None
    content = query.document.content
    assert etree.QName(etree.fromstring(content)).localname == "CaseQueryMessage"
    assert xpath(content, "/casequery:CaseQueryMessage/nc:CaseTrackingID/text()") == [
        "HC-CR-2026-003158"
    ]
    assert xpath(
        content, "//j:CaseCourt/nc:OrganizationIdentification/nc:IdentificationID/text()"
    ) == ["HRCC"]
    assert xpath(content, "//casequery:IncludeParticipantsIndicator/text()") == ["true"]
    assert query.document == ecf4().render_case_query("HRCC", "HC-CR-2026-003158").document


def test_the_format_loads_through_the_registry() -> None:
    fmt = CourtFormat.from_registry("ecf4", {}, where="test", name_field="f", settings_field="s")

    assert isinstance(fmt, Ecf4CourtFormat)
    assert fmt.name == "ecf4"
    assert fmt.content_types == ("application/xml", "text/xml")
    with pytest.raises(AdapterConfigError, match=r"s\.date_forms"):
        CourtFormat.from_registry(
            "ecf4", {"date_forms": ["weekly"]}, where="test", name_field="f", settings_field="s"
        )
