"""For jurisdictions whose police share nothing with the program."""

from datetime import date
from typing import ClassVar

from adapters.errors import AdapterError
from adapters.police.base import PoliceAdapter
from domain.referral import Incident, Person


class NoPoliceAdapter(PoliceAdapter):
    name: ClassVar[str] = "none"

    async def incidents_for(self, person: Person, since: date) -> list[Incident]:
        # Having no police feed is the jurisdiction's choice, not a failure to report.
        return []

    def parse_incident(self, document: bytes, content_type: str) -> Incident:
        raise AdapterError("this jurisdiction has no police adapter")
