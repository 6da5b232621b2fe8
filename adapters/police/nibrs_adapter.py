"""NIBRS XML police incidents (DESIGN §7): parse a pushed submission, and find a
person's incidents in the folder of submissions the police drop.

[jurisdictions.<id>.police]
adapter = "nibrs"
[jurisdictions.<id>.police.settings]
submissions_dir = "var/police/demo"      # the police's drop folder; absent = no incidents
match_keys = [["state_id"], ["date_of_birth", "family_name", "given_name"]]
relationship_codes = { "EB" = "ex_relationship" }   # local tokens, added to ours
order_breach_codes = ["90Z"]             # and dv_offense_codes, dv_circumstance_codes,
threat_to_kill_codes = []                # see domain.incident_risk for the defaults
namespaces = { nibrs = "http://fbi.gov/cjis/nibrs/2023.0" }   # another generation
max_bytes = 20971520

The generation of a document is found from its root namespace (`GENERATIONS`) and the
NIEM releases it declares (`NIEM_RELEASES`); `namespaces` overrides any prefix.
"""

import asyncio
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import ClassVar

from lxml import etree
from lxml.etree import _Element as Element
from pydantic import BaseModel, Field

from adapters.errors import AdapterError
from adapters.police.base import PoliceAdapter
from adapters.police.nibrs_mapping import map_submission
from adapters.police.relationship_codes import RelationshipCodes
from adapters.police.screening_settings import IncidentScreeningSettings
from adapters.xml.hardened import DEFAULT_MAX_BYTES, XmlLimits, parse_xml
from adapters.xml.snapshot import Tags
from domain.incident_risk import classify
from domain.incidents import PoliceIncident
from domain.person_match import PersonMatcher
from domain.referral import Incident, Person

MEDIA_TYPES = ("application/xml", "text/xml")

_NIBRS = "http://fbi.gov/cjis/nibrs/"
_NC = "http://release.niem.gov/niem/niem-core/"
_J = "http://release.niem.gov/niem/domains/jxdm/"
GENERATIONS: dict[str, dict[str, str]] = {
    version: {"nibrs": f"{_NIBRS}{version}", "cjis": cjis, "j": f"{_J}{j}/", "nc": f"{_NC}3.0/"}
    for version, cjis, j in (
        ("4.0", "http://fbi.gov/cjis/1.0", "5.1"),
        ("4.1", "http://fbi.gov/cjis/1.0", "5.2"),
        ("4.2", "http://fbi.gov/cjis/1.0", "5.2"),
        ("2019.2", "http://fbi.gov/cjis/2.1", "5.2"),
    )
}
NIEM_RELEASES: dict[str, tuple[str, ...]] = {
    "nc": tuple(f"{_NC}{v}/" for v in ("3.0", "4.0", "5.0")),
    "j": tuple(f"{_J}{v}/" for v in ("5.1", "5.2", "6.0", "6.1", "6.2", "7.0", "7.1", "7.2")),
}

# Distinct namespace declarations remembered per adapter; beyond, tables are recomputed.
_MAX_TABLES = 32


class NibrsSettings(IncidentScreeningSettings):
    submissions_dir: Path | None = None
    namespaces: dict[str, str] = Field(default_factory=dict)
    max_bytes: int = Field(default=DEFAULT_MAX_BYTES, gt=0)


class NibrsPoliceAdapter(PoliceAdapter):
    name: ClassVar[str] = "nibrs"
    Settings: ClassVar[type[BaseModel]] = NibrsSettings

    def __init__(self, settings: NibrsSettings) -> None:
        super().__init__(settings)
        self.rules = settings.rules()
        self.matcher = PersonMatcher(settings.match_keys)
        self.relationships = RelationshipCodes(settings.relationship_codes)
        self.namespaces = dict(settings.namespaces)
        # Tags by root tag and declared namespaces: a police system sends one
        # generation, so this stays a handful of entries.
        self._tables: dict[tuple[str, frozenset[str]], Tags] = {}
        self.limits = XmlLimits(max_bytes=settings.max_bytes)
        # Fixed at construction so a later chdir cannot move the folder.
        self.folder = settings.submissions_dir.absolute() if settings.submissions_dir else None

    @property
    def match_keys(self) -> tuple[tuple[str, ...], ...]:
        return self.matcher.keys

    def parse_incident(self, document: bytes, content_type: str) -> Incident:
        return self.parse_police_incident(document, content_type).summary()

    def parse_police_incident(self, document: bytes, content_type: str) -> PoliceIncident:
        """The one incident of a pushed submission. A submission of several is refused
        rather than cut to its first: the dropped ones could be the dangerous ones."""
        incidents = self.parse_incidents(document, content_type)
        if len(incidents) != 1:
            numbers = ", ".join(i.incident_number for i in incidents) or "none"
            raise AdapterError(
                f"the submission holds {len(incidents)} incident reports ({numbers}); "
                "one incident is expected here"
            )
        return incidents[0]

    def parse_incidents(self, document: bytes, content_type: str) -> list[PoliceIncident]:
        """Every incident of a submission, with its DV finding and risk flags."""
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type not in MEDIA_TYPES:
            raise AdapterError(
                f"the nibrs police adapter reads {', '.join(MEDIA_TYPES)}, not {content_type!r}"
            )
        root = parse_xml(document, limits=self.limits)
        mapped = map_submission(root, self._tags_of(root), self.relationships)
        return [classify(incident, self.rules) for incident in mapped]

    def _tags_of(self, root: Element) -> Tags:
        seen = (str(root.tag), frozenset(root.nsmap.values()))
        table = self._tables.get(seen)
        if table is None:
            table = Tags(submission_namespaces(root, self.namespaces))
            if len(self._tables) < _MAX_TABLES:
                self._tables[seen] = table
        return table

    async def incidents_for(self, person: Person, since: date) -> list[Incident]:
        return await asyncio.to_thread(self._incidents_for, person, since)

    def _incidents_for(self, person: Person, since: date) -> list[Incident]:
        found = [
            incident.summary()
            for incident in self._dropped_incidents()
            if incident.on_or_after(since)
            and any(self.matcher.matches(person, p) for p in incident.involved_persons())
        ]
        return found

    def _dropped_incidents(self) -> list[PoliceIncident]:
        """Every incident in the folder, a later file's version of an incident number
        replacing an earlier one's (police resend an incident to correct it)."""
        if self.folder is None or not self.folder.is_dir():
            return []
        latest: dict[str, PoliceIncident] = {}
        for path in sorted(self.folder.iterdir()):
            if path.suffix.lower() != ".xml" or not path.is_file():
                continue
            try:
                incidents = self.parse_incidents(path.read_bytes(), "application/xml")
            except (AdapterError, OSError) as e:
                # Skipping it could hide the very incident a case must hear about.
                raise AdapterError(f"police submission {path.name}: {e}") from e
            latest.update((i.incident_number, i) for i in incidents)
        return list(latest.values())


def submission_namespaces(root: Element, overrides: Mapping[str, str]) -> dict[str, str]:
    """The prefixes to read `root` with; `AdapterError` when it is no NIBRS submission."""
    found = etree.QName(root)
    generation = next((g for g in GENERATIONS.values() if g["nibrs"] == found.namespace), None)
    if generation is None and overrides.get("nibrs") == found.namespace:
        generation = GENERATIONS["4.2"]
    if generation is None or found.localname != "Submission":
        known = ", ".join(g["nibrs"] for g in GENERATIONS.values())
        raise AdapterError(
            f"not a NIBRS submission: the root is <{found.localname}> in "
            f"{found.namespace or 'no namespace'}; expected <Submission> in one of {known} "
            "(another generation is added with the 'namespaces' setting)"
        )
    namespaces = dict(generation)
    declared = set(root.nsmap.values())
    for prefix, releases in NIEM_RELEASES.items():
        namespaces[prefix] = next((u for u in releases if u in declared), namespaces[prefix])
    return {**namespaces, **overrides}
