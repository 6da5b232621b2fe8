"""NIBRS XML submissions (FBI NIBRS IEPD 4.x and 2019.x) mapped to `PoliceIncident`s.

Fields only: the domestic-violence finding and the risk flags are domain rules
(`domain.incident_risk`) the adapter applies afterwards.

- A `nibrs:Submission` holds one `nibrs:Report` per incident. A Group B arrest report
  (an arrest without `nc:Incident`, where e.g. 90Z order violations appear) maps as an
  incident numbered by its arrest; a delete report (action D) and a zero report are not
  incidents and are skipped.
- Persons are linked to their roles (`j:Victim`, `j:Subject`, `j:Arrestee`) and the
  roles to associations by `s:id`/`s:ref`; 4.2 associations refer to roles, older
  documents to persons, and both resolve to the same person key.
- Which namespaces a document uses (its generation) is the adapter's to say
  (`adapters.police.nibrs_adapter.submission_namespaces`); the mapping is the same.
- The element variants of the generations are all read: the relationship code in `nibrs:`
  or `j:`, the injury on the victim or on the person, the age as a number, a range, a
  text code or `nibrs:PersonAgeCode`.
- Unknown codes are kept raw with a warning naming the element, never the person's data.
"""

from collections.abc import Mapping
from datetime import date
from functools import cached_property

from lxml import etree
from lxml.etree import _Element as Element

from adapters.code_lists import code_key
from adapters.dates import BadDate, Precision, read_date
from adapters.police.relationship_codes import RelationshipCodes
from adapters.xml.reading import XmlReader
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


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


OFFENSE_CODES = _codes(
    "09A 09B 09C 100 11A 11B 11C 11D 120 13A 13B 13C 200 210 220 23A 23B 23C 23D 23E 23F "
    "23G 23H 240 250 26A 26B 26C 26D 26E 26F 26G 26H 270 280 290 35A 35B 36A 36B 370 39A "
    "39B 39C 39D 40A 40B 40C 510 520 521 522 526 64A 64B 720 90A 90B 90C 90D 90E 90F 90G "
    "90H 90I 90J 90Z"
)
FORCE_CODES = _codes("11 11A 12 12A 13 13A 14 14A 15 15A 20 30 35 40 50 60 65 70 85 90 95 99")
ARMED_WITH_CODES = _codes("01 11 11A 12 12A 13 13A 14 14A 15 15A 16 17")
INJURY_CODES = _codes("N B I L M O T U")
VICTIM_CATEGORIES = _codes("I B F G L O R S U")
CIRCUMSTANCE_CODES = _codes("01 02 03 04 05 06 07 08 09 10 20 21 30 31 32 33 34")
INFANT_AGE_CODES = _codes("NN NB BB NEONATAL NEWBORN BABY")
UNKNOWN_AGE_CODES = _codes("00 UNKNOWN")
_PRECISION = {
    Precision.INSTANT: DatePrecision.DAY,
    Precision.DAY: DatePrecision.DAY,
    Precision.MONTH: DatePrecision.MONTH,
    Precision.YEAR: DatePrecision.YEAR,
}


def map_submission(
    root: Element, namespaces: Mapping[str, str], relationships: RelationshipCodes
) -> list[PoliceIncident]:
    reader = XmlReader(root, namespaces)
    incidents = []
    for report in reader.all(root, "nibrs:Report"):
        incident = _ReportMapping(reader, report, relationships).incident()
        if incident is not None:
            incidents.append(incident)
    return incidents


class _ReportMapping:
    def __init__(self, reader: XmlReader, report: Element, codes: RelationshipCodes) -> None:
        self.r = reader
        self.report = report
        self.codes = codes
        self.persons: dict[str, IncidentPerson] = {}
        self.warnings: list[str] = []

    def incident(self) -> PoliceIncident | None:
        action = self.r.text(self.report, "nibrs:ReportHeader/nibrs:ReportActionCategoryCode")
        incident = self.r.first(self.report, "nc:Incident")
        arrests = self.r.all(self.report, "j:Arrest")
        if (action or "").upper() == "D" or (incident is None and not arrests):
            return None
        already = len(self.r.warnings)
        if incident is not None:
            number = self.r.required(
                incident, "nc:ActivityIdentification/nc:IdentificationID", "incident number"
            )
            reading = self._date(incident, "incident date")
            report_date = self._report_date_indicator(incident)
        else:
            # A Group B arrest report: the arrest is all there is.
            number = self.r.required(
                arrests[0], "nc:ActivityIdentification/nc:IdentificationID", "arrest number"
            )
            reading, report_date = self._date(arrests[0], "arrest date"), False
        offenses = [o for o in map(self._offense, self.r.all(self.report, "j:Offense")) if o]
        victims = [self._victim(v) for v in self.r.all(self.report, "j:Victim")]
        subjects = [
            IncidentSubject(person=self._person_key(s))
            for s in self.r.all(self.report, "j:Subject")
        ]
        arrestees = [self._arrestee(a) for a in self.r.all(self.report, "j:Arrestee")]
        return PoliceIncident(
            incident_number=number,
            incident_date=reading[0] if reading else None,
            date_precision=reading[1] if reading else DatePrecision.DAY,
            date_is_report_date=report_date,
            offenses=offenses,
            victims=victims,
            subjects=subjects,
            arrestees=arrestees,
            arrests=[self._arrest(a, arrestees) for a in arrests],
            relationships=self._relationships(),
            persons=self.persons,
            warnings=[*self.r.warnings[already:], *self.warnings],
        )

    # -- incident ------------------------------------------------------------------------

    def _date(self, activity: Element, what: str) -> tuple[date, DatePrecision] | None:
        # Most precise form first: one ActivityDate may carry several.
        for form in ("nc:DateTime", "nc:Date", "nc:YearMonthDate", "nc:YearDate"):
            reading = self.r.date(activity, f"nc:ActivityDate/{form}", what)
            if reading is not None:
                return reading.day, _PRECISION[reading.precision]
        return None

    def _report_date_indicator(self, incident: Element) -> bool:
        for prefix in ("cjis", "j", "nibrs"):
            path = f"{prefix}:IncidentAugmentation/{prefix}:IncidentReportDateIndicator"
            if self.r.flag(incident, path, "report date indicator"):
                return True
        return False

    def _offense(self, el: Element) -> Offense | None:
        code = self.r.first_text(el, ("nibrs:OffenseUCRCode", "j:OffenseUCRCode"))
        if code is None:
            self.warnings.append(f"offense at line {el.sourceline} has no UCR code; skipped")
            return None
        return Offense(
            key=self._key(el),
            ucr_code=self._known(code, OFFENSE_CODES, "offense UCR code"),
            attempted=self.r.flag(el, "j:OffenseAttemptedIndicator", "offense attempted"),
            force_codes=self._all_known(el, "j:OffenseForce/j:ForceCategoryCode", FORCE_CODES),
        )

    def _victim(self, el: Element) -> IncidentVictim:
        person = self._person_element(el)
        injuries = self._all_known(el, "j:VictimInjury/j:InjuryCategoryCode", INJURY_CODES)
        if person is not None:
            path = "nc:PersonInjury/j:InjuryCategoryCode"
            injuries += self._all_known(person, path, INJURY_CODES)
        category = self.r.text(el, "j:VictimCategoryCode")
        key = self._person_key(el)
        return IncidentVictim(
            person=key,
            category=self._known(category, VICTIM_CATEGORIES, "victim type") if category else None,
            injury_codes=injuries,
            circumstance_codes=self._all_known(
                el, "j:VictimAggravatedAssaultHomicideFactorCode", CIRCUMSTANCE_CODES
            ),
            offenses=self._offense_links.get(key, []),
        )

    def _arrestee(self, el: Element) -> IncidentArrestee:
        return IncidentArrestee(
            person=self._person_key(el),
            armed_with_codes=self._all_known(el, "j:ArresteeArmedWithCode", ARMED_WITH_CODES),
        )

    def _arrest(self, el: Element, arrestees: list[IncidentArrestee]) -> Arrest:
        linked = [
            self._person_key(subject)
            for link in self.r.all(self.report, "j:ArrestSubjectAssociation")
            if (activity := self.r.first(link, "nc:Activity")) is not None
            and self._key(activity) == self._key(el)
            if (subject := self.r.first(link, "j:Subject")) is not None
        ]
        reading = self._date(el, "arrest date")
        return Arrest(
            arrest_number=self.r.text(el, "nc:ActivityIdentification/nc:IdentificationID"),
            arrested_on=reading[0] if reading else None,
            charge_codes=[
                self._known(code, OFFENSE_CODES, "arrest charge UCR code")
                for charge in self.r.all(el, "j:ArrestCharge")
                if (code := self.r.first_text(charge, ("nibrs:ChargeUCRCode", "j:ChargeUCRCode")))
            ],
            # Without links, the arrestees of the report are the arrest's.
            arrestees=linked or [a.person for a in arrestees],
        )

    def _relationships(self) -> list[VictimSubjectRelationship]:
        found = []
        for link in self.r.all(self.report, "j:SubjectVictimAssociation"):
            subject, victim = self.r.first(link, "j:Subject"), self.r.first(link, "j:Victim")
            token = self.r.first_text(
                link, ("nibrs:VictimToSubjectRelationshipCode", "j:VictimToSubjectRelationshipCode")
            )
            if subject is None or victim is None or token is None:
                self.warnings.append(
                    f"subject-victim association at line {link.sourceline} lacks its subject, "
                    "victim or relationship code; skipped"
                )
                continue
            relationship = self.codes.lookup(token)
            if relationship is None:
                self.warnings.append(
                    f"victim-to-subject relationship {token!r} is not a known code; kept raw"
                )
            found.append(
                VictimSubjectRelationship(
                    victim=self._person_key(victim),
                    subject=self._person_key(subject),
                    raw=token,
                    relationship=relationship,
                )
            )
        return found

    @cached_property
    def _offense_links(self) -> dict[str, list[str]]:
        """Offense keys by victim person key."""
        against: dict[str, list[str]] = {}
        for link in self.r.all(self.report, "j:OffenseVictimAssociation"):
            offense, victim = self.r.first(link, "j:Offense"), self.r.first(link, "j:Victim")
            if offense is not None and victim is not None:
                against.setdefault(self._person_key(victim), []).append(self._key(offense))
        return against

    # -- persons -------------------------------------------------------------------------

    def _person_element(self, el: Element) -> Element | None:
        """The nc:Person of a role, or `el` when it is a person (older associations
        refer to persons directly); None for a victim that is no person (a business)."""
        if etree.QName(el).localname == "Person":
            return el
        return self.r.first(el, "nc:RoleOfPerson")

    def _person_key(self, el: Element) -> str:
        person = self._person_element(el)
        if person is None:
            return self._key(el)
        key = self._key(person)
        if key not in self.persons:
            self.persons[key] = self._person(person, key)
        return key

    def _key(self, el: Element) -> str:
        # An element without s:id is known by its place in the document.
        return self.r.id_of(el) or el.getroottree().getpath(el)

    def _person(self, el: Element, key: str) -> IncidentPerson:
        name = "nc:PersonName/nc:Person"
        return IncidentPerson(
            key=key,
            given_name=self.r.text(el, f"{name}GivenName"),
            middle_name=self.r.text(el, f"{name}MiddleName"),
            family_name=self.r.text(el, f"{name}SurName"),
            date_of_birth=self._birth_date(el, key),
            age=self._age(el, key),
            identifiers=self._identifiers(el, key),
        )

    def _birth_date(self, el: Element, key: str) -> date | None:
        text = self.r.first_text(
            el, ("nc:PersonBirthDate/nc:Date", "nc:PersonBirthDate/nc:DateTime")
        )
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

    def _age(self, el: Element, key: str) -> PersonAge | None:
        measure = self.r.first(el, "nc:PersonAgeMeasure")
        if measure is not None:
            value = self.r.text(measure, "nc:MeasureIntegerValue")
            low = self.r.text(measure, "nc:MeasureIntegerRange/nc:RangeMinimumIntegerValue")
            high = self.r.text(measure, "nc:MeasureIntegerRange/nc:RangeMaximumIntegerValue")
            if value is not None or low is not None or high is not None:
                try:
                    return PersonAge(years=_whole(value), minimum=_whole(low), maximum=_whole(high))
                except ValueError:
                    self.warnings.append(f"person {key}: age is not a whole number; left unset")
                    return None
        code = self.r.first_text(
            el,
            ("nc:PersonAgeMeasure/nc:MeasureValueText", "j:PersonAugmentation/nibrs:PersonAgeCode"),
        )
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

    def _identifiers(self, el: Element, key: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for scheme, path in (
            ("state_id", "nc:PersonStateIdentification/nc:IdentificationID"),
            ("fbi_id", "j:PersonAugmentation/j:PersonFBIIdentification/nc:IdentificationID"),
        ):
            if (value := self.r.text(el, path)) is not None:
                found[scheme] = value
        for other in self.r.all(el, "nc:PersonOtherIdentification"):
            other_value = self.r.text(other, "nc:IdentificationID")
            category = self.r.first_text(
                other, ("nc:IdentificationCategoryText", "nc:IdentificationCategoryDescriptionText")
            )
            if other_value is None:
                continue
            if category is None:
                self.warnings.append(
                    f"person {key}: an identifier without a category; not used for matching"
                )
                continue
            found[code_key(category).replace(" ", "_")] = other_value
        return found

    # -- codes ---------------------------------------------------------------------------

    def _known(self, code: str, known: frozenset[str], what: str) -> str:
        if code.upper() not in known:
            self.warnings.append(f"{what} {code!r} is not a known NIBRS code; kept raw")
        return code

    def _all_known(self, el: Element, path: str, known: frozenset[str]) -> list[str]:
        what = path.rsplit(":", 1)[1]
        return [
            self._known(code, known, what)
            for found in self.r.all(el, path)
            if (code := self.r.text(found)) is not None
        ]


def _whole(text: str | None) -> int | None:
    return None if text is None else int(text)
