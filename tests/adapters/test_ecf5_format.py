"""The ECF 5.0 court format: the ECF 4.01 mapping over NIEM 4.0 names — GetCase answers in,
FilingMessages out and read back, ReviewFiling answers and callbacks, GetCase requests,
and the conformance kit."""

import base64
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from adapters.courts.base import CourtFormat
from adapters.courts.ecf5_format import NAMESPACES, Ecf5CourtFormat
from adapters.courts.xml_settings import XmlFormatSettings
from adapters.errors import AdapterError
from adapters.xml.hardened import DEFAULT_MAX_BYTES, XmlRefused
from domain.enums import Plea
from domain.referral import Referral
from tests.test_json_format import rendered

FIXTURES = Path(__file__).parent.parent / "fixtures" / "courts" / "ecf5"
XML = "application/xml"
MINUS_FIVE = timezone(timedelta(hours=-5))
VENDOR_SETTINGS: dict[str, Any] = {
    "vendor_extension": {
        "namespace": "urn:example:merrow-cms:ecf5-extensions",
        "fields": {
            "domestic_violence": "v:DomesticViolenceCode",
            "plea": "v:PleaEntered",
            "severity": "v:OffenseLevel",
            "referred_on": "v:DiversionReferralDate",
            "notes": "v:DiversionNotes",
        },
    }
}


def ecf5(**settings: Any) -> Ecf5CourtFormat:
    return Ecf5CourtFormat(XmlFormatSettings.model_validate(settings))


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse(name: str, **settings: Any) -> Referral:
    return parse_bytes(fixture(name), **settings)


def parse_bytes(document: bytes, **settings: Any) -> Referral:
    return ecf5(**settings).parse_referral(document, XML, "demo")


def xpath(document: bytes, path: str) -> list[Any]:
    result: list[Any] = etree.fromstring(document).xpath(path, namespaces=NAMESPACES)
    return result


# -- referrals -----------------------------------------------------------------------------


def test_a_get_case_answer_maps_court_parties_charges_and_hearings() -> None:
    referral = parse("referral-plain.xml")

    assert (referral.court.court_id, referral.court.case_number) == ("MRDC", "MR-CR-2026-000912")
    assert referral.court.judge == "Aurelio Brannagh"
    [hearing] = referral.court.hearings
    assert hearing.at == datetime(2026, 6, 3, 13, 30, tzinfo=MINUS_FIVE)
    assert hearing.purpose == "Diversion review hearing"

    defendant = referral.participant
    assert (defendant.given_name, defendant.family_name) == ("Ignatius", "Rookwood")
    assert defendant.date_of_birth == date(1986, 5, 14)
    assert defendant.identifiers == {"state_id": "SID-4410277"}
    assert (defendant.phone, defendant.email) == ("555-0119", None)

    victim = referral.victim
    assert (victim.given_name, victim.family_name) == ("Nerys", "Arkwright")
    assert victim.date_of_birth == date(1989, 9, 2)
    assert victim.contact.phone == "555-0162"  # a mobile number counts
    assert victim.contact.email == "n.arkwright@example.org"
    # NIEM 4.0 keeps the street parts inline, without NIEM 2.0's StructuredAddress.
    assert victim.contact.address == "112 Wendlebury Road, Merrow Bridge, ZZ 99902"

    [charge] = referral.charges
    assert (charge.statute, charge.severity, charge.domestic_violence) == (
        "ZZ-9A.36.041",
        "gross misdemeanor",
        True,
    )
    assert referral.warnings == []


@pytest.mark.parametrize("envelope", ["referral-soap11.xml", "referral-soap12.xml"])
def test_a_referral_in_a_soap_envelope_reads_as_the_bare_one(envelope: str) -> None:
    assert parse(envelope) == parse("referral-plain.xml")


def test_parties_by_reference_take_their_role_from_the_referenced_person() -> None:
    referral = parse("referral-by-reference.xml")

    assert referral.court.case_number == "MR-CR-2026-001004"  # from j:CaseNumberText
    assert referral.court.judge == "Philippa Gorringe"
    assert referral.participant.family_name == "Quayle"
    assert referral.victim.family_name == "Aldous"
    assert referral.victim.identifiers == {"cms_id": "CMS-88017"}
    assert referral.victim.contact.address == "3 Hollowmere Lane, Merrow Bridge"


def test_dates_in_every_form() -> None:
    referral = parse("referral-date-forms.xml")

    assert [h.at for h in referral.court.hearings] == [
        datetime(2026, 3, 9, 15, 0, tzinfo=UTC),
        datetime(2026, 4, 21, 9, 0, tzinfo=MINUS_FIVE),
        datetime(2026, 5, 26, 11, 45),
    ]
    assert referral.victim.date_of_birth == date(1992, 7, 1)
    assert [c.offense_date for c in referral.charges] == [date(2026, 2, 8), date(2026, 1, 1)]
    assert referral.warnings == [
        "charge 2 offense date: given as month only; read as its first day",
        "participant 2 (victim) date of birth: given as month only; read as its first day",
        "hearing 4: given as a day without a time; not mapped",
    ]


def test_unknown_and_missing_role_codes_are_warnings_not_failures() -> None:
    referral = parse("referral-unknown-roles.xml")

    assert referral.participant.family_name == "Holloway"
    assert referral.victim.given_name == "Marguerite"
    assert referral.warnings[:3] == [
        "participant 2: role code 'XYZ' is not in the code list",
        "participant 5: no role code; not mapped",
        "participant 4: a further victim; the referral holds one, so only participant 3 is mapped",
    ]


def test_a_vendor_envelope_and_case_augmentation_read_through_settings() -> None:
    referral = parse("referral-vendor-wrapper.xml", **VENDOR_SETTINGS)

    assert referral.plea is Plea.GUILTY
    assert referral.referred_on == date(2026, 4, 2)
    assert referral.notes == "Judge asked for a progress report before the review hearing."
    assert referral.charges[0].severity == "misdemeanor"
    assert referral.warnings == []


def test_a_vendor_flag_saying_not_domestic_violence_refuses_the_referral() -> None:
    document = fixture("referral-vendor-wrapper.xml").replace(
        b"<mv:DomesticViolenceCode>Y<", b"<mv:DomesticViolenceCode>N<"
    )
    with pytest.raises(AdapterError, match="needs at least one domestic-violence charge"):
        parse_bytes(document, **VENDOR_SETTINGS)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (
            "invalid-empty-docket.xml",
            "the case docket number is missing or empty (expected nc:CaseDocketID in <Case>",
        ),
        ("invalid-no-victim.xml", "no participant has a victim role code"),
        ("invalid-no-charge.xml", "the case has no charge (expected j:CaseAugmentation/"),
        ("invalid-truncated.xml", "not well-formed XML"),
    ],
)
def test_an_invalid_referral_is_refused_with_the_specific_reason(name: str, reason: str) -> None:
    with pytest.raises(AdapterError) as refused:
        parse(name)
    assert reason in str(refused.value)


def test_an_ecf4_document_is_not_an_ecf5_referral() -> None:
    ecf4_referral = FIXTURES.parent / "ecf4" / "referral-plain.xml"
    with pytest.raises(AdapterError, match="no <GetCaseResponseMessage> in the document"):
        parse_bytes(ecf4_referral.read_bytes())


def test_an_8_mb_attachment_parses_under_the_default_limit_and_max_bytes_refuses_it() -> None:
    attachment = (
        b"<nc:Base64BinaryObject>" + b"QUJD" * (2 * 1024 * 1024) + b"</nc:Base64BinaryObject>"
    )
    document = fixture("referral-plain.xml").replace(b"</nc:Case>", attachment + b"</nc:Case>")
    assert 8 * 1024 * 1024 < len(document) < DEFAULT_MAX_BYTES

    assert parse_bytes(document).court.case_number == "MR-CR-2026-000912"
    with pytest.raises(XmlRefused, match="bytes; the limit is 8,000,000"):
        parse_bytes(document, max_bytes=8_000_000)


def test_namespaces_can_be_rebound_for_a_later_niem_release() -> None:
    later = "http://release.niem.gov/niem/domains/jxdm/6.1/"
    document = fixture("referral-plain.xml").replace(NAMESPACES["j"].encode(), later.encode())

    assert parse_bytes(document, namespaces={"j": later}).court.court_id == "MRDC"
    with pytest.raises(AdapterError, match="the case has no charge"):
        parse_bytes(document)


# -- filings -------------------------------------------------------------------------------


def test_a_filing_is_a_filing_message_with_the_report_as_lead_document() -> None:
    filed = rendered()
    document = ecf5().render_filing(filed)
    message = "/wrappers:ReviewFilingRequest/filing:FilingMessage"

    assert xpath(document.content, f"{message}/j:CaseCourt//nc:IdentificationID/text()") == [
        "demo-county-district-court"
    ]
    assert xpath(document.content, f"{message}/nc:Case/nc:CaseDocketID/text()") == ["CR-2026-00417"]
    lead = f"{message}/filing:FilingLeadDocument"
    assert xpath(
        document.content,
        f"{lead}/ecf:DocumentAugmentation/ecf:RegisterActionDescriptionCode/text()",
    ) == ["progress"]
    [encoded] = xpath(document.content, f"{lead}//nc:Attachment/nc:Base64BinaryObject/text()")
    assert base64.b64decode(encoded) == filed.pdf
    assert document.document_hash == filed.document_hash
    connected = f"{message}/filing:FilingConnectedDocument"
    [structured] = xpath(
        document.content, f"{connected}//nc:Attachment/nc:Base64BinaryObject/text()"
    )
    assert base64.b64decode(structured) == filed.report.structured_data()
    assert xpath(document.content, f"{connected}//nc:BinaryFormatText/text()") == [
        "application/json"
    ]


# Every ECF 5.0 message extends CaseFilingType: nc:DocumentType's identification, then
# CaseFilingType's elements in the schema's order (all required).
CASE_FILING_ORDER = [
    "DocumentIdentification",
    "DocumentFiler",
    "SendingMDELocationID",
    "ServiceInteractionProfileCode",
    "CaseCourt",
    "DocumentPostDate",
]
# FilingMessageType's children: CaseFilingType's, then its own.
FILING_MESSAGE_ORDER = [*CASE_FILING_ORDER, "FilingConnectedDocument", "FilingLeadDocument", "Case"]


def test_a_filing_message_holds_the_schemas_required_elements_in_its_order() -> None:
    filed = rendered()
    content = ecf5().render_filing(filed).content
    [message] = xpath(content, "/wrappers:ReviewFilingRequest/filing:FilingMessage")

    assert [etree.QName(child).localname for child in message] == FILING_MESSAGE_ORDER
    assert xpath(
        content, "//filing:FilingMessage/ecf:DocumentFiler//nc:OrganizationName/text()"
    ) == ["Restorative Diversion"]
    [posted] = xpath(content, "//filing:FilingMessage/nc:DocumentPostDate/nc:DateTime/text()")
    assert datetime.fromisoformat(posted) == filed.report.generated_at.replace(microsecond=0)


def test_a_filing_reads_back_and_renders_deterministically() -> None:
    filed = rendered()
    content = ecf5().render_filing(filed).content
    summary = ecf5().read_filing(content)

    assert (summary.idempotency_key, summary.court_id, summary.court_case_number) == (
        filed.report.idempotency_key,
        filed.report.court_id,
        filed.report.court_case_number,
    )
    assert summary.lead_document == filed.pdf
    assert summary.structured_report == filed.report.structured_data()
    assert ecf5().render_filing(rendered()).content == content


def test_in_uri_mode_the_filing_points_at_its_documents() -> None:
    fmt = ecf5(attachment={"mode": "uri", "uri_base": "https://files.merrow.example/in"})
    content = fmt.render_filing(rendered()).content

    # The connected document (the structured report) comes first, as the schema orders it.
    assert xpath(content, "//nc:Attachment/nc:BinaryLocationURI/text()") == [
        "https://files.merrow.example/in/case-demo-CR-2026-00417_report_2.json",
        "https://files.merrow.example/in/case-demo-CR-2026-00417_report_2.pdf",
    ]
    assert xpath(content, "//nc:Base64BinaryObject") == []
    assert fmt.read_filing(content).lead_document is None


# -- filing statuses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "accepted", "reference", "reason"),
    [
        ("status-received-receipt.xml", None, "MRDC-E-2026-20417", None),
        ("status-received-receipt-soap11.xml", None, "MRDC-E-2026-20417", None),
        ("status-received-receipt-soap12.xml", None, "MRDC-E-2026-20417", None),
        ("status-accepted-docketed.xml", True, "MRDC-E-2026-20417", None),
        ("status-accepted-review.xml", True, "MRDC-E-2026-20417", None),
        (
            "status-rejected-receipt-error.xml",
            False,
            "",
            "The case number is not open in this court. (error code 77)",
        ),
        (
            "status-rejected-docketing.xml",
            False,
            "MRDC-E-2026-20417",
            "Rejected: a lead document of this kind was already filed today.",
        ),
    ],
)
def test_filing_statuses(
    name: str, accepted: bool | None, reference: str, reason: str | None
) -> None:
    """`accepted` None: received, the court decides later (a receipt says only that)."""
    status = ecf5().parse_filing_status(fixture(name))

    state = {True: "accepted", False: "rejected", None: "received"}[accepted]
    assert (status.state, status.court_reference, status.reason) == (
        state,
        reference,
        reason,
    )


def test_an_unrecognised_filing_status_code_is_refused_naming_it() -> None:
    document = fixture("status-accepted-review.xml").replace(b">accepted<", b">underReview<")
    with pytest.raises(AdapterError, match="filing status code 'underReview' is not one"):
        ecf5().parse_filing_status(document)


# -- case query and registry ---------------------------------------------------------------


def test_a_case_query_is_a_get_case_request() -> None:
    query = ecf5().render_case_query("MRDC", "MR-CR-2026-000912")

    assert query.document is not None
    content = query.document.content
    request = "/wrappers:GetCaseRequest/caserequest:GetCaseRequestMessage"
    assert xpath(content, f"{request}/j:CaseCourt//nc:IdentificationID/text()") == ["MRDC"]
    assert xpath(content, f"{request}/caserequest:CaseQueryCriteria/j:CaseNumberText/text()") == [
        "MR-CR-2026-000912"
    ]
    assert xpath(content, "//caserequest:IncludeCalendarEventIndicator/text()") == ["true"]


def test_the_format_loads_through_the_registry() -> None:
    fmt = CourtFormat.from_registry("ecf5", {}, where="test", name_field="f", settings_field="s")

    assert isinstance(fmt, Ecf5CourtFormat)
    assert fmt.name == "ecf5"
