"""The niem case initiation (`exch:CaseInitiationExchange`) read into a `Referral`.

The document's `nc:Case` (or `j:Case`, `nc:CourtCase`) has `nc:CaseDocketID` and a
`j:CaseAugmentation` holding `j:CaseCourt`, `j:CaseJudge`, `j:CaseCharge`s,
`j:CaseCourtEvent`s and the parties (`j:CaseDefendantParty`, `j:ChargeVictim`, and
`j:CaseOtherEntity` with an `exch:CasePartyRoleCode` read through the court's code
list). Persons are inline or `nc:Person`s linked by `structures:ref`; offense dates come
by `j:OffenseChargeAssociation`. A vendor's own augmentation fills the fields NIEM lacks
(plea, notes) where the court's settings map it (`vendor_extension`).

This is the mapping of a case, kept apart from the format's documents and envelopes
(`niem_format`); its people are read by `niem_parties` and its hearings by
`niem_hearings`. Messages name elements and lines, never a person's name, birth date or
contact details.
"""

from lxml.etree import _Element as Element
from pydantic import ValidationError

from adapters.code_lists import CodeLists
from adapters.courts.niem_hearings import UnreadableHearing, read_day, read_hearing, where
from adapters.courts.niem_parties import NiemParties, full_name, person_of
from adapters.courts.vendor_extension import find_vendor_fields
from adapters.courts.xml_settings import XmlFormatSettings
from adapters.dates import DateReading
from adapters.errors import AdapterError
from adapters.registry import describe
from adapters.xml.reading import MissingField, XmlReader
from domain.referral import Charge, CourtReference, Hearing, Referral

CASE_PATHS = ("nc:Case", "j:Case", "nc:CourtCase")
CASE_COURT = "j:CaseAugmentation/j:CaseCourt"
ORGANIZATION_ID = "nc:OrganizationIdentification/nc:IdentificationID"
SEVERITY = ("j:ChargeSeverityLevel/j:SeverityLevelDescriptionText", "j:ChargeSeverityText")
STATUTE = "j:ChargeStatute/j:StatuteCodeIdentification/nc:IdentificationID"
CHARGE_DESCRIPTION = ("j:ChargeDescriptionText", "j:ChargeStatute/j:StatuteDescriptionText")


class CaseInitiation:
    """One case initiation document being read into a `Referral`."""

    def __init__(
        self, exchange: Element, ns: dict[str, str], settings: XmlFormatSettings, codes: CodeLists
    ) -> None:
        self.reader = XmlReader(exchange, ns)
        self.exchange = exchange
        self.forms = settings.date_forms
        self.court_id = settings.court_id
        self.codes = codes
        self.case = find_case(self.reader, exchange, "case initiation")
        augmentation = self.reader.first(self.case, "j:CaseAugmentation")
        if augmentation is None:
            raise MissingField(
                f"the case has no j:CaseAugmentation with its court, parties and charges "
                f"({where(self.case)})"
            )
        self.aug = augmentation
        extension = settings.vendor_extension
        self.vendor = find_vendor_fields(self.reader, extension, [self.case], self._day)
        self.people = NiemParties(self.reader, self.aug, codes, self._day)

    def referral(self, jurisdiction: str) -> Referral:
        try:
            court = self._court()
            charges = self._charges()
            defendant, victim, support = self.people.read()
            referred = self._day(self.exchange, "exch:ReferralDate", "referral date")
            referred = referred or self.vendor.day("referred_on")
            return Referral(
                jurisdiction=jurisdiction,
                court=court,
                participant=defendant,
                victim=victim,
                support_people=support,
                charges=charges,
                plea=self.vendor.plea(),
                referred_on=referred.day if referred else None,
                notes=self.vendor.text("notes") or "",
                warnings=list(self.reader.warnings),
            )
        except ValidationError as e:
            raise AdapterError(f"the case does not make a valid referral: {describe(e)}") from None

    # -- court -----------------------------------------------------------------------------

    def _court(self) -> CourtReference:
        r = self.reader
        case_number = r.required(self.case, "nc:CaseDocketID", "docket number")
        court_id = case_court_id(r, self.case, self.court_id)
        category = r.first_text(self.case, ("nc:CaseGeneralCategoryText", "nc:CaseCategoryText"))
        if category is not None and self.codes.case_category(category) is None:
            r.warnings.append(
                f"case category {category!r} is not in the court's code list; kept raw"
            )
        judge = r.first(self.aug, "j:CaseJudge")
        return CourtReference(
            court_id=court_id,
            case_number=case_number,
            judge=None if judge is None else full_name(r, person_of(r, judge)),
            hearings=self._hearings(),
        )

    def _hearings(self) -> list[Hearing]:
        r = self.reader
        hearings = []
        events = r.all(self.aug, "j:CaseCourtEvent") + r.all(self.aug, "j:CaseHearing")
        for n, event in enumerate(events, start=1):
            try:
                hearings.append(read_hearing(r, self.forms, event, f"hearing {n}"))
            except UnreadableHearing as e:
                r.warnings.append(f"{e}; hearing left out")
        return hearings

    # -- charges and plea ------------------------------------------------------------------

    def _charges(self) -> list[Charge]:
        r = self.reader
        charges = r.all(self.aug, "j:CaseCharge")
        if not charges:
            raise AdapterError(
                f"the case has no charge (expected j:CaseCharge in {where(self.aug)})"
            )
        case_dv = r.flag(self.aug, "j:CaseDomesticViolenceIndicator", "case domestic violence")
        if case_dv is None:
            case_dv = self.vendor.flag("domestic_violence")
        return [self._charge(charge, f"charge {n}", case_dv) for n, charge in enumerate(charges, 1)]

    def _charge(self, charge: Element, what: str, case_dv: bool | None) -> Charge:
        r = self.reader
        dv = r.flag(charge, "j:ChargeDomesticViolenceIndicator", f"{what} domestic violence")
        offense = self._offense_day(charge, what)
        return Charge(
            statute=r.required(charge, STATUTE, f"{what} statute"),
            description=r.first_text(charge, CHARGE_DESCRIPTION) or "",
            severity=r.first_text(charge, SEVERITY) or self.vendor.text("severity"),
            offense_date=offense.day if offense else None,
            # Unstated means domestic violence: the court referred the case to a DV program.
            domestic_violence=next((f for f in (dv, case_dv) if f is not None), True),
        )

    def _offense_day(self, charge: Element, what: str) -> DateReading | None:
        r = self.reader
        for link in r.all(self.exchange, ".//j:OffenseChargeAssociation"):
            if r.first(link, "j:Charge") is charge:
                offense = r.first(link, "j:Offense")
                return self._day(offense, "nc:ActivityDate", f"{what} offense date")
        return None

    def _day(self, el: Element | None, path: str, what: str) -> DateReading | None:
        return read_day(self.reader, self.forms, el, path, what)


def find_case(reader: XmlReader, exchange: Element, what: str) -> Element:
    for path in CASE_PATHS:
        case = reader.first(exchange, path)
        if case is not None:
            return case
    raise MissingField(
        f"the {what} document has no case (expected {' or '.join(CASE_PATHS)} in {where(exchange)})"
    )


def case_court_id(reader: XmlReader, case: Element, configured: str | None) -> str:
    """The court a case is before: as the document names it, else the court's settings."""
    court = reader.first(case, CASE_COURT)  # often a reference to an nc:Organization
    court_id = (reader.text(court, ORGANIZATION_ID) if court is not None else None) or configured
    if court_id is None:
        raise MissingField(
            f"court id is missing or empty (expected {CASE_COURT}/{ORGANIZATION_ID} "
            f"in {where(case)}) "
            "and the court's settings give no court_id"
        )
    return court_id
