"""One jurisdiction's court adapter: its format over its transport (adapters/courts/base.py),
chosen by name in its configuration.

Settings scheme: `Jurisdiction.court.settings` is split by owner,

    settings = { format = { ... }, transport = { ... } }

each part validated by that adapter's own `Settings` model; a missing part means "no
settings". It is split rather than flat because a format and a transport from two
different packages cannot promise disjoint field names (both may want `timeout`), and
an unknown key must be an error, not a guess at whose it was.
"""

import asyncio
import inspect
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from adapters.courts.base import (
    CourtFormat,
    CourtTransport,
    FilingStatus,
    RenderedReport,
    StatusQuery,
)
from adapters.errors import AdapterConfigError, AdapterError
from domain.filing_status import FilingState
from domain.policy import Jurisdiction
from domain.referral import Hearing, Referral, normalise_case_number
from domain.reports import CourtReport, FilingReceipt
from rendering import pdf_processes


class CourtAdapter:
    """One jurisdiction's format and transport together."""

    def __init__(self, jurisdiction: str, format: CourtFormat, transport: CourtTransport) -> None:
        self.jurisdiction = jurisdiction
        self.format = format
        self.transport = transport
        # What makes a report's PDF: None for WeasyPrint in this process's rendering
        # processes (rendering/pdf_processes.py). bench/lifecycle.py puts a stand-in here
        # to time a case without it.
        self.render_pdf: Callable[[CourtReport], bytes] | None = None

    async def _rendered(self, report: CourtReport) -> RenderedReport:
        if self.render_pdf is None:
            pdf = await pdf_processes.shared().pdf(report)
        else:
            pdf = await asyncio.to_thread(self.render_pdf, report)
        return RenderedReport(report=report, pdf=pdf)

    def parse_referral(self, document: bytes, content_type: str) -> Referral:
        referral = self.format.parse_referral(document, content_type, self.jurisdiction)
        try:  # the case number's characters, which the referral model leaves to intake
            normalise_case_number(referral.court.case_number)
        except ValueError as e:
            raise AdapterError(str(e)) from None
        return referral

    def parse_filing_status(self, document: bytes) -> FilingStatus:
        return self.format.parse_filing_status(document)

    async def pull_case(self, court_id: str, case_number: str) -> bytes | None:
        return await self.transport.pull_case(self.format.render_case_query(court_id, case_number))

    async def hearings(self, court_id: str, case_number: str) -> list[Hearing] | None:
        """The case's hearings as the court lists them now, or None when this transport
        cannot pull (a drop folder) or the court no longer has the case. Only the hearings
        leave: the rest of the court's document (the victim's details with it) is dropped."""
        document = await self.pull_case(court_id, case_number)
        if document is None:
            return None
        content_type = self.format.content_types[0]
        return self.format.parse_referral(document, content_type, self.jurisdiction).court.hearings

    async def file_report(self, report: CourtReport) -> FilingReceipt:
        if report.jurisdiction != self.jurisdiction:
            # A report in another court's case file would disclose a case to the wrong court.
            raise ValueError(
                f"report {report.idempotency_key} is for jurisdiction {report.jurisdiction!r}, "
                f"not {self.jurisdiction!r}"
            )
        # Rendering takes a tenth of a second of CPU or more: apart from the event loop.
        rendered = await self._rendered(report)
        document = self.format.render_filing(rendered)
        sent = await self.transport.send_filing(document)
        status = None if sent.reply is None else self.format.parse_filing_status(sent.reply)
        state: FilingState = "received" if sent.answers_later else "accepted"
        if status is not None:
            state = status.state
        return FilingReceipt(
            idempotency_key=document.idempotency_key,
            document_hash=rendered.document_hash,
            court_reference=(status.court_reference if status else "") or sent.reference,
            filed_at=datetime.now(UTC),
            accepted=state != "rejected",
            rejection_reason=status.reason if status else None,
            status=state,
            sent_hash=document.content_hash(),
        )

    async def filing_status(
        self, court_reference: str, idempotency_key: str, *, court_id: str | None = None
    ) -> FilingStatus | None:
        """The court's answer to a filing now, asked through the transport; None when the
        transport cannot ask. `court_id` (the case's court) reaches the format when its
        `render_status_query` takes it: a format written before it was passed still works."""
        if court_id is not None and _takes_court_id(self.format.render_status_query):
            query = self.format.render_status_query(
                court_reference, idempotency_key, court_id=court_id
            )
        else:
            query = self.format.render_status_query(court_reference, idempotency_key)
        answer = await self.transport.filing_status(query)
        return None if answer is None else self.format.parse_filing_status(answer)


def _takes_court_id(render: Callable[..., StatusQuery]) -> bool:
    return "court_id" in inspect.signature(render).parameters


def court_adapter_for(jurisdiction: Jurisdiction) -> CourtAdapter:
    choice = jurisdiction.court
    where = f"jurisdiction {jurisdiction.id!r}"
    parts = _split_settings(choice.settings, where)
    fmt = CourtFormat.from_registry(
        choice.format,
        parts["format"],
        where=where,
        name_field="court.format",
        settings_field="court.settings.format",
    )
    transport = CourtTransport.from_registry(
        choice.transport,
        parts["transport"],
        where=where,
        name_field="court.transport",
        settings_field="court.settings.transport",
    )
    return CourtAdapter(jurisdiction.id, fmt, transport)


_PARTS = ("format", "transport")


def _split_settings(settings: Mapping[str, Any], where: str) -> dict[str, Mapping[str, Any]]:
    for key in settings:
        if key not in _PARTS:
            raise AdapterConfigError(
                f"{where}: court.settings.{key}: unknown key; court settings are split as "
                "{ format = { ... }, transport = { ... } }"
            )
    parts: dict[str, Mapping[str, Any]] = {}
    for part in _PARTS:
        value = settings.get(part, {})
        if not isinstance(value, Mapping):
            raise AdapterConfigError(f"{where}: court.settings.{part}: expected a table")
        parts[part] = value
    return parts
