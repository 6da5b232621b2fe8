"""Asking a court how a filing stands: for courts whose transport can be asked (a REST
status resource, ECF's GetFilingStatus over SOAP). Courts that call back instead answer
through the API or the folder's callbacks (docs/adapters.md); for them this finds nothing
to ask."""

from collections.abc import Callable
from typing import Any

from temporalio import activity

from activities.adapter_directory import AdapterDirectory
from domain.filing_status import FilingStatusQuery, PolledStatus


class FilingActivities:
    def __init__(self, adapters: AdapterDirectory) -> None:
        self.adapters = adapters

    @activity.defn
    async def filing_status(self, query: FilingStatusQuery) -> PolledStatus:
        adapter = self.adapters.court(query.jurisdiction)
        status = await adapter.filing_status(
            query.court_reference, query.idempotency_key, court_id=query.court_id
        )
        if status is None:
            return PolledStatus()
        return PolledStatus(status=status.state, reason=status.reason)

    def all(self) -> list[Callable[..., Any]]:
        return [self.filing_status]
