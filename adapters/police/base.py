"""Police adapters: incidents for new-incident and recidivism checks (DESIGN §7).

`Jurisdiction.police.settings` belongs to the one adapter the jurisdiction names and is
validated, flat, by that adapter's `Settings` model.
"""

from abc import ABC, abstractmethod
from datetime import date
from typing import ClassVar

from adapters import registry
from adapters.errors import AdapterError
from domain.incidents import PoliceIncident
from domain.person_match import DEFAULT_MATCH_KEYS
from domain.policy import Jurisdiction
from domain.referral import Incident, Person


class PoliceAdapter(registry.Plugin, ABC):
    group: ClassVar[str] = registry.POLICE_ADAPTERS

    @property
    def match_keys(self) -> tuple[tuple[str, ...], ...]:
        """The key sets that say an incident's person is a case's participant."""
        return DEFAULT_MATCH_KEYS

    @abstractmethod
    async def incidents_for(self, person: Person, since: date) -> list[Incident]:
        """Incidents involving `person` on or after `since`; raise `AdapterError` on failure."""

    @abstractmethod
    def parse_incident(self, document: bytes, content_type: str) -> Incident:
        """Map one incident report; raise `AdapterError` with the specific reason."""

    def parse_police_incident(self, document: bytes, content_type: str) -> PoliceIncident:
        """One pushed incident with its people, to match them to cases. Adapters whose
        police push incidents (POST /v1/police/incidents) override this."""
        raise AdapterError(f"the {self.name} police adapter does not read pushed incidents")


def police_adapter_for(jurisdiction: Jurisdiction) -> PoliceAdapter:
    return PoliceAdapter.from_registry(
        jurisdiction.police.adapter,
        jurisdiction.police.settings,
        where=f"jurisdiction {jurisdiction.id!r}",
        name_field="police.adapter",
        settings_field="police.settings",
    )
