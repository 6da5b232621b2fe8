"""A police records system's (RMS) JSON API over HTTPS (DESIGN §7): a person's incidents
by search, one incident by number, and incidents the police push to us.

[jurisdictions.<id>.police]
adapter = "rest"
[jurisdictions.<id>.police.settings]
base_url = "https://rms.police.example/api/v1"
search_path = "/incidents/search"              # POST a search here
incident_path = "/incidents/{incident_number}"  # GET one incident; only this name
max_pages = 20                                  # more pages than this is an error
max_bytes = 20971520                            # per JSON document
match_keys = [["state_id"], ["date_of_birth", "family_name", "given_name"]]
relationship_codes = { "EB" = "ex_relationship" }   # and the DV/order-breach codes,
order_breach_codes = ["90Z"]                         # as for the nibrs adapter
# ... and the shared HTTP settings (adapters.http.settings): OAuth2, mutual TLS, retries.

The search is a POST whose body holds the person's fields, never a URL (see
`adapters.http.client` on personal data in URLs):

    {"person": {"identifiers": {"state_id": "..."}, "date_of_birth": "1989-05-17",
                "family_name": "...", "given_name": "..."},
     "since": "2026-01-01",
     "cursor": "<the previous page's next>"}          # from the second page on

Only the fields of the match key sets the person has every field of are sent, so a
name travels only beside a date of birth or an identifier. The answer is
`{"incidents": [<incident>...], "next": "<cursor>"}` (`next` absent or null on the last
page), each incident as `adapters.police.rms_json_mapping` describes. An RMS searches
loosely, so every incident is matched again here by our match keys, and kept only when
the person is one of its subjects or arrestees.
"""

import json
from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar
from urllib.parse import quote

from pydantic import BaseModel, Field, field_validator

from adapters.errors import AdapterError
from adapters.http.client import HttpClient, HttpClock
from adapters.http.settings import HttpApiSettings, template_fields
from adapters.police.base import PoliceAdapter
from adapters.police.relationship_codes import RelationshipCodes
from adapters.police.rms_json_mapping import map_incident
from adapters.police.screening_settings import IncidentScreeningSettings
from adapters.xml.hardened import DEFAULT_MAX_BYTES
from domain.incident_risk import (
    classify,
)
from domain.incidents import PoliceIncident
from domain.person_match import (
    NAME_FIELDS,
    PersonMatcher,
)
from domain.referral import Incident, Person

MEDIA_TYPE = "application/json"
PEER = "the police records system"
INCIDENT_PATH_NAMES = frozenset({"incident_number"})


class RestRmsSettings(HttpApiSettings, IncidentScreeningSettings):
    search_path: str = "/incidents/search"
    incident_path: str = "/incidents/{incident_number}"
    max_pages: int = Field(default=20, gt=0)
    max_bytes: int = Field(default=DEFAULT_MAX_BYTES, gt=0)

    @field_validator("search_path")
    @classmethod
    def _plain_path(cls, path: str) -> str:
        if not path.startswith("/") or any(c in path for c in "{}?#"):
            raise ValueError("must be a path starting with '/', without placeholders or query")
        return path

    @field_validator("incident_path")
    @classmethod
    def _incident_template(cls, path: str) -> str:
        if not path.startswith("/") or any(c in path for c in "?#"):
            raise ValueError("must be a path starting with '/', without a query")
        fields = template_fields(path)
        if [name for name, _ in fields] != ["incident_number"] or not all(b for _, b in fields):
            raise ValueError(
                "must hold {incident_number} once and no other placeholder: a URL must carry "
                "no personal data"
            )
        return path


class RestRmsPoliceAdapter(PoliceAdapter):
    name: ClassVar[str] = "rest"
    Settings: ClassVar[type[BaseModel]] = RestRmsSettings

    def __init__(self, settings: RestRmsSettings, *, clock: HttpClock | None = None) -> None:
        super().__init__(settings)
        self.settings: RestRmsSettings = settings
        self.rules = settings.rules()
        self.matcher = PersonMatcher(settings.match_keys)
        self.relationships = RelationshipCodes(settings.relationship_codes)
        self.http = HttpClient(settings, peer=PEER, clock=clock or HttpClock())

    @property
    def match_keys(self) -> tuple[tuple[str, ...], ...]:
        return self.matcher.keys

    # -- pushed --------------------------------------------------------------------------

    def parse_incident(self, document: bytes, content_type: str) -> Incident:
        return self.parse_police_incident(document, content_type).summary()

    def parse_police_incident(self, document: bytes, content_type: str) -> PoliceIncident:
        """One pushed incident, with its DV finding, risk flags and warnings."""
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type != MEDIA_TYPE:
            raise AdapterError(f"the rest police adapter reads {MEDIA_TYPE}, not {content_type!r}")
        data = self._json_object(document, "the incident")
        return classify(map_incident(data, self.relationships), self.rules)

    # -- pulled --------------------------------------------------------------------------

    async def incidents_for(self, person: Person, since: date) -> list[Incident]:
        return [incident.summary() for incident in await self.search(person, since)]

    async def search(self, person: Person, since: date) -> list[PoliceIncident]:
        """The incidents on or after `since` in which `person` is a subject or arrestee,
        a later page's version of an incident number replacing an earlier one's."""
        query: dict[str, Any] = {"person": self.search_fields(person), "since": since.isoformat()}
        found: dict[str, PoliceIncident] = {}
        for page in range(1, self.settings.max_pages + 1):
            answer = await self._post_search(query)
            for incident in self._page_incidents(answer, page):
                if incident.on_or_after(since) and self._involves(incident, person):
                    found[incident.incident_number] = classify(incident, self.rules)
            cursor = _next_cursor(answer, page)
            if cursor is None:
                return list(found.values())
            query["cursor"] = cursor
        # A partial answer would look like "no new incident", the costly mistake.
        raise AdapterError(
            f"{PEER} has more than {self.settings.max_pages} pages of incidents for one "
            "search (max_pages); refusing an incomplete answer"
        )

    async def fetch_incident(self, incident_number: str) -> PoliceIncident | None:
        """One incident by its number (e.g. after a notice that it changed); None when
        the RMS has no such incident, or none for us."""
        path = self.settings.incident_path.format(incident_number=quote(incident_number, safe=""))
        response = await self.http.request(
            "GET",
            self.settings.base_url + path,
            headers={"Accept": MEDIA_TYPE},
            accept_statuses=(404,),
        )
        if response.status_code == 404:
            return None
        data = self._json_object(response.content, f"{PEER}'s incident")
        return classify(map_incident(data, self.relationships), self.rules)

    def search_fields(self, person: Person) -> dict[str, Any]:
        """The person's fields the search sends: those of every match key set the person
        has all fields of; `AdapterError` when there is none, since the person then
        matches no incident and an empty answer would look like a clean record."""
        fields: dict[str, Any] = {}
        complete = [key for key in self.match_keys if _has_all(person, key)]
        if not complete:
            names = "; ".join(" + ".join(key) for key in self.match_keys)
            raise AdapterError(
                f"the person has no complete set of match fields ({names}), so no incident "
                "could be matched to them"
            )
        for field in (f for key in complete for f in key):
            if field in NAME_FIELDS:
                fields[field] = getattr(person, field)
            elif field == "date_of_birth" and person.date_of_birth is not None:
                fields[field] = person.date_of_birth.isoformat()
            else:
                fields.setdefault("identifiers", {})[field] = person.identifiers[field].strip()
        return fields

    async def aclose(self) -> None:
        await self.http.aclose()

    # -- helpers -------------------------------------------------------------------------

    async def _post_search(self, query: Mapping[str, Any]) -> dict[str, Any]:
        response = await self.http.request(
            "POST",
            self.settings.base_url + self.settings.search_path,
            content=json.dumps(query).encode(),
            headers={"Content-Type": MEDIA_TYPE, "Accept": MEDIA_TYPE},
        )
        return self._json_object(response.content, f"{PEER}'s search answer")

    def _page_incidents(self, answer: dict[str, Any], page: int) -> list[PoliceIncident]:
        items = answer.get("incidents")
        if not isinstance(items, list):
            raise AdapterError(f"{PEER}'s search answer, page {page}: incidents: not a list")
        try:
            return [
                map_incident(item, self.relationships, path=f"incidents.{n}")
                for n, item in enumerate(items)
            ]
        except AdapterError as e:
            # One unreadable incident fails the search: skipping it could hide the very
            # incident a case must hear about.
            raise AdapterError(f"{PEER}'s search answer, page {page}: {e}") from e

    def _involves(self, incident: PoliceIncident, person: Person) -> bool:
        return any(self.matcher.matches(person, p) for p in incident.involved_persons())

    def _json_object(self, document: bytes, what: str) -> dict[str, Any]:
        if len(document) > self.settings.max_bytes:
            raise AdapterError(
                f"{what} is {len(document)} bytes, more than max_bytes ({self.settings.max_bytes})"
            )
        try:
            data = json.loads(document.decode("utf-8"))
        except UnicodeDecodeError as e:
            raise AdapterError(f"{what} is not UTF-8: invalid byte at offset {e.start}") from None
        except json.JSONDecodeError as e:
            raise AdapterError(
                f"{what} is not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}"
            ) from None
        except RecursionError:
            raise AdapterError(f"{what} is nested too deeply to be an incident") from None
        if not isinstance(data, dict):
            raise AdapterError(f"{what} must be a JSON object, not {type(data).__name__}")
        return data


def _has_all(person: Person, key: tuple[str, ...]) -> bool:
    return all(_has(person, field) for field in key)


def _has(person: Person, field: str) -> bool:
    if field in NAME_FIELDS:
        return bool(getattr(person, field).strip())
    if field == "date_of_birth":
        return person.date_of_birth is not None
    return bool(person.identifiers.get(field, "").strip())


def _next_cursor(answer: dict[str, Any], page: int) -> str | None:
    cursor = answer.get("next")
    if cursor is None:
        return None
    if not isinstance(cursor, str) or not cursor:
        raise AdapterError(
            f"{PEER}'s search answer, page {page}: next: not a cursor (a non-empty string)"
        )
    return cursor
