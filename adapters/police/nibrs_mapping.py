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
- The submission is read once into plain Python (`adapters.xml.snapshot`), then mapped
  with dict lookups: a submission names each person many times over. The incident is
  validated into its model once, as a whole.
- Unknown codes are kept raw with a warning naming the element, never the person's data.
"""

from datetime import date
from functools import cached_property, lru_cache
from typing import Any

from lxml.etree import _Element as Element
from pydantic import ValidationError

from adapters.dates import Precision
from adapters.errors import AdapterError
from adapters.police.nibrs_persons import ReportPersons
from adapters.police.relationship_codes import RelationshipCodes
from adapters.xml.reading import XmlReader
from adapters.xml.snapshot import Node, Tags, snapshot
from domain.incidents import DatePrecision, PoliceIncident, Relationship


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

# The date forms of an activity, most precise first (one nc:ActivityDate may carry
# several); then the incident's report-date indicators, in each namespace they come in.
_NUMBER = "nc:ActivityIdentification/nc:IdentificationID"
_DATES = ("nc:DateTime", "nc:Date", "nc:YearMonthDate", "nc:YearDate")
_REPORT_DATE_INDICATORS = tuple(
    (f"{prefix}:IncidentAugmentation", f"{prefix}:IncidentReportDateIndicator")
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
    root: Element, tags: Tags, relationships: RelationshipCodes
) -> list[PoliceIncident]:
    """The incidents of a submission; `tags` spells its namespaces (its generation)."""
    reader = XmlReader(root, tags.namespaces)
    incidents = []
    with snapshot(root) as submission:
        for report in submission.all(tags["nibrs:Report"]):
            incident = _ReportMapping(reader, tags, report, relationships).incident()
            if incident is not None:
                incidents.append(incident)
    return incidents


class _ReportMapping:
    def __init__(
        self, reader: XmlReader, tags: Tags, report: Node, codes: RelationshipCodes
    ) -> None:
        # The reader reads flags and dates, its warnings the report's along with ours.
        self.r = reader
        self.t = tags
        self.report = report
        self.codes = codes
        self.warnings: list[str] = []
        self.persons = ReportPersons(tags, self.warnings)

    def incident(self) -> PoliceIncident | None:
        t, report = self.t, self.report
        action = report.path_text(t["nibrs:ReportHeader"], t["nibrs:ReportActionCategoryCode"])
        incident = report.first(t["nc:Incident"])
        arrests = report.all(t["j:Arrest"])
        if (action or "").upper() == "D" or (incident is None and not arrests):
            return None
        already = len(self.r.warnings)
        # A Group B arrest report has no incident: its arrest is all there is.
        activity, what = (incident, "incident") if incident is not None else (arrests[0], "arrest")
        number, reading = self._activity(activity, what)
        if number is None:
            raise self.r.missing(activity.element, _NUMBER, f"{what} number")
        report_date = incident is not None and any(
            self.r.flag_of(incident.path_text(t[outer], t[inner]), "report date indicator")
            for outer, inner in _REPORT_DATE_INDICATORS
        )
        offenses = [o for o in map(self._offense, report.all(t["j:Offense"])) if o]
        victims = [self._victim(v) for v in report.all(t["j:Victim"])]
        subjects = [{"person": self.persons.key(s)} for s in report.all(t["j:Subject"])]
        arrestees = [self._arrestee(a) for a in report.all(t["j:Arrestee"])]
        fields: dict[str, Any] = {
            "incident_number": number,
            "incident_date": reading[0] if reading else None,
            "date_precision": reading[1] if reading else DatePrecision.DAY,
            "date_is_report_date": report_date,
            "offenses": offenses,
            "victims": victims,
            "subjects": subjects,
            "arrestees": arrestees,
            "arrests": [self._arrest(a, arrestees) for a in arrests],
            "relationships": self._relationships(),
            "persons": self.persons.persons,
            "warnings": [*self.r.warnings[already:], *self.warnings],
        }
        try:
            return PoliceIncident.model_validate(fields)
        except ValidationError as e:
            # What the mapping let through but the model refuses: named, never quoted.
            wrong = "; ".join(
                f"{'.'.join(map(str, error['loc']))}: {error['msg']}"
                for error in e.errors(include_input=False, include_url=False)
            )
            raise AdapterError(f"{what} {number}: {wrong}") from None

    # -- incident ------------------------------------------------------------------------

    def _activity(self, node: Node, what: str) -> tuple[str | None, Reading]:
        """The number and the date of an incident or an arrest."""
        t = self.t
        number = node.path_text(t["nc:ActivityIdentification"], t["nc:IdentificationID"])
        for text in node.path_texts(t["nc:ActivityDate"], *t.many(_DATES)):
            if (reading := self.r.date_of(text, f"{what} date")) is not None:
                return number, (reading.day, _PRECISION[reading.precision])
        return number, None

    def _offense(self, node: Node) -> dict[str, Any] | None:
        t = self.t
        code = node.text_of(*t.many(_UCR_CODES))
        if code is None:
            self.warnings.append(f"offense at line {node.line} has no UCR code; skipped")
            return None
        attempted = node.text_of(t["j:OffenseAttemptedIndicator"])
        forces = node.under(t["j:OffenseForce"], t["j:ForceCategoryCode"])
        return {
            "key": node.key(),
            "ucr_code": self._known(code, OFFENSE_CODES, "offense UCR code"),
            "attempted": self.r.flag_of(attempted, "offense attempted"),
            "force_codes": self._all_known(forces, "ForceCategoryCode", FORCE_CODES),
        }

    def _victim(self, node: Node) -> dict[str, Any]:
        t = self.t
        person = self.persons.person_of(node)
        found = node.under(t["j:VictimInjury"], t["j:InjuryCategoryCode"])
        if person is not None:
            found += person.under(t["nc:PersonInjury"], t["j:InjuryCategoryCode"])
        injuries = self._all_known(found, "InjuryCategoryCode", INJURY_CODES)
        category = node.text_of(t["j:VictimCategoryCode"])
        key = self.persons.key(node)
        return {
            "person": key,
            "category": (
                self._known(category, VICTIM_CATEGORIES, "victim type") if category else None
            ),
            "injury_codes": injuries,
            "circumstance_codes": self._all_known(
                node.all(t["j:VictimAggravatedAssaultHomicideFactorCode"]),
                "VictimAggravatedAssaultHomicideFactorCode",
                CIRCUMSTANCE_CODES,
            ),
            "offenses": self._offense_links.get(key, []),
        }

    def _arrestee(self, node: Node) -> dict[str, Any]:
        armed_with = node.all(self.t["j:ArresteeArmedWithCode"])
        return {
            "person": self.persons.key(node),
            "armed_with_codes": self._all_known(
                armed_with, "ArresteeArmedWithCode", ARMED_WITH_CODES
            ),
        }

    def _arrest(self, node: Node, arrestees: list[dict[str, Any]]) -> dict[str, Any]:
        t = self.t
        arrest = node.key()
        linked = []
        for link in self.report.all(t["j:ArrestSubjectAssociation"]):
            activity = link.first(t["nc:Activity"])
            if activity is None or activity.key() != arrest:
                continue
            if (subject := link.first(t["j:Subject"])) is not None:
                linked.append(self.persons.key(subject))
        number, reading = self._activity(node, "arrest")
        charge_codes = t.many(_CHARGE_CODES)
        return {
            "arrest_number": number,
            "arrested_on": reading[0] if reading else None,
            "charge_codes": [
                self._known(code, OFFENSE_CODES, "arrest charge UCR code")
                for charge in node.all(t["j:ArrestCharge"])
                if (code := charge.text_of(*charge_codes))
            ],
            # Without links, the arrestees of the report are the arrest's.
            "arrestees": linked or [a["person"] for a in arrestees],
        }

    def _relationships(self) -> list[dict[str, Any]]:
        t = self.t
        tokens = t.many(_RELATIONSHIP_CODES)
        found = []
        for link in self.report.all(t["j:SubjectVictimAssociation"]):
            subject, victim = link.first(t["j:Subject"]), link.first(t["j:Victim"])
            token = link.text_of(*tokens)
            if subject is None or victim is None or token is None:
                self.warnings.append(
                    f"subject-victim association at line {link.line} lacks its subject, "
                    "victim or relationship code; skipped"
                )
                continue
            relationship = _relationship(self.codes, token)
            if relationship is None:
                self.warnings.append(
                    f"victim-to-subject relationship {token!r} is not a known code; kept raw"
                )
            found.append(
                {
                    "victim": self.persons.key(victim),
                    "subject": self.persons.key(subject),
                    "raw": token,
                    "relationship": relationship,
                }
            )
        return found

    @cached_property
    def _offense_links(self) -> dict[str, list[str]]:
        """Offense keys by victim person key."""
        t = self.t
        against: dict[str, list[str]] = {}
        for link in self.report.all(t["j:OffenseVictimAssociation"]):
            offense, victim = link.first(t["j:Offense"]), link.first(t["j:Victim"])
            if offense is not None and victim is not None:
                against.setdefault(self.persons.key(victim), []).append(offense.key())
        return against

    # -- codes ---------------------------------------------------------------------------

    def _known(self, code: str, known: frozenset[str], what: str) -> str:
        if code.upper() not in known:
            self.warnings.append(f"{what} {code!r} is not a known NIBRS code; kept raw")
        return code

    def _all_known(self, found: list[Node], what: str, known: frozenset[str]) -> list[str]:
        return [self._known(code, known, what) for node in found if (code := node.text) is not None]
