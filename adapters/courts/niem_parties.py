"""Reading the people in a niem case initiation: the defendant, the victim and support
people, found by their NIEM party roles under the case's `j:CaseAugmentation`
(`j:CaseDefendantParty`, `j:CaseCharge/j:ChargeVictim`, and `j:CaseOtherEntity` with an
`exch:CasePartyRoleCode` read through the court's code list). A role holds its person
inline or names an `nc:Person` by `structures:ref`; each person's name, date of birth,
identifiers and contact details are read from there.

No name, date of birth or contact value ever goes into an error or a warning: both end up
in logs and quarantine sidecars. Messages name elements, lines and parties by role and
position instead.
"""

from collections.abc import Sequence
from datetime import date
from typing import TypedDict

from lxml.etree import _Element as Element

from adapters.code_lists import CodeLists, PartyRole
from adapters.courts.niem_hearings import where
from adapters.errors import AdapterError
from adapters.xml.reading import DayReader, MissingField, XmlReader
from domain.referral import Participant, SupportPerson, Victim, VictimContact

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


class _PersonFields(TypedDict):
    given_name: str
    family_name: str
    date_of_birth: date | None
    identifiers: dict[str, str]


class NiemParties:
    """The people of one case; every warning lands in the shared `reader.warnings`."""

    def __init__(
        self, reader: XmlReader, augmentation: Element, codes: CodeLists, day: DayReader
    ) -> None:
        self.reader = reader
        self.aug = augmentation
        self.codes = codes
        # The case's, so birth dates are held to the court's date_forms like its other dates.
        self._day = day

    def read(self) -> tuple[Participant, Victim, list[SupportPerson]]:
        """The defendant as the participant, the victim and the support people."""
        r = self.reader
        defendants: list[Element] = []
        victims: list[Element] = []
        support: list[SupportPerson] = []
        for role in r.all(self.aug, "j:CaseDefendantParty"):
            _add_once(defendants, person_of(r, role))
        for role in r.all(self.aug, "j:CaseCharge/j:ChargeVictim"):
            _add_once(victims, person_of(r, role))
        for n, entity in enumerate(r.all(self.aug, "j:CaseOtherEntity"), start=1):
            what = f"other party {n}"
            role = self._role(entity, what)
            if role is PartyRole.DEFENDANT:
                _add_once(defendants, person_of(r, entity))
            elif role is PartyRole.VICTIM:
                _add_once(victims, person_of(r, entity))
            elif role in (PartyRole.VICTIM_SUPPORT, PartyRole.PARTICIPANT_SUPPORT):
                supports = "victim" if role is PartyRole.VICTIM_SUPPORT else "participant"
                name = full_name(r, person_of(r, entity))
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

    def _person(self, person: Element, what: str) -> _PersonFields:
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


def person_of(reader: XmlReader, role: Element) -> Element:
    """The person a role element names: inline, or by reference to an `nc:Person`."""
    for path in ("nc:EntityPerson", "nc:RoleOfPerson"):
        person = reader.first(role, path)
        if person is not None:
            return person
    return reader.resolve(role)


def full_name(reader: XmlReader, person: Element) -> str | None:
    """A person's name as one line: the full name, else given and family names joined."""
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
