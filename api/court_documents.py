"""Referrals in a court's own format (ECF, NIEM, ...) through the API, with quarantine.

The jurisdiction's court adapter reads the document; a document it refuses is kept in
the quarantine store with the reason (nothing a court sends is lost) and the caller gets
422 `document-refused` carrying the quarantine id, to resubmit after correction.
"""

import asyncio

from pydantic import ValidationError

from adapters.courts.court_adapter import CourtAdapter, court_adapter_for
from adapters.errors import AdapterError
from adapters.registry import describe
from adapters.xml.hardened import XmlRefused
from api.problems import ProblemError, ProblemKind
from diversion.quarantine import QuarantinedDocument, QuarantineStore
from domain.policy import Jurisdiction
from domain.referral import Referral


class CourtDocuments:
    def __init__(self, jurisdictions: dict[str, Jurisdiction], store: QuarantineStore) -> None:
        # Built at start-up, so a misconfigured adapter stops the API, not a request.
        self._adapters: dict[str, CourtAdapter] = {
            jid: court_adapter_for(j) for jid, j in jurisdictions.items()
        }
        self.store = store

    def accepts(self, jurisdiction: str, content_type: str) -> bool:
        media_type = content_type.split(";", 1)[0].strip().lower()
        return media_type in self._adapters[jurisdiction].format.content_types

    def format_name(self, jurisdiction: str) -> str:
        return self._adapters[jurisdiction].format.name

    def adapter(self, jurisdiction: str) -> CourtAdapter:
        """The jurisdiction's court adapter, as built at start-up (its callbacks' reader)."""
        return self._adapters[jurisdiction]

    async def read(
        self, jurisdiction: str, document: bytes, content_type: str, *, source: str = "api"
    ) -> Referral:
        """The referral, or 422 with the document kept in quarantine."""
        try:
            return await self._parse(jurisdiction, document, content_type)
        except ProblemError as refused:
            record = await asyncio.to_thread(
                self.store.keep,
                document,
                jurisdiction=jurisdiction,
                content_type=content_type,
                reason=refused.detail,
                source=source,
            )
            refused.extensions["quarantine_id"] = record.id
            raise

    async def resubmit(self, record: QuarantinedDocument, correction: bytes) -> Referral:
        """The corrected document's referral; a refusal is recorded on the entry."""
        try:
            return await self._parse(record.jurisdiction, correction, record.content_type)
        except ProblemError as refused:
            await asyncio.to_thread(self.store.refused_again, record, correction, refused.detail)
            refused.extensions["quarantine_id"] = record.id
            raise

    async def _parse(self, jurisdiction: str, document: bytes, content_type: str) -> Referral:
        adapter = self._adapters[jurisdiction]
        try:
            # Parsing is CPU work in lxml; off the event loop so other requests go on.
            referral = await asyncio.to_thread(adapter.parse_referral, document, content_type)
        except (AdapterError, ValidationError) as e:
            reason = describe(e) if isinstance(e, ValidationError) else str(e)
            refused = ProblemError(ProblemKind.DOCUMENT_REFUSED, reason)
            if isinstance(e, XmlRefused) and e.line is not None:
                refused.extensions.update(line=e.line, column=e.column)
            raise refused from None
        if referral.jurisdiction != jurisdiction:
            raise ProblemError(
                ProblemKind.DOCUMENT_REFUSED,
                f"the document is for jurisdiction {referral.jurisdiction!r}, not {jurisdiction!r}",
            )
        return referral
