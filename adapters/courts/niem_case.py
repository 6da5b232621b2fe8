"""The niem case initiation (`exch:CaseInitiationExchange`) read into a `Referral`.

The document's `nc:Case` (or `j:Case`, `nc:CourtCase`) has `nc:CaseDocketID` and a
`j:CaseAugmentation` holding `j:CaseCourt`, `j:CaseJudge`, `j:CaseCharge`s,
`j:CaseCourtEvent`s and the parties (`j:CaseDefendantParty`, `j:ChargeVictim`, and
`j:CaseOtherEntity` with an `exch:CasePartyRoleCode` read through the court's code
list). Persons are inline or `nc:Person`s linked by `structures:ref`; offense dates come
by `j:OffenseChargeAssociation`. A vendor's own augmentation fills the fields NIEM lacks
(plea, notes) where the court's settings map it (`vendor_extension`).

This is the mapping of a case and its people, kept apart from the format's documents
and envelopes (`niem_format`); hearings are read by `niem_hearings`. Messages name
elements and lines, never a person's name, birth date or contact details.
"""

from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import TypedDict

from lxml.etree import _Element as Element
from pydantic import ValidationError

from adapters.code_lists import CodeLists, PartyRole, code_key
from adapters.courts.niem_hearings import UnreadableHearing, read_day, read_hearing, where
from adapters.courts.vendor_extension import find_vendor_fields
from adapters.courts.xml_settings import XmlFormatSettings
from adapters.dates import DateReading
from adapters.errors import AdapterError
from adapters.registry import describe
from adapters.xml.reading import MissingField, XmlReader
from domain.enums import Plea
from domain.referral import (
    Charge,
    CourtReference,
    Hearing,
    Participant,
    Referral,
    SupportPerson,
    Victim,
    VictimContact,
)

CASE_PATHS = ("nc:Case", "j:Case", "nc:CourtCase")
CASE_COURT = "j:CaseAugmentation/j:CaseCourt"
ORGANIZATION_ID = "nc:OrganizationIdentification/nc:IdentificationID"
PHONE = (
    "nc:ContactTelephoneNumber/nc:FullTelephoneNumber/nc:TelephoneNumberFullID",
    "nc:ContactMobileTelephoneNumber/nc:FullTelephoneNumber/nc:TelephoneNumberFullID",
)
EMAIL = ("nc:ContactEmailID",)
# NIEM has no "safe times to call"; local IEPDs put them in the contact's description.
SAFE_TIMES = ("nc:ContactInformationDescriptionText",)
ADDRESS_PARTS = (
    ("nc:AddressDeliveryPointText", "nc:AddressStreet/nc:StreetFullText"),
    ("nc:AddressSecondaryUnitText",),
    ("nc:LocationCityName", "nc:AddressCityName"),
    ("nc:LocationStateUSPostalServiceCode", "nc:LocationStateName", "nc:AddressState/nc:StateName"),
    ("nc:LocationPostalCode", "nc:AddressPostalCode"),
)
SEVERITY = ("j:ChargeSeverityLevel/j:SeverityLevelDescriptionText", "j:ChargeSeverityText")
STATUTE = "j:ChargeStatute/j:StatuteCodeIdentification/nc:IdentificationID"
CHARGE_DESCRIPTION = ("j:ChargeDescriptionText", "j:ChargeStatute/j:StatuteDescriptionText")

PLEAS: dict[str, Plea] = {
    **dict.fromkeys(["guilty", "g", "gp", "plea of guilty"], Plea.GUILTY),
    **dict.fromkeys(["no contest", "nolo contendere", "nolo", "nc"], Plea.NO_CONTEST),
    **dict.fromkeys(["not guilty", "ng"], Plea.NOT_GUILTY),
    **dict.fromkeys(["finding of guilt", "found guilty", "fg"], Plea.FINDING_OF_GUILT),
    **dict.fromkeys(["none", "no plea"], Plea.NONE),
}


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
        day = partial(read_day, self.reader, self.forms)
        self.vendor = find_vendor_fields(self.reader, settings.vendor_extension, [self.case], day)

    def referral(self, jurisdiction: str) -> Referral:
        try:
            court = self._court()
            charges = self._charges()
            defendant, victim, support = self._parties()
            referred = self._day(self.exchange, "exch:ReferralDate", "referral date")
            referred = referred or self.vendor.day("referred_on")
            return Referral(
                jurisdiction=jurisdiction,
                court=court,
                participant=defendant,
                victim=victim,
                support_people=support,
                charges=charges,
                plea=self._plea(),
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
            judge=None if judge is None else _full_name(r, self._person_of(judge)),
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

    # -- parties ---------------------------------------------------------------------------

    def _parties(self) -> tuple[Participant, Victim, list[SupportPerson]]:
        r = self.reader
        defendants: list[Element] = []
        victims: list[Element] = []
        support: list[SupportPerson] = []
        for role in r.all(self.aug, "j:CaseDefendantParty"):
            _add_once(defendants, self._person_of(role))
        for role in r.all(self.aug, "j:CaseCharge/j:ChargeVictim"):
            _add_once(victims, self._person_of(role))
        for n, entity in enumerate(r.all(self.aug, "j:CaseOtherEntity"), start=1):
            what = f"other party {n}"
            role = self._role(entity, what)
            if role is PartyRole.DEFENDANT:
                _add_once(defendants, self._person_of(entity))
            elif role is PartyRole.VICTIM:
                _add_once(victims, self._person_of(entity))
            elif role in (PartyRole.VICTIM_SUPPORT, PartyRole.PARTICIPANT_SUPPORT):
                supports = "victim" if role is PartyRole.VICTIM_SUPPORT else "participant"
                name = _full_name(r, self._person_of(entity))
                if name is None:
                    r.warnings.append(f"{what}: a support person without a name; not mapped")
                else:
                    support.append(SupportPerson(name=name, supports=supports))
        return self._participant(defendants), self._victim(victims), support

    def _role(self, entity: Element, what: str) -> PartyRole | None:
        code = self.reader.text(entity, ".//exch:CasePartyRoleCode")
        if code is None:
            self.reader.warnings.append(f"{what}: no exch:CasePartyRoleCode; party not mapped")
            return None
        role = self.codes.party_role(code)
        if role is None:
            self.reader.warnings.append(
                f"{what}: party role code {code!r} is not in the court's code list; "
                "kept raw, party not mapped"
            )
        return role

    def _participant(self, defendants: list[Element]) -> Participant:
        if not defendants:
            raise AdapterError(
                "the case names no defendant (expected j:CaseAugmentation/j:CaseDefendantParty, "
                "or a j:CaseOtherEntity with a defendant role code)"
            )
        if len(defendants) > 1:
            raise AdapterError(
                f"the case names {len(defendants)} defendants; a diversion referral is for "
                "one participant, so each needs a referral of their own"
            )
        contacts = self._contacts(defendants[0])
        return Participant(
            **self._person(defendants[0], "defendant"),
            phone=self._first_text(contacts, PHONE),
            email=self._first_text(contacts, EMAIL),
        )

    def _victim(self, victims: list[Element]) -> Victim:
        if not victims:
            raise AdapterError(
                "the case names no victim (expected j:CaseCharge/j:ChargeVictim, "
                "or a j:CaseOtherEntity with a victim role code)"
            )
        if len(victims) > 1:
            self.reader.warnings.append(
                f"the case names {len(victims)} victims; the first is mapped, "
                "the others need entering by hand"
            )
        contacts = self._contacts(victims[0])
        addresses = (self._address(contact) for contact in contacts)
        contact = VictimContact(
            phone=self._first_text(contacts, PHONE),
            email=self._first_text(contacts, EMAIL),
            address=next((a for a in addresses if a is not None), None),
            safe_times_to_call=self._first_text(contacts, SAFE_TIMES),
        )
        return Victim(**self._person(victims[0], "victim"), contact=contact)

    def _person_of(self, role: Element) -> Element:
        """The person a role element names: inline, or by reference to an `nc:Person`."""
        for path in ("nc:EntityPerson", "nc:RoleOfPerson"):
            person = self.reader.first(role, path)
            if person is not None:
                return person
        return self.reader.resolve(role)

    def _person(self, person: Element, what: str) -> "_PersonFields":
        r = self.reader
        name = r.first(person, "nc:PersonName")
        if name is None:
            raise MissingField(
                f"{what} name is missing (expected nc:PersonName in {where(person)})"
            )
        born = self._day(person, "nc:PersonBirthDate", f"{what} date of birth")
        return _PersonFields(
            given_name=r.required(name, "nc:PersonGivenName", f"{what} given name"),
            family_name=r.required(name, "nc:PersonSurName", f"{what} surname"),
            date_of_birth=born.day if born else None,
            identifiers=self._identifiers(person),
        )

    def _identifiers(self, person: Element) -> dict[str, str]:
        r = self.reader
        found: dict[str, str] = {}
        state_id = r.text(person, "nc:PersonStateIdentification/nc:IdentificationID")
        if state_id is not None:
            found["state"] = state_id
        for other in r.all(person, "nc:PersonOtherIdentification"):
            value = r.text(other, "nc:IdentificationID")
            if value is not None:
                scheme = r.first_text(
                    other, ("nc:IdentificationCategoryText", "nc:IdentificationSourceText")
                )
                found[scheme or "other"] = value
        return found

    def _contacts(self, person: Element) -> list[Element]:
        r = self.reader
        return r.all(person, "nc:PersonContactInformation") + r.all(person, "nc:ContactInformation")

    def _first_text(self, elements: list[Element], paths: Sequence[str]) -> str | None:
        found = (self.reader.first_text(el, paths) for el in elements)
        return next((value for value in found if value is not None), None)

    def _address(self, contact: Element) -> str | None:
        r = self.reader
        address = r.first(contact, "nc:ContactMailingAddress")
        if address is None:
            return None
        full = r.text(address, "nc:AddressFullText")
        if full is not None:
            return full
        parts = [r.first_text(address, paths) for paths in ADDRESS_PARTS]
        return ", ".join(part for part in parts if part) or None

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

    def _plea(self) -> Plea:
        code = self.vendor.text("plea")
        if code is None:
            return Plea.NONE
        plea = PLEAS.get(code_key(code))
        if plea is None:
            self.reader.warnings.append(
                f"plea code {code!r} is not one the niem format knows; kept raw, plea unset"
            )
            return Plea.NONE
        return plea

    def _day(self, el: Element | None, path: str, what: str) -> DateReading | None:
        return read_day(self.reader, self.forms, el, path, what)


class _PersonFields(TypedDict):
    given_name: str
    family_name: str
    date_of_birth: date | None
    identifiers: dict[str, str]


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


def _full_name(reader: XmlReader, person: Element) -> str | None:
    name = reader.first(person, "nc:PersonName")
    if name is None:
        return None
    full = reader.text(name, "nc:PersonFullName")
    if full is not None:
        return full
    parts = [reader.text(name, p) for p in ("nc:PersonGivenName", "nc:PersonSurName")]
    return " ".join(p for p in parts if p) or None


def _add_once(people: list[Element], person: Element) -> None:
    # One person is often named by several roles (a victim of each charge).
    if not any(person is known for known in people):
        people.append(person)
