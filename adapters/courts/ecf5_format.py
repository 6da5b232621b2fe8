"""OASIS LegalXML Electronic Court Filing 5.0 ("ecf5"), over NIEM 4.0 and jxdm 6.0. The
mapping is shared with ECF 4.01 (`ecf_format`, `ecf_referral`, `ecf_parties`,
`ecf_status`); what differs is named here.

- referral: a `GetCaseResponseMessage` (in `wrappers:GetCaseResponse`) holding an
  `nc:Case`, parties as `ecf:CaseParty`s whose role code may sit on the person's
  `ecf:PersonAugmentation`, charges as `j:CaseCharge`s;
- filing: a `wrappers:ReviewFilingRequest` holding a `filing:FilingMessage` whose
  `filing:FilingLeadDocument` carries the report PDF in an `nc:Attachment`, and whose
  `filing:FilingConnectedDocument` carries the report's structured data (JSON);
- status: the `ReviewFilingResponse`'s `cbrn:MessageStatus` (error code "0" = received),
  or a `NotifyFilingReviewCompleteMessage` / `NotifyDocketingCompleteMessage` callback
  with an `ecf:FilingStatusCode`;
- case query: a `wrappers:GetCaseRequest`;
- status query (the Filing Review MDE's GetFilingStatus): a `wrappers:GetFilingStatusRequest`
  holding a `GetFilingStatusRequestMessage` that names the filing by its
  `nc:DocumentIdentification` (the court's filing id, from its receipt); the answer, a
  `wrappers:GetFilingStatusResponse`, carries it as the `GetFilingStatusResponseMessage`'s
  `ecf:MatchingFiling` with its `ecf:FilingStatus` (or `cbrn:MessageStatus` errors).
  Followed: the ECF 5.0 (NIEM 4.0) filingstatusrequest, filingstatusresponse and ecf
  schemas, and the 5.0 wrappers.

Courts on a later NIEM release (vendors ship jxdm 6.1 and cbrn 4.1) rebind the prefixes
through `settings.namespaces`.
"""

from typing import ClassVar

from adapters.courts.ecf_format import EcfCourtFormat, EcfVocabulary
from adapters.courts.ecf_referral import ReferralNames
from adapters.courts.ecf_status import StatusNames
from adapters.courts.xml_template import DocumentTemplate

ECF = "https://docs.oasis-open.org/legalxml-courtfiling/ns/v5.0"

NAMESPACES = {
    "nc": "http://release.niem.gov/niem/niem-core/4.0/",
    "j": "http://release.niem.gov/niem/domains/jxdm/6.0/",
    "s": "http://release.niem.gov/niem/structures/4.0/",
    "cbrn": "http://release.niem.gov/niem/domains/cbrn/4.0/",
    "ecf": f"{ECF}/ecf",
    "criminal": f"{ECF}/criminal",
    "wrappers": f"{ECF}/wrappers",
    "caseresponse": f"{ECF}/caseresponse",
    "caserequest": f"{ECF}/caserequest",
    "filing": f"{ECF}/filing",
    "reviewcallback": f"{ECF}/reviewfilingcallback",
    "docketcallback": f"{ECF}/docketcallback",
    "filingstatusrequest": f"{ECF}/filingstatusrequest",
    "filingstatusresponse": f"{ECF}/filingstatusresponse",
}

COURT_ID = "nc:OrganizationIdentification/nc:IdentificationID"
PROFILE = "urn:oasis:names:tc:legalxml-courtfiling:schema:xsd:WebServicesMessaging-5.0"
SENDER = "urn:restorative-diversion"
SUBMITTER = "Restorative Diversion"
RENDITION = "ecf:DocumentAugmentation/ecf:DocumentRendition/nc:Attachment"
ATTACHMENT = f"filing:FilingLeadDocument/{RENDITION}"
# The report's structured data travels beside the PDF as a connected document.
CONNECTED = f"filing:FilingConnectedDocument/{RENDITION}"
MESSAGE_ERROR = "cbrn:MessageStatus/cbrn:MessageContentError"

REFERRAL = ReferralNames(
    message="caseresponse:GetCaseResponseMessage",
    case="nc:Case",
    docket=("nc:CaseDocketID", "j:CaseAugmentation/j:CaseNumberText"),
    court=(f"j:CaseAugmentation/j:CaseCourt/{COURT_ID}", f"j:CaseCourt/{COURT_ID}"),
    judge="j:CaseAugmentation/j:CaseJudge",
    participants="ecf:CaseAugmentation/ecf:CaseParty",
    person=("nc:EntityPerson", "ecf:EntityPerson"),
    role_code=("ecf:CaseParticipantRoleCode", "ecf:PersonAugmentation/ecf:CaseParticipantRoleCode"),
    charges=("j:CaseAugmentation/j:CaseCharge", "criminal:CaseCharge"),
    offense_date=(
        "j:ChargeOffense/nc:ActivityDate",
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
    receipt="wrappers:ReviewFilingResponse",
    receipt_error=MESSAGE_ERROR,
    error_code="cbrn:ErrorDescription/cbrn:ErrorCodeText",
    error_text="cbrn:ErrorDescription/cbrn:ErrorCodeDescriptionText",
    callbacks=(
        "reviewcallback:NotifyFilingReviewCompleteMessage",
        "docketcallback:NotifyDocketingCompleteMessage",
    ),
    reference=("nc:DocumentIdentification/nc:IdentificationID",),
    case_number=("nc:Case/nc:CaseDocketID",),
    query_response="filingstatusresponse:GetFilingStatusResponseMessage",
    query_filing="ecf:MatchingFiling",
)

# FilingMessageType's elements in the schema's order: CaseFilingType's first (as in
# STATUS_QUERY below: who files, from where, for which court, posted when), then the
# connected documents before the lead document, then the case. The post date is the
# report's own time, so a resend of one filing is the same bytes (the court deduplicates
# by the idempotency key).
FILING = DocumentTemplate(
    root="wrappers:ReviewFilingRequest/filing:FilingMessage",
    steps=(
        ("nc:DocumentIdentification/nc:IdentificationID", "{idempotency_key}"),
        ("nc:DocumentIdentification/nc:IdentificationCategoryDescriptionText", "idempotency key"),
        ("ecf:DocumentFiler/nc:EntityOrganization/nc:OrganizationName", SUBMITTER),
        ("ecf:SendingMDELocationID/nc:IdentificationID", SENDER),
        ("ecf:ServiceInteractionProfileCode", PROFILE),
        (f"j:CaseCourt/{COURT_ID}", "{court_id}"),
        ("nc:DocumentPostDate/nc:DateTime", "{posted_at}"),
        ("filing:FilingConnectedDocument/nc:DocumentDescriptionText", "Structured report (JSON)"),
        (f"{CONNECTED}/nc:Base64BinaryObject", "{report_base64}"),
        (f"{CONNECTED}/nc:BinaryLocationURI", "{report_uri}"),
        (f"{CONNECTED}/nc:BinaryDescriptionText", "{report_name}"),
        (f"{CONNECTED}/nc:BinaryFormatText", "application/json"),
        (f"{CONNECTED}/nc:BinarySizeValue", "{report_size}"),
        ("filing:FilingLeadDocument/nc:DocumentDescriptionText", "{title}"),
        (f"{ATTACHMENT}/nc:Base64BinaryObject", "{pdf_base64}"),
        (f"{ATTACHMENT}/nc:BinaryLocationURI", "{pdf_uri}"),
        (f"{ATTACHMENT}/nc:BinaryDescriptionText", "{pdf_name}"),
        (f"{ATTACHMENT}/nc:BinaryFormatText", "application/pdf"),
        (f"{ATTACHMENT}/nc:BinarySizeValue", "{pdf_size}"),
        (
            "filing:FilingLeadDocument/ecf:DocumentAugmentation/ecf:RegisterActionDescriptionCode",
            "{kind}",
        ),
        ("nc:Case/nc:CaseDocketID", "{case_number}"),
        (f"nc:Case/j:CaseAugmentation/j:CaseCourt/{COURT_ID}", "{court_id}"),
    ),
)

CASE_QUERY = DocumentTemplate(
    root="wrappers:GetCaseRequest/caserequest:GetCaseRequestMessage",
    steps=(
        ("ecf:SendingMDELocationID/nc:IdentificationID", SENDER),
        ("ecf:ServiceInteractionProfileCode", PROFILE),
        (f"j:CaseCourt/{COURT_ID}", "{court_id}"),
        ("caserequest:CaseQueryCriteria/caserequest:IncludeCalendarEventIndicator", "true"),
        ("caserequest:CaseQueryCriteria/caserequest:IncludeDocketEntryIndicator", "false"),
        ("caserequest:CaseQueryCriteria/caserequest:IncludeParticipantsIndicator", "true"),
        ("caserequest:CaseQueryCriteria/j:CaseNumberText", "{case_number}"),
    ),
)

# CaseFilingType's elements in the schema's order: the document it is about (the filing,
# by the court's id for it), who asks, from where, which court, and when it was sent.
STATUS_QUERY = DocumentTemplate(
    root="wrappers:GetFilingStatusRequest/filingstatusrequest:GetFilingStatusRequestMessage",
    steps=(
        ("nc:DocumentIdentification/nc:IdentificationID", "{court_reference}"),
        ("ecf:DocumentFiler/nc:EntityOrganization/nc:OrganizationName", SUBMITTER),
        ("ecf:SendingMDELocationID/nc:IdentificationID", SENDER),
        ("ecf:ServiceInteractionProfileCode", PROFILE),
        (f"j:CaseCourt/{COURT_ID}", "{court_id}"),
        ("nc:DocumentPostDate/nc:DateTime", "{sent_at}"),
    ),
)


class Ecf5CourtFormat(EcfCourtFormat):
    name: ClassVar[str] = "ecf5"
    vocabulary: ClassVar[EcfVocabulary] = EcfVocabulary(
        namespaces=NAMESPACES,
        referral=REFERRAL,
        status=STATUS,
        filing=FILING,
        case_query=CASE_QUERY,
        status_query=STATUS_QUERY,
    )
