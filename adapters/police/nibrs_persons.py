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
from typing import Any

from adapters.code_lists import code_key
from adapters.dates import BadDate, read_date
from adapters.xml.snapshot import Node, Tags

INFANT_AGE_CODES = frozenset({"NN", "NB", "BB", "NEONATAL", "NEWBORN", "BABY"})
UNKNOWN_AGE_CODES = frozenset({"00", "UNKNOWN"})


class ReportPersons:
    """The persons of one report, each read once however many roles and associations
    name it; `warnings` is the report's list, appended to in reading order. `persons`
    holds each as the fields of an `IncidentPerson`, validated with the incident."""

    def __init__(self, tags: Tags, warnings: list[str]) -> None:
        self.t = tags
        self.warnings = warnings
        self.persons: dict[str, dict[str, Any]] = {}
        self._keys: dict[Node, str] = {}

    def person_of(self, node: Node) -> Node | None:
        """The `nc:Person` a role names, or `node` when it is a person (older associations
        name persons directly); None for a victim that is no person (a business)."""
        if node.tag.endswith("}Person"):
            return node
        return node.first(self.t["nc:RoleOfPerson"])

    def key(self, node: Node) -> str:
        """The person key of a role or person, reading the person the first time it is
        named; a role without a person is known by its own key."""
        key = self._keys.get(node)
        if key is None:
            person = self.person_of(node)
            key = self._keys[node] = (node if person is None else person).key()
            if person is not None and key not in self.persons:
                self.persons[key] = self._person(person, key)
        return key

    def _person(self, person: Node, key: str) -> dict[str, Any]:
        """Each field as XPath's `string()` of its path reads it: the first element on the
        path in document order."""
        t = self.t
        given, middle, family = person.path_texts(
            t["nc:PersonName"],
            t["nc:PersonGivenName"],
            t["nc:PersonMiddleName"],
            t["nc:PersonSurName"],
        )
        born, born_at = person.path_texts(t["nc:PersonBirthDate"], t["nc:Date"], t["nc:DateTime"])
        return {
            "key": key,
            "given_name": given,
            "middle_name": middle,
            "family_name": family,
            "date_of_birth": self._birth_date(born if born is not None else born_at, key),
            "age": self._age(person, key),
            "identifiers": self._identifiers(person, key),
        }

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

    def _age(self, person: Node, key: str) -> dict[str, Any] | None:
        """The number or the range of the first measure; else the text code of any
        measure, else `nibrs:PersonAgeCode`."""
        t = self.t
        measures = person.named(t["nc:PersonAgeMeasure"])
        if measures:
            first = measures[0]
            years = first.text_of(t["nc:MeasureIntegerValue"])
            low, high = first.path_texts(
                t["nc:MeasureIntegerRange"],
                t["nc:RangeMinimumIntegerValue"],
                t["nc:RangeMaximumIntegerValue"],
            )
            if years is not None or low is not None or high is not None:
                try:
                    return {"years": _whole(years), "minimum": _whole(low), "maximum": _whole(high)}
                except ValueError:
                    self.warnings.append(f"person {key}: age is not a whole number; left unset")
                    return None
        code = person.path_text(t["nc:PersonAgeMeasure"], t["nc:MeasureValueText"])
        if code is None:
            code = person.path_text(t["j:PersonAugmentation"], t["nibrs:PersonAgeCode"])
        if code is None:
            return None
        # Codes first: "00" is an unknown age, not a newborn.
        if code.upper() in INFANT_AGE_CODES:
            return {"years": 0, "code": code}
        if code.upper() in UNKNOWN_AGE_CODES:
            return {"code": code}
        if code.isdigit():
            return {"years": int(code)}
        self.warnings.append(f"person {key}: age code {code!r} is not a known code; kept raw")
        return {"code": code}

    def _identifiers(self, person: Node, key: str) -> dict[str, str]:
        t = self.t
        number = t["nc:IdentificationID"]
        state = person.path_text(t["nc:PersonStateIdentification"], number)
        fbi = person.path_text(t["j:PersonAugmentation"], t["j:PersonFBIIdentification"], number)
        found = {}
        if state:
            found["state_id"] = state
        if fbi:
            found["fbi_id"] = fbi
        for other in person.all(t["nc:PersonOtherIdentification"]):
            value = other.text_of(number)
            category = other.text_of(
                t["nc:IdentificationCategoryText"], t["nc:IdentificationCategoryDescriptionText"]
            )
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
    """A count of years: ValueError for anything else, a negative number included."""
    if text is None:
        return None
    years = int(text)
    if years < 0:
        raise ValueError(f"{years} is negative")
    return years
