"""NIBRS XML submissions (FBI NIBRS IEPD 4.x and 2019.x) mapped to `PoliceIncident`s.

Fields only: the domestic-violence finding and the risk flags are domain rules
(`domain.incident_risk`) the adapter applies afterwards.

- A `nibrs:Submission` holds one `nibrs:Report` per incident. A Group B arrest report
  (an arrest without `nc:Incident`, where e.g. 90Z order violations appear) maps as an
  incident numbered by its arrest; a delete report (action D) and a zero report are not
  incidents and are skipped.
- Roles (`j:Victim`, `j:Subject`, `j:Arrestee`) and associations name persons by
  `s:id`/`s:ref`: 4.2 associations refer to roles, older documents to persons; both
  resolve to the same person key (`adapters.police.nibrs_persons` reads the persons).
- Which namespaces a document uses (its generation) is the adapter's to say
  (`adapters.police.nibrs_adapter.submission_namespaces`); the mapping is the same.
- The element variants of the generations are all read: the relationship code in `nibrs:`
  or `j:`, the injury on the victim or on the person.
- Several fields under one element are read in one XPath evaluation, and a report's or an
  association's children in one pass (`XmlReader.children`): a submission holds dozens of them.
- Unknown codes are kept raw with a warning naming the element, never the person's data.
"""

from collections.abc import Mapping
from datetime import date
from functools import cached_property, lru_cache

from lxml.etree import _Element as Element

from adapters.dates import Precision
from adapters.police.nibrs_persons import ReportPersons, element_key
from adapters.police.relationship_codes import RelationshipCodes
from adapters.xml.reading import XmlReader
from domain.incidents import (
    Arrest,
    DatePrecision,
    IncidentArrestee,
    IncidentSubject,
    IncidentVictim,
    Offense,
    PoliceIncident,
    Relationship,
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
_PRECISION = {
    Precision.INSTANT: DatePrecision.DAY,
    Precision.DAY: DatePrecision.DAY,
    Precision.MONTH: DatePrecision.MONTH,
    Precision.YEAR: DatePrecision.YEAR,
}

# An activity's number and dates, most precise form first (one nc:ActivityDate may carry
# several), read in one XPath evaluation; then the incident's report-date indicators.
_NUMBER = "nc:ActivityIdentification/nc:IdentificationID"
_DATES = ("nc:DateTime", "nc:Date", "nc:YearMonthDate", "nc:YearDate")
_ACTIVITY = (_NUMBER, *(f"nc:ActivityDate/{form}" for form in _DATES))
_REPORT_DATE_INDICATORS = tuple(
    f"{prefix}:IncidentAugmentation/{prefix}:IncidentReportDateIndicator"
    for prefix in ("cjis", "j", "nibrs")
)
_UCR_CODES = ("nibrs:OffenseUCRCode", "j:OffenseUCRCode")
_CHARGE_CODES = ("nibrs:ChargeUCRCode", "j:ChargeUCRCode")
_RELATIONSHIP_CODES = ("nibrs:VictimToSubjectRelationshipCode", "j:VictimToSubjectRelationshipCode")

Reading = tuple[date, DatePrecision] | None


@lru_cache(maxsize=1024)
def _relationship(codes: RelationshipCodes, token: str) -> Relationship | None:
    """`codes.lookup(token)`, remembered: a submission repeats a few tokens many times,
    and normalising a token costs more than mapping the association it is in."""
    return codes.lookup(token)


def map_submission(
    root: Element, namespaces: Mapping[str, str], relationships: RelationshipCodes
) -> list[PoliceIncident]:
    reader = XmlReader(root, namespaces)
    incidents = []
    for report in reader.children(root).all("nibrs:Report"):
        incident = _ReportMapping(reader, report, relationships).incident()
        if incident is not None:
            incidents.append(incident)
    return incidents


class _ReportMapping:
    def __init__(self, reader: XmlReader, report: Element, codes: RelationshipCodes) -> None:
        self.r = reader
        self.report = report
        self.codes = codes
        self.warnings: list[str] = []
        self.persons = ReportPersons(reader, self.warnings)
        self.children = reader.children(report)

    def incident(self) -> PoliceIncident | None:
        action = self.r.text(self.report, "nibrs:ReportHeader/nibrs:ReportActionCategoryCode")
        incident = self.children.first("nc:Incident")
        arrests = self.children.all("j:Arrest")
        if (action or "").upper() == "D" or (incident is None and not arrests):
            return None
        already = len(self.r.warnings)
        # A Group B arrest report has no incident: its arrest is all there is.
        activity, what = (incident, "incident") if incident is not None else (arrests[0], "arrest")
        number, reading, indicators = self._activity(
            activity, what, _REPORT_DATE_INDICATORS if incident is not None else ()
        )
        if number is None:
            raise self.r.missing(activity, _NUMBER, f"{what} number")
        report_date = any(self.r.flag_of(text, "report date indicator") for text in indicators)
        offenses = [o for o in map(self._offense, self.children.all("j:Offense")) if o]
        victims = [self._victim(v) for v in self.children.all("j:Victim")]
        subjects = [
            IncidentSubject(person=self.persons.key(s)) for s in self.children.all("j:Subject")
        ]
        arrestees = [self._arrestee(a) for a in self.children.all("j:Arrestee")]
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
            persons=self.persons.persons,
            warnings=[*self.r.warnings[already:], *self.warnings],
        )

    # -- incident ------------------------------------------------------------------------

    def _activity(
        self, el: Element, what: str, more: tuple[str, ...] = ()
    ) -> tuple[str | None, Reading, list[str | None]]:
        """The number and the date of an incident or an arrest, and the texts of `more`
        paths under it, in one XPath evaluation."""
        number, *texts = self.r.strings(el, _ACTIVITY + more)
        dates, found = texts[: len(_DATES)], texts[len(_DATES) :]
        for text in dates:
            if (reading := self.r.date_of(text, f"{what} date")) is not None:
                return number, (reading.day, _PRECISION[reading.precision]), found
        return number, None, found

    def _offense(self, el: Element) -> Offense | None:
        children = self.r.children(el)
        code = children.text(*_UCR_CODES)
        if code is None:
            self.warnings.append(f"offense at line {el.sourceline} has no UCR code; skipped")
            return None
        attempted = children.text("j:OffenseAttemptedIndicator")
        forces = children.under("j:OffenseForce", "j:ForceCategoryCode")
        return Offense(
            key=element_key(self.r, el),
            ucr_code=self._known(code, OFFENSE_CODES, "offense UCR code"),
            attempted=self.r.flag_of(attempted, "offense attempted"),
            force_codes=self._all_known(forces, "ForceCategoryCode", FORCE_CODES),
        )

    def _victim(self, el: Element) -> IncidentVictim:
        children = self.r.children(el)
        person = self.persons.person_of(el)
        found = children.under("j:VictimInjury", "j:InjuryCategoryCode")
        if person is not None:
            found += self.r.grandchildren(person, "nc:PersonInjury", "j:InjuryCategoryCode")
        injuries = self._all_known(found, "InjuryCategoryCode", INJURY_CODES)
        category = children.text("j:VictimCategoryCode")
        key = self.persons.key(el)
        return IncidentVictim(
            person=key,
            category=self._known(category, VICTIM_CATEGORIES, "victim type") if category else None,
            injury_codes=injuries,
            circumstance_codes=self._all_known(
                children.all("j:VictimAggravatedAssaultHomicideFactorCode"),
                "VictimAggravatedAssaultHomicideFactorCode",
                CIRCUMSTANCE_CODES,
            ),
            offenses=self._offense_links.get(key, []),
        )

    def _arrestee(self, el: Element) -> IncidentArrestee:
        armed_with = self.r.children(el).all("j:ArresteeArmedWithCode")
        return IncidentArrestee(
            person=self.persons.key(el),
            armed_with_codes=self._all_known(armed_with, "ArresteeArmedWithCode", ARMED_WITH_CODES),
        )

    def _arrest(self, el: Element, arrestees: list[IncidentArrestee]) -> Arrest:
        arrest = element_key(self.r, el)
        linked = []
        for link in self.children.all("j:ArrestSubjectAssociation"):
            ends = self.r.children(link)
            activity = ends.first("nc:Activity")
            if activity is None or element_key(self.r, activity) != arrest:
                continue
            if (subject := ends.first("j:Subject")) is not None:
                linked.append(self.persons.key(subject))
        number, reading, _ = self._activity(el, "arrest")
        return Arrest(
            arrest_number=number,
            arrested_on=reading[0] if reading else None,
            charge_codes=[
                self._known(code, OFFENSE_CODES, "arrest charge UCR code")
                for charge in self.r.children(el).all("j:ArrestCharge")
                if (code := self.r.children(charge).text(*_CHARGE_CODES))
            ],
            # Without links, the arrestees of the report are the arrest's.
            arrestees=linked or [a.person for a in arrestees],
        )

    def _relationships(self) -> list[VictimSubjectRelationship]:
        found = []
        for link in self.children.all("j:SubjectVictimAssociation"):
            ends = self.r.children(link)
            subject, victim = ends.first("j:Subject"), ends.first("j:Victim")
            token = ends.text(*_RELATIONSHIP_CODES)
            if subject is None or victim is None or token is None:
                self.warnings.append(
                    f"subject-victim association at line {link.sourceline} lacks its subject, "
                    "victim or relationship code; skipped"
                )
                continue
            relationship = _relationship(self.codes, token)
            if relationship is None:
                self.warnings.append(
                    f"victim-to-subject relationship {token!r} is not a known code; kept raw"
                )
            found.append(
                VictimSubjectRelationship(
                    victim=self.persons.key(victim),
                    subject=self.persons.key(subject),
                    raw=token,
                    relationship=relationship,
                )
            )
        return found

    @cached_property
    def _offense_links(self) -> dict[str, list[str]]:
        """Offense keys by victim person key."""
        against: dict[str, list[str]] = {}
        for link in self.children.all("j:OffenseVictimAssociation"):
            ends = self.r.children(link)
            offense, victim = ends.first("j:Offense"), ends.first("j:Victim")
            if offense is not None and victim is not None:
                against.setdefault(self.persons.key(victim), []).append(
                    element_key(self.r, offense)
                )
        return against

    # -- codes ---------------------------------------------------------------------------

    def _known(self, code: str, known: frozenset[str], what: str) -> str:
        if code.upper() not in known:
            self.warnings.append(f"{what} {code!r} is not a known NIBRS code; kept raw")
        return code

    def _all_known(self, found: list[Element], what: str, known: frozenset[str]) -> list[str]:
        return [
            self._known(code, known, what) for el in found if (code := self.r.text(el)) is not None
        ]
