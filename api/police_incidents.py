"""Incidents a police system pushes (POST /v1/police/incidents) reach the open cases of
the person they concern, as safety events (DESIGN §2 rule 4).

The incident's subjects and arrestees are turned into match tokens, keyed hashes of the
identifiers the jurisdiction matches on (`domain.person_match.match_tokens`), and the
cases whose participant carries one of them are found through a search attribute. So a
name alone never matches, and no identifier is ever in a query or an index in the clear.
Each matched case gets the incident summary by update: when the update returns, the case
is suspended (or knew the incident already). A document the adapter refuses is kept in
the quarantine, as court documents are.
"""

import asyncio

from pydantic import BaseModel, ValidationError
from temporalio.client import Client, WorkflowUpdateFailedError

from adapters.errors import AdapterError
from adapters.police.base import PoliceAdapter, police_adapter_for
from adapters.registry import describe
from api.gateway import CaseGateway
from api.problems import ProblemError, ProblemKind
from api.visibility_query import CASE_TYPE, quote
from diversion.quarantine import QuarantineStore
from domain.incidents import PoliceIncident
from domain.person_match import match_tokens
from domain.policy import Jurisdiction
from workflows import search_attributes as sa
from workflows.case import DiversionCase


class IncidentReceived(BaseModel):
    """What the police system learns: that we have the incident, nothing of any case."""

    incident_number: str


class PoliceIncidents:
    def __init__(
        self,
        gateway: CaseGateway,
        jurisdictions: dict[str, Jurisdiction],
        store: QuarantineStore,
        match_secret: bytes,
    ) -> None:
        # Built at start-up, so a misconfigured adapter stops the API, not a request.
        self._adapters: dict[str, PoliceAdapter] = {
            jid: police_adapter_for(j) for jid, j in jurisdictions.items()
        }
        self._gateway = gateway
        self._store = store
        self._secret = match_secret

    async def receive(
        self, jurisdiction: str, document: bytes, content_type: str
    ) -> IncidentReceived:
        incident = await self._parse(jurisdiction, document, content_type)
        summary = incident.summary()
        for case_id in await self._cases_of(jurisdiction, incident):
            handle = self._client.get_workflow_handle_for(DiversionCase.run, case_id)
            try:
                await self._gateway.call(
                    handle.execute_update(DiversionCase.report_incident, summary)
                )
            except WorkflowUpdateFailedError:
                continue  # the case closed meanwhile; closed cases are the follow-ups' concern
        return IncidentReceived(incident_number=incident.incident_number)

    @property
    def _client(self) -> Client:
        return self._gateway.client

    async def _parse(self, jurisdiction: str, document: bytes, content_type: str) -> PoliceIncident:
        adapter = self._adapters[jurisdiction]
        try:
            return await asyncio.to_thread(adapter.parse_police_incident, document, content_type)
        except (AdapterError, ValidationError) as e:
            reason = describe(e) if isinstance(e, ValidationError) else str(e)
            record = await asyncio.to_thread(
                self._store.keep,
                document,
                jurisdiction=jurisdiction,
                content_type=content_type,
                reason=reason,
                source="police",
            )
            raise ProblemError(
                ProblemKind.DOCUMENT_REFUSED, reason, quarantine_id=record.id
            ) from None

    async def _cases_of(self, jurisdiction: str, incident: PoliceIncident) -> list[str]:
        keys = self._adapters[jurisdiction].match_keys
        tokens = sorted(
            {t for p in incident.involved_persons() for t in match_tokens(p, keys, self._secret)}
        )
        if not tokens:
            return []
        query = (
            f"WorkflowType = {quote(CASE_TYPE)} AND {sa.JURISDICTION.name} = {quote(jurisdiction)}"
            f" AND ExecutionStatus = 'Running'"
            f" AND {sa.PARTICIPANT_TOKENS.name} IN ({', '.join(quote(t) for t in tokens)})"
        )

        async def listed() -> list[str]:
            return [e.id async for e in self._client.list_workflows(query)]

        return await self._gateway.call(listed())
