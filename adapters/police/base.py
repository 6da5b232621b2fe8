"""Police adapters: incidents for new-incident and recidivism checks (DESIGN §7).

`Jurisdiction.police.settings` belongs to the one adapter the jurisdiction names and is
validated, flat, by that adapter's `Settings` model.
"""

from abc import ABC, abstractmethod
from datetime import date
from typing import ClassVar

from adapters import registry
from domain.policy import Jurisdiction
from domain.referral import Incident, Person


class PoliceAdapter(registry.Plugin, ABC):
    group: ClassVar[str] = registry.POLICE_ADAPTERS

    @abstractmethod
    async def incidents_for(self, person: Person, since: date) -> list[Incident]:
        """Incidents involving `person` on or after `since`; raise `AdapterError` on failure."""

    @abstractmethod
    def parse_incident(self, document: bytes, content_type: str) -> Incident:
        """Map one incident report; raise `AdapterError` with the specific reason."""


def police_adapter_for(jurisdiction: Jurisdiction) -> PoliceAdapter:
    return PoliceAdapter.from_registry(
        jurisdiction.police.adapter,
        jurisdiction.police.settings,
        where=f"jurisdiction {jurisdiction.id!r}",
        name_field="police.adapter",
        settings_field="police.settings",
    )
