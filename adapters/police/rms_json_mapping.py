"""A police records system's (RMS) JSON incident mapped to a `PoliceIncident`.

Fields only: the domestic-violence finding and the risk flags are domain rules
(`domain.incident_risk`) the adapter applies afterwards. The codes are NIBRS's, as in
`adapters.police.nibrs_mapping`, whose code tables are reused here. One incident:

    {
      "incident_number": "RMS-2026-004417",            # required
      "occurred_at": "2026-04-02T21:40:00-05:00",      # or "occurred_on"; any date form
      "occurred_on": "2026-04",                        #   (day, date-time, YYYY-MM, YYYY)
      "reported_on": "2026-04-03",                     # the date when it occurred is unknown
      "offenses": [{"id": "O1", "code": "13B",         # UCR code; id optional
                    "attempted": false, "force_codes": ["40"]}],
      "persons": [{"id": "P1", "given_name": "...", "middle_name": "...",
                   "family_name": "...", "date_of_birth": "1989-05-17",
                   "age": 36,                          # or {"min": 15, "max": 17}, or a
                                                       #   NIBRS age code ("NN", "00")
                   "identifiers": {"state_id": "..."}}],   # by our scheme names
      "victims": [{"person_id": "P2", "type": "I", "injuries": ["M"],
                   "circumstances": ["06"],            # NIBRS aggravated-assault circumstances
                   "offense_ids": ["O1"],              # omitted: every offense may be against them
                   "relationships": [{"subject_id": "P1", "relationship": "SE"}]}],
      "subjects": [{"person_id": "P1"}],
      "arrestees": [{"person_id": "P1", "arrest_number": "...", "arrested_on": "2026-04-03",
                     "charges": ["13B"], "armed_with": ["01"]}]
    }

- The incident date is `occurred_at`, else `occurred_on`, else `reported_on` (then marked
  as a report date); an unreadable date is an `AdapterError` naming its field.
- Relationship tokens are read by `adapters.police.relationship_codes`, any spelling.
- Subjects and arrestees must name a person in `persons`: they are who a case's
  participant is matched against. A victim need not (a business is a victim too).
- Unknown codes are kept raw with a warning; fields we do not read are ignored with a
  warning, both named by their path (e.g. `offenses.0.code`), never by a person's data.
"""

from collections.abc import Sequence
from datetime import date

from pydantic import ValidationError

from adapters.dates import BadDate, DateReading, read_date
from adapters.errors import AdapterError
from adapters.police.nibrs_mapping import (
    ARMED_WITH_CODES,
    CIRCUMSTANCE_CODES,
    FORCE_CODES,
    INJURY_CODES,
    OFFENSE_CODES,
    VICTIM_CATEGORIES,
)
from adapters.police.nibrs_persons import INFANT_AGE_CODES, UNKNOWN_AGE_CODES
from adapters.police.relationship_codes import RelationshipCodes
from adapters.police.rms_json_wire import (
    RmsAgeRange,
    RmsArrestee,
    RmsIncident,
    RmsOffense,
    RmsSubject,
    RmsVictim,
    unknown_fields,
)
from adapters.registry import describe
from domain.incidents import (
    Arrest,
    DatePrecision,
    IncidentArrestee,
    IncidentPerson,
    IncidentSubject,
    IncidentVictim,
    Offense,
    PersonAge,
    PoliceIncident,
    VictimSubjectRelationship,
)


def map_incident(data: object, codes: RelationshipCodes, *, path: str = "") -> PoliceIncident:
    """The incident `data` (decoded JSON) describes; `path` is where it sits in a larger
    document (e.g. "incidents.3"), for errors and warnings."""
    try:
        wire = RmsIncident.model_validate(data)
    except ValidationError as e:
        raise AdapterError(f"invalid incident fields: {describe(e, prefix=path)}") from None
    return _IncidentMapping(wire, codes, path).incident()


class _IncidentMapping:
    def __init__(self, wire: RmsIncident, codes: RelationshipCodes, path: str) -> None:
        self.wire = wire
        self.codes = codes
        self.path = path
        self.warnings: list[str] = unknown_fields(wire, path)

    def incident(self) -> PoliceIncident:
        persons = self._persons()
        self._check_roles(persons)
        reading, is_report_date = self._incident_date()
        arrestees = self.wire.arrestees
        return PoliceIncident(
            incident_number=self.wire.incident_number,
            incident_date=reading.day if reading else None,
            date_precision=_precision(reading),
            date_is_report_date=is_report_date,
            offenses=[self._offense(n, o) for n, o in enumerate(self.wire.offenses)],
            persons=persons,
            victims=[self._victim(n, v) for n, v in enumerate(self.wire.victims)],
            subjects=[IncidentSubject(person=s.person_id) for s in self.wire.subjects],
            arrestees=[self._arrestee(n, a) for n, a in enumerate(arrestees)],
            arrests=[self._arrest(n, a) for n, a in enumerate(arrestees)],
            relationships=self._relationships(),
            warnings=self.warnings,
        )

    # -- incident ------------------------------------------------------------------------

    def _incident_date(self) -> tuple[DateReading | None, bool]:
        for field in ("occurred_at", "occurred_on"):
            reading = self._date(getattr(self.wire, field), field)
            if reading is not None:
                return reading, False
        reported = self._date(self.wire.reported_on, "reported_on")
        if reported is None:
            self.warnings.append(
                f"{self._at('occurred_at')}: no occurred_at, occurred_on or reported_on; "
                "the incident is undated"
            )
        return reported, reported is not None

    def _offense(self, number: int, offense: RmsOffense) -> Offense:
        at = self._at("offenses", number)
        return Offense(
            key=offense.id or at,
            ucr_code=self._known(offense.code, OFFENSE_CODES, f"{at}.code"),
            attempted=offense.attempted,
            force_codes=self._all_known(offense.force_codes, FORCE_CODES, f"{at}.force_codes"),
        )

    def _victim(self, number: int, victim: RmsVictim) -> IncidentVictim:
        at = self._at("victims", number)
        category = victim.type
        return IncidentVictim(
            person=victim.person_id,
            category=self._known(category, VICTIM_CATEGORIES, f"{at}.type") if category else None,
            injury_codes=self._all_known(victim.injuries, INJURY_CODES, f"{at}.injuries"),
            circumstance_codes=self._all_known(
                victim.circumstances, CIRCUMSTANCE_CODES, f"{at}.circumstances"
            ),
            offenses=victim.offense_ids,
        )

    def _arrestee(self, number: int, arrestee: RmsArrestee) -> IncidentArrestee:
        at = self._at("arrestees", number, "armed_with")
        return IncidentArrestee(
            person=arrestee.person_id,
            armed_with_codes=self._all_known(arrestee.armed_with, ARMED_WITH_CODES, at),
        )

    def _arrest(self, number: int, arrestee: RmsArrestee) -> Arrest:
        at = self._at("arrestees", number)
        reading = self._date(arrestee.arrested_on, f"arrestees.{number}.arrested_on")
        return Arrest(
            arrest_number=arrestee.arrest_number,
            arrested_on=reading.day if reading else None,
            charge_codes=self._all_known(arrestee.charges, OFFENSE_CODES, f"{at}.charges"),
            arrestees=[arrestee.person_id],
        )

    def _relationships(self) -> list[VictimSubjectRelationship]:
        found = []
        for v, victim in enumerate(self.wire.victims):
            for r, link in enumerate(victim.relationships):
                relationship = self.codes.lookup(link.relationship)
                if relationship is None:
                    at = self._at("victims", v, "relationships", r, "relationship")
                    self.warnings.append(
                        f"{at}: {link.relationship!r} is not a known relationship code; kept raw"
                    )
                found.append(
                    VictimSubjectRelationship(
                        victim=victim.person_id,
                        subject=link.subject_id,
                        raw=link.relationship,
                        relationship=relationship,
                    )
                )
        return found

    # -- persons -------------------------------------------------------------------------

    def _persons(self) -> dict[str, IncidentPerson]:
        persons: dict[str, IncidentPerson] = {}
        for number, person in enumerate(self.wire.persons):
            if person.id in persons:
                raise AdapterError(
                    f"{self._at('persons', number, 'id')}: the id of an earlier person; "
                    "each person's id must be unique"
                )
            persons[person.id] = IncidentPerson(
                key=person.id,
                given_name=person.given_name,
                middle_name=person.middle_name,
                family_name=person.family_name,
                date_of_birth=self._birth_date(number, person.date_of_birth),
                age=self._age(number, person.age),
                identifiers=person.identifiers,
            )
        return persons

    def _check_roles(self, persons: dict[str, IncidentPerson]) -> None:
        # A subject we cannot see is one no case's participant could be matched to.
        roles: list[tuple[str, Sequence[RmsSubject | RmsArrestee]]] = [
            ("subjects", self.wire.subjects),
            ("arrestees", self.wire.arrestees),
        ]
        for role, people in roles:
            for number, someone in enumerate(people):
                if someone.person_id not in persons:
                    raise AdapterError(
                        f"{self._at(role, number, 'person_id')}: names no person in persons"
                    )

    def _birth_date(self, number: int, text: str | None) -> date | None:
        if text is None or not text.strip():
            return None
        at = self._at("persons", number, "date_of_birth")
        # Not `_date`: its failure is an error, and a birth date is no reason to lose an
        # incident; the text is never quoted, a birth date being personal.
        try:
            reading = read_date(text)
        except BadDate:
            self.warnings.append(f"{at}: not a date; left unset")
            return None
        if not reading.exact_day:
            self.warnings.append(f"{at}: not a full date; not used for matching")
            return None
        return reading.day

    def _age(self, number: int, age: int | RmsAgeRange | str | None) -> PersonAge | None:
        if age is None:
            return None
        if isinstance(age, int):
            return PersonAge(years=age)
        if isinstance(age, RmsAgeRange):
            return PersonAge(minimum=age.min, maximum=age.max)
        code = age.strip()
        # Codes first: "00" is an unknown age, not a newborn.
        if code.upper() in INFANT_AGE_CODES:
            return PersonAge(years=0, code=code)
        if code.upper() in UNKNOWN_AGE_CODES or not code:
            return PersonAge(code=code) if code else None
        if code.isdigit():
            return PersonAge(years=int(code))
        at = self._at("persons", number, "age")
        self.warnings.append(f"{at}: {code!r} is not a known age code; kept raw")
        return PersonAge(code=code)

    # -- values --------------------------------------------------------------------------

    def _date(self, text: str | None, field: str) -> DateReading | None:
        if text is None or not text.strip():
            return None  # empty means absent, as in the XML formats
        try:
            return read_date(text)
        except BadDate:
            raise AdapterError(
                f"{self._at(field)}: not a date; expected YYYY-MM-DD, "
                "YYYY-MM-DDThh:mm[:ss][offset], YYYY-MM or YYYY"
            ) from None

    def _known(self, code: str, known: frozenset[str], at: str) -> str:
        if code.strip().upper() not in known:
            self.warnings.append(f"{at}: {code!r} is not a known NIBRS code; kept raw")
        return code

    def _all_known(self, codes: list[str], known: frozenset[str], at: str) -> list[str]:
        return [self._known(code, known, f"{at}.{n}") for n, code in enumerate(codes)]

    def _at(self, *parts: str | int) -> str:
        return ".".join(str(p) for p in (self.path, *parts) if p != "")


def _precision(reading: DateReading | None) -> DatePrecision:
    if reading is None or reading.exact_day:
        return DatePrecision.DAY
    return DatePrecision(reading.precision.value)
