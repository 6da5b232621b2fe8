"""The persons of one NIBRS report, as `IncidentPerson`s keyed by their place in it.

- A role (`j:Victim`, `j:Subject`, `j:Arrestee`) names its person by `nc:RoleOfPerson`;
  older associations name the person directly. Both resolve to the same key: the
  person's `s:id`, or its place in the document when it has none.
- The age is read as a number, a range, a text code or `nibrs:PersonAgeCode`; a date of
  birth only when it is a full date (a partial one would mislead person matching).
- Identifiers: the state and FBI ids, and each `nc:PersonOtherIdentification` by its
  category.
- Warnings name the person's key, never the person's data.
"""

from datetime import date

from lxml.etree import _Element as Element

from adapters.code_lists import code_key
from adapters.dates import BadDate, read_date
from adapters.xml.reading import XmlReader
from domain.incidents import IncidentPerson, PersonAge

INFANT_AGE_CODES = frozenset({"NN", "NB", "BB", "NEONATAL", "NEWBORN", "BABY"})
UNKNOWN_AGE_CODES = frozenset({"00", "UNKNOWN"})

# Every field of a person, read in one XPath evaluation (`XmlReader.strings`).
_FIELDS = (
    "nc:PersonName/nc:PersonGivenName",
    "nc:PersonName/nc:PersonMiddleName",
    "nc:PersonName/nc:PersonSurName",
    "nc:PersonBirthDate/nc:Date",
    "nc:PersonBirthDate/nc:DateTime",
    # The number and the range of the first measure only; the text code of any.
    "nc:PersonAgeMeasure[1]/nc:MeasureIntegerValue",
    "nc:PersonAgeMeasure[1]/nc:MeasureIntegerRange/nc:RangeMinimumIntegerValue",
    "nc:PersonAgeMeasure[1]/nc:MeasureIntegerRange/nc:RangeMaximumIntegerValue",
    "nc:PersonAgeMeasure/nc:MeasureValueText",
    "j:PersonAugmentation/nibrs:PersonAgeCode",
    "nc:PersonStateIdentification/nc:IdentificationID",
    "j:PersonAugmentation/j:PersonFBIIdentification/nc:IdentificationID",
    # Whether to look for other identifiers at all: most persons have none.
    "count(nc:PersonOtherIdentification)",
)
_OTHER_ID = (
    "nc:IdentificationID",
    "nc:IdentificationCategoryText",
    "nc:IdentificationCategoryDescriptionText",
)


def element_key(reader: XmlReader, el: Element) -> str:
    """How the report knows `el`: its `s:id`, else its place in the document."""
    return reader.id_of(el) or el.getroottree().getpath(el)


class ReportPersons:
    """The persons of one report, each read once however many roles and associations
    name it; `warnings` is the report's list, appended to in reading order."""

    def __init__(self, reader: XmlReader, warnings: list[str]) -> None:
        self.r = reader
        self.warnings = warnings
        self.persons: dict[str, IncidentPerson] = {}
        self._people: dict[Element, Element | None] = {}
        self._keys: dict[Element, str] = {}

    def person_of(self, el: Element) -> Element | None:
        """The `nc:Person` a role names, or `el` when it is a person (older associations
        name persons directly); None for a victim that is no person (a business)."""
        if el in self._people:
            return self._people[el]
        is_person = el.tag.rpartition("}")[2] == "Person"
        person = el if is_person else self.r.child(el, "nc:RoleOfPerson")
        self._people[el] = person
        return person

    def key(self, el: Element) -> str:
        """The person key of a role or person, reading the person the first time it is
        named; a role without a person is known by its own key."""
        key = self._keys.get(el)
        if key is None:
            person = self.person_of(el)
            key = self._keys[el] = element_key(self.r, el if person is None else person)
            if person is not None and key not in self.persons:
                self.persons[key] = self._person(person, key)
        return key

    def _person(self, el: Element, key: str) -> IncidentPerson:
        given, middle, family, born, born_at, years, low, high, text, code, state, fbi, others = (
            self.r.strings(el, _FIELDS)
        )
        return IncidentPerson(
            key=key,
            given_name=given,
            middle_name=middle,
            family_name=family,
            date_of_birth=self._birth_date(born if born is not None else born_at, key),
            age=self._age(years, low, high, text if text is not None else code, key),
            identifiers=self._identifiers(el, state, fbi, others != "0", key),
        )

    def _birth_date(self, text: str | None, key: str) -> date | None:
        if text is None:
            return None
        # Not XmlReader.date: its warnings quote the text, and a birth date is personal.
        try:
            reading = read_date(text)
        except BadDate:
            self.warnings.append(f"person {key}: date of birth is not a date; left unset")
            return None
        if not reading.exact_day:
            self.warnings.append(
                f"person {key}: date of birth is not a full date; not used for matching"
            )
            return None
        return reading.day

    def _age(
        self, years: str | None, low: str | None, high: str | None, code: str | None, key: str
    ) -> PersonAge | None:
        if years is not None or low is not None or high is not None:
            try:
                return PersonAge(years=_whole(years), minimum=_whole(low), maximum=_whole(high))
            except ValueError:
                self.warnings.append(f"person {key}: age is not a whole number; left unset")
                return None
        if code is None:
            return None
        # Codes first: "00" is an unknown age, not a newborn.
        if code.upper() in INFANT_AGE_CODES:
            return PersonAge(years=0, code=code)
        if code.upper() in UNKNOWN_AGE_CODES:
            return PersonAge(code=code)
        if code.isdigit():
            return PersonAge(years=int(code))
        self.warnings.append(f"person {key}: age code {code!r} is not a known code; kept raw")
        return PersonAge(code=code)

    def _identifiers(
        self, el: Element, state: str | None, fbi: str | None, others: bool, key: str
    ) -> dict[str, str]:
        found = {scheme: v for scheme, v in (("state_id", state), ("fbi_id", fbi)) if v}
        for other in self.r.all(el, "nc:PersonOtherIdentification") if others else ():
            value, category, description = self.r.strings(other, _OTHER_ID)
            category = category if category is not None else description
            if value is None:
                continue
            if category is None:
                self.warnings.append(
                    f"person {key}: an identifier without a category; not used for matching"
                )
                continue
            found[code_key(category).replace(" ", "_")] = value
        return found


def _whole(text: str | None) -> int | None:
    return None if text is None else int(text)
