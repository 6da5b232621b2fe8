"""Reading the people in an ECF case: participants and their role codes, each person's
name, date of birth and identifiers, contact details and support people. Both ECF
generations write people in NIEM core, under the same local names; where the
participants sit differs and comes from `ReferralNames`.

No name, date of birth or contact value ever goes into an error or a warning: both end up
in logs and quarantine sidecars. Participants are named by position and role instead.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from lxml.etree import _Element as Element

from adapters.code_lists import PartyRole, code_key
from adapters.courts.xml_settings import XmlFormatSettings
from adapters.courts.xml_template import local_name, where
from adapters.dates import DateReading
from adapters.xml.reading import MissingField, XmlReader
from domain.referral import SupportPerson, VictimContact

if TYPE_CHECKING:
    from adapters.courts.ecf_referral import ReferralNames

PERSON_NAME = "nc:PersonName"
GIVEN_NAME = f"{PERSON_NAME}/nc:PersonGivenName"
SURNAME = f"{PERSON_NAME}/nc:PersonSurName"
FULL_NAME = f"{PERSON_NAME}/nc:PersonFullName"
BIRTH_DATE = ("nc:PersonBirthDate",)
IDENTIFIERS = (
    ("state_id", "nc:PersonStateIdentification/nc:IdentificationID"),
    (
        "drivers_license",
        "nc:PersonDriverLicense/nc:DriverLicenseIdentification/nc:IdentificationID",
    ),
    ("fbi_id", "j:PersonAugmentation/j:PersonFBIIdentification/nc:IdentificationID"),
)
# Social security numbers are deliberately not read: nothing in the program needs them.
OTHER_IDENTIFIER = "nc:PersonOtherIdentification"
CONTACT = ".//nc:ContactInformation"
PHONES = tuple(
    f"{kind}/nc:FullTelephoneNumber/nc:TelephoneNumberFullID"
    for kind in (
        "nc:ContactTelephoneNumber",
        "nc:ContactMobileTelephoneNumber",
        "nc:ContactMainTelephoneNumber",
    )
)
EMAIL = "nc:ContactEmailID"
MAILING_ADDRESS = "nc:ContactMailingAddress"
SUPPORTS = {PartyRole.VICTIM_SUPPORT: "victim", PartyRole.PARTICIPANT_SUPPORT: "participant"}


class PersonFields(NamedTuple):
    given_name: str
    family_name: str
    date_of_birth: date | None
    identifiers: dict[str, str]


@dataclass
class Party:
    position: int
    role: PartyRole
    holder: Element
    person: Element | None


class PartyReading:
    """The parties of one case; every warning lands in the shared `reader.warnings`."""

    def __init__(
        self, reader: XmlReader, case: Element, names: "ReferralNames", settings: XmlFormatSettings
    ) -> None:
        self.reader = reader
        self.case = case
        self.names = names
        self.settings = settings

    @property
    def warnings(self) -> list[str]:
        return self.reader.warnings

    def parties(self) -> list[Party]:
        parties = []
        table = self.settings.code_table()
        for n, holder in enumerate(self.reader.all(self.case, self.names.participants), 1):
            person = first_of(self.reader, holder, self.names.person)
            code = self.reader.first_text(holder, self.names.role_code)
            if code is None and person is not None:
                code = self.reader.first_text(person, self.names.role_code)
            if code is None:
                self.warnings.append(f"participant {n}: no role code; not mapped")
                continue
            role = table.party_role(code)
            if role is None:
                self.warnings.append(f"participant {n}: role code {code!r} is not in the code list")
                continue
            parties.append(Party(n, role, holder, person))
        return parties

    def one(self, parties: list[Party], role: PartyRole) -> Party:
        found = [p for p in parties if p.role is role]
        if not found:
            raise MissingField(
                f"no participant has a {role.value} role code (expected "
                f"{self.names.role_code[0]} in <{local_name(self.names.participants)}>); "
                f"the referral needs the {role.value}"
            )
        for extra in found[1:]:
            self.warnings.append(
                f"participant {extra.position}: a further {role.value}; the referral holds "
                f"one, so only participant {found[0].position} is mapped"
            )
        return found[0]

    def person(self, party: Party) -> PersonFields:
        what = f"participant {party.position} ({party.role.value})"
        person = party.person
        if person is None:
            raise MissingField(
                f"{what} holds no person (expected {self.names.person[0]} in {where(party.holder)})"
            )
        given, surname = self._name(person, what)
        birth = allowed_date(
            self.reader, self.settings, person, BIRTH_DATE, f"{what} date of birth"
        )
        return PersonFields(given, surname, birth.day if birth else None, self._identifiers(person))

    def contact(self, party: Party) -> VictimContact:
        """Phone, email and mailing address, from the person's contact details first."""
        infos: list[Element] = []
        for el in (party.person, party.holder):
            if el is not None:
                infos += [i for i in self.reader.all(el, CONTACT) if i not in infos]
        phone = _first_value(self.reader.first_text(i, PHONES) for i in infos)
        email = _first_value(self.reader.text(i, EMAIL) for i in infos)
        address = _first_value(
            self._address(a)
            for i in infos
            if (a := self.reader.first(i, MAILING_ADDRESS)) is not None
        )
        return VictimContact(phone=phone, email=email, address=address)

    def support_people(self, parties: list[Party]) -> list[SupportPerson]:
        people = []
        for party in parties:
            if party.role not in SUPPORTS:
                continue
            name = None if party.person is None else display_name(self.reader, party.person)
            if not name:
                self.warnings.append(
                    f"participant {party.position}: a support person without a name; not mapped"
                )
                continue
            people.append(SupportPerson(name=name, supports=SUPPORTS[party.role]))
        return people

    def _name(self, person: Element, what: str) -> tuple[str, str]:
        given, surname = self.reader.text(person, GIVEN_NAME), self.reader.text(person, SURNAME)
        full = self.reader.text(person, FULL_NAME)
        if (given is None or surname is None) and full is not None and " " in full:
            self.warnings.append(f"{what}: name given only in full; split at its last space")
            given, surname = full.rsplit(" ", 1)
        if given is None:
            raise MissingField(
                f"{what} given name is missing or empty (expected {GIVEN_NAME} in {where(person)})"
            )
        if surname is None:
            raise MissingField(
                f"{what} family name is missing or empty (expected {SURNAME} in {where(person)})"
            )
        return given, surname

    def _identifiers(self, person: Element) -> dict[str, str]:
        found = {
            scheme: value
            for scheme, path in IDENTIFIERS
            if (value := self.reader.text(person, path)) is not None
        }
        for other in self.reader.all(person, OTHER_IDENTIFIER):
            value = self.reader.text(other, "nc:IdentificationID")
            if value is not None:
                scheme = self.reader.text(other, "nc:IdentificationCategoryText") or "other"
                found.setdefault(code_key(scheme).replace(" ", "_"), value)
        return found

    def _address(self, address: Element) -> str | None:
        full = self.reader.text(address, "nc:AddressFullText")
        if full is not None:
            return full
        # NIEM 2.0 nests the parts in nc:StructuredAddress; NIEM 4.0 puts them inline.
        parts = self.reader.first(address, "nc:StructuredAddress")
        parts = address if parts is None else parts
        text = self.reader.text
        street = text(parts, "nc:LocationStreet/nc:StreetFullText") or _joined(
            text(parts, f"nc:LocationStreet/nc:{field}")
            for field in ("StreetNumberText", "StreetName", "StreetCategoryText")
        )
        state = text(parts, "nc:LocationStateUSPostalServiceCode") or text(
            parts, "nc:LocationStateName"
        )
        region = _joined([state, text(parts, "nc:LocationPostalCode")])
        lines = [
            street,
            text(parts, "nc:AddressSecondaryUnitText"),
            text(parts, "nc:LocationCityName"),
            region,
        ]
        return ", ".join(line for line in lines if line) or None


def display_name(reader: XmlReader, person: Element) -> str | None:
    """A person's name as one line: the full name, else given and family names joined."""
    return reader.text(person, FULL_NAME) or _joined(
        [reader.text(person, GIVEN_NAME), reader.text(person, SURNAME)]
    )


def allowed_date(
    reader: XmlReader,
    settings: XmlFormatSettings,
    el: Element,
    paths: Iterable[str],
    what: str,
) -> DateReading | None:
    """The first date under `paths`; a precision the court's `date_forms` do not allow
    is a warning and None."""
    path = next((p for p in paths if reader.find(el, p) is not None), None)
    if path is None:
        return None
    before = len(reader.warnings)
    return in_date_forms(reader, settings, reader.date(el, path, what), what, before)


def in_date_forms(
    reader: XmlReader,
    settings: XmlFormatSettings,
    reading: DateReading | None,
    what: str,
    warnings_before: int,
) -> DateReading | None:
    """`reading`, unless the court's `date_forms` do not allow its precision: then a
    warning (replacing those given while reading it) and None."""
    before = warnings_before
    if reading is not None and reading.precision not in settings.date_forms:
        del reader.warnings[before:]
        reader.warnings.append(
            f"{what}: given as {reading.precision}, which this court's date_forms do not "
            "allow; left unset"
        )
        return None
    return reading


def first_of(reader: XmlReader, el: Element, paths: Iterable[str]) -> Element | None:
    """The element under the first of `paths` that has one."""
    return next((f for f in (reader.first(el, p) for p in paths) if f is not None), None)


def _first_value(values: Iterable[str | None]) -> str | None:
    return next((v for v in values if v), None)


def _joined(parts: Iterable[str | None]) -> str | None:
    return " ".join(p for p in parts if p) or None
