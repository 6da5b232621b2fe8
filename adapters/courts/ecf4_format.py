"""OASIS LegalXML Electronic Court Filing 4.01 ("ecf4"), over NIEM 2.0 and jxdm 4.0: the
generation most US state courts run.

- referral: a `CaseResponseMessage` holding a `criminal:CriminalCase`, parties as
  `ecf:CaseParticipant`s in the `ecf:CaseAugmentation`, charges as `criminal:CaseCharge`,
  hearings as `j:CaseCourtEvent`s;
- filing: a `ReviewFilingRequest` (web services profile) holding a `CoreFilingMessage`
  whose `ecf:FilingLeadDocument` carries the report PDF and whose
  `ecf:FilingConnectedDocument` carries the report's structured data (JSON);
- status: a `MessageReceiptMessage` (`ecf:ErrorCode` "0" = received) or a review or
  docketing callback with an `ecf:FilingStatusCode`;
- case query: a `CaseQueryMessage`;
- status query (the Filing Review MDE's GetFilingStatus): a `FilingStatusQueryMessage`
  naming the filing by the court's id for it, answered by a `FilingStatusResponseMessage`
  with its `ecf:FilingStatus` (or `ecf:Error`s). Both travel bare in the SOAP Body, as the
  Web Services SIP's `GetFilingStatusRequest` and `GetFilingStatusResponse` messages
  declare (document/literal; ECF 4.01 Errata 01 schemas).
"""

from typing import ClassVar

from adapters.courts.ecf_format import EcfCourtFormat, EcfVocabulary
from adapters.courts.ecf_referral import ReferralNames
from adapters.courts.ecf_status import StatusNames
from adapters.courts.xml_template import DocumentTemplate

ECF = "urn:oasis:names:tc:legalxml-courtfiling:schema:xsd"

NAMESPACES = {
    "nc": "http://niem.gov/niem/niem-core/2.0",
    "j": "http://niem.gov/niem/domains/jxdm/4.0",
    "s": "http://niem.gov/niem/structures/2.0",
    "ecf": f"{ECF}:CommonTypes-4.0",
    "criminal": f"{ECF}:CriminalCase-4.0",
    "caseresponse": f"{ECF}:CaseResponseMessage-4.0",
    "casequery": f"{ECF}:CaseQueryMessage-4.0",
    "core": f"{ECF}:CoreFilingMessage-4.0",
    "receipt": f"{ECF}:MessageReceiptMessage-4.0",
    "reviewcallback": f"{ECF}:ReviewFilingCallbackMessage-4.0",
    "docketcallback": f"{ECF}:RecordDocketingCallbackMessage-4.0",
    "statusquery": f"{ECF}:FilingStatusQueryMessage-4.0",
    "statusresponse": f"{ECF}:FilingStatusResponseMessage-4.0",
    "wsp": "urn:oasis:names:tc:legalxml-courtfiling:wsdl:WebServicesProfile-Definitions-4.0",
}

COURT_ID = "nc:OrganizationIdentification/nc:IdentificationID"
PROFILE = "urn:oasis:names:tc:legalxml-courtfiling:schema:xsd:WebServicesMessaging-2.0"
SENDER = "urn:restorative-diversion"
SUBMITTER = "Restorative Diversion"
RENDITION = "ecf:DocumentRendition/ecf:DocumentRenditionMetadata/ecf:DocumentAttachment"
ATTACHMENT = f"ecf:FilingLeadDocument/{RENDITION}"
# The report's structured data travels beside the PDF as a connected document.
CONNECTED = f"ecf:FilingConnectedDocument/{RENDITION}"

REFERRAL = ReferralNames(
    message="caseresponse:CaseResponseMessage",
    case="criminal:CriminalCase",
    docket=("nc:CaseDocketID",),
    court=(f"j:CaseAugmentation/j:CaseCourt/{COURT_ID}", f"j:CaseCourt/{COURT_ID}"),
    judge="j:CaseAugmentation/j:CaseJudge",
    participants="ecf:CaseAugmentation/ecf:CaseParticipant",
    person=("ecf:EntityPerson", "nc:EntityPerson", "nc:EntityPersonReference"),
    role_code=("ecf:CaseParticipantRoleCode",),
    charges=("criminal:CaseCharge", "j:CaseAugmentation/j:CaseCharge"),
    offense_date=(
        "criminal:ChargeOffense/nc:ActivityDate",
        "j:ChargeIncident/nc:ActivityDate",
        "nc:ActivityDate",
    ),
    dv_indicator=(
        "j:CaseAugmentation/j:CaseDomesticViolenceIndicator",
        "j:CaseDomesticViolenceIndicator",
    ),
    hearings=("j:CaseAugmentation/j:CaseCourtEvent",),
)

STATUS = StatusNames(
    receipt="receipt:MessageReceiptMessage",
    receipt_error="ecf:Error",
    error_code="ecf:ErrorCode",
    error_text="ecf:ErrorText",
    callbacks=(
        "reviewcallback:ReviewFilingCallbackMessage",
        "docketcallback:RecordDocketingCallbackMessage",
    ),
    reference=("nc:DocumentIdentification/nc:IdentificationID",),
    case_number=("criminal:CriminalCase/nc:CaseDocketID",),
    query_response="statusresponse:FilingStatusResponseMessage",
)

FILING = DocumentTemplate(
    root="wsp:ReviewFilingRequestMessage/core:CoreFilingMessage",
    steps=(
        ("nc:DocumentIdentification/nc:IdentificationID", "{idempotency_key}"),
        ("nc:DocumentIdentification/nc:IdentificationCategoryText", "idempotency key"),
        ("ecf:SendingMDELocationID/nc:IdentificationID", SENDER),
        ("ecf:SendingMDEProfileCode", PROFILE),
        ("criminal:CriminalCase/nc:CaseDocketID", "{case_number}"),
        (f"criminal:CriminalCase/j:CaseAugmentation/j:CaseCourt/{COURT_ID}", "{court_id}"),
        ("ecf:FilingLeadDocument/nc:DocumentDescriptionText", "{title}"),
        (
            "ecf:FilingLeadDocument/ecf:DocumentMetadata/j:RegisterActionDescriptionText",
            "{kind}",
        ),
        (f"{ATTACHMENT}/nc:BinaryBase64Object", "{pdf_base64}"),
        (f"{ATTACHMENT}/nc:BinaryLocationURI", "{pdf_uri}"),
        (f"{ATTACHMENT}/nc:BinaryDescriptionText", "{pdf_name}"),
        (f"{ATTACHMENT}/nc:BinaryFormatStandardName", "application/pdf"),
        (f"{ATTACHMENT}/nc:BinarySizeValue", "{pdf_size}"),
        ("ecf:FilingConnectedDocument/nc:DocumentDescriptionText", "Structured report (JSON)"),
        (f"{CONNECTED}/nc:BinaryBase64Object", "{report_base64}"),
        (f"{CONNECTED}/nc:BinaryLocationURI", "{report_uri}"),
        (f"{CONNECTED}/nc:BinaryDescriptionText", "{report_name}"),
        (f"{CONNECTED}/nc:BinaryFormatStandardName", "application/json"),
        (f"{CONNECTED}/nc:BinarySizeValue", "{report_size}"),
    ),
)

CASE_QUERY = DocumentTemplate(
    root="casequery:CaseQueryMessage",
    steps=(
        ("ecf:SendingMDELocationID/nc:IdentificationID", SENDER),
        ("ecf:SendingMDEProfileCode", PROFILE),
        ("ecf:QuerySubmitter/ecf:EntityOrganization/nc:OrganizationName", SUBMITTER),
        (f"j:CaseCourt/{COURT_ID}", "{court_id}"),
        ("nc:CaseTrackingID", "{case_number}"),
        ("casequery:CaseQueryCriteria/casequery:IncludeParticipantsIndicator", "true"),
        ("casequery:CaseQueryCriteria/casequery:IncludeDocketEntryIndicator", "false"),
        ("casequery:CaseQueryCriteria/casequery:IncludeCalendarEventIndicator", "true"),
    ),
)

# QueryMessageType's elements in the schema's order, then the filing asked about.
STATUS_QUERY = DocumentTemplate(
    root="statusquery:FilingStatusQueryMessage",
    steps=(
        ("ecf:SendingMDELocationID/nc:IdentificationID", SENDER),
        ("ecf:SendingMDEProfileCode", PROFILE),
        ("ecf:QuerySubmitter/ecf:EntityOrganization/nc:OrganizationName", SUBMITTER),
        (f"j:CaseCourt/{COURT_ID}", "{court_id}"),
        ("nc:DocumentIdentification/nc:IdentificationID", "{court_reference}"),
    ),
)


class Ecf4CourtFormat(EcfCourtFormat):
    name: ClassVar[str] = "ecf4"
    vocabulary: ClassVar[EcfVocabulary] = EcfVocabulary(
        namespaces=NAMESPACES,
        referral=REFERRAL,
        status=STATUS,
        filing=FILING,
        case_query=CASE_QUERY,
        status_query=STATUS_QUERY,
    )
