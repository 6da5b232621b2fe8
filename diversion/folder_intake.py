"""Referral intake from drop folders: each inbox document becomes a case or is quarantined.

Nothing is lost, and nothing a court sent stays in plaintext once taken: a document that
does not parse is kept sealed in the quarantine the API lists and resubmits
(`diversion.kept_documents`), leaving a receipt with its reason in the folder's
quarantine/; one that started or found a case is kept sealed in DATA_DIR/processed,
leaving a receipt in processed/. A document leaves the inbox only once it is sealed, so
one that cannot be sealed (no payload key, a full disk) or whose case could not be
started (Temporal unreachable, say) stays in the inbox and is tried again on the next
pass. A repeated referral finds its case (start_case is idempotent by case number) and
its kept entry (ids come from the bytes), so a document seen twice after a crash is
harmless.
"""

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from pydantic import ValidationError
from temporalio.client import Client

from adapters.courts.court_adapter import CourtAdapter, court_adapter_for
from adapters.courts.folder_transport import FolderTransport, InboundDocument
from adapters.errors import AdapterError
from adapters.registry import describe
from diversion.cases import start_case
from diversion.kept_documents import KeptDocuments
from diversion.sealed_store import NoPayloadKeyError
from domain.policy import Jurisdiction

log = logging.getLogger(__name__)

# What may go wrong while sealing a document and writing its receipt; none is the
# document's fault, so it stays in the inbox for the next pass.
SEALING_FAILURES: tuple[type[Exception], ...] = (OSError, ValueError)
NOT_RECORDED = "quarantined from the drop folder before documents were sealed; no reason recorded"


@dataclass
class IntakeReport:
    started: list[str] = field(default_factory=list)
    """Workflow ids of cases this pass started."""
    existing: list[str] = field(default_factory=list)
    """Workflow ids of cases that were already running (a repeated referral)."""
    processed: list[str] = field(default_factory=list)
    """Ids the documents that started or found a case are kept under, sealed."""
    quarantined: list[str] = field(default_factory=list)
    """Quarantine ids of the documents refused (GET /v1/quarantine/{id} for the reason)."""
    deferred: list[str] = field(default_factory=list)
    """Inbox documents left for the next pass, each with why."""


async def intake_once(
    client: Client,
    jurisdictions: dict[str, Jurisdiction],
    task_queue: str,
    match_secret: bytes | None = None,
    *,
    kept: KeptDocuments,
) -> IntakeReport:
    intake = _Intake(client, task_queue, match_secret, kept, IntakeReport())
    for jurisdiction, folder, adapter in _folders(jurisdictions):
        for document in folder.list_inbox():
            await intake.take(jurisdiction, adapter, folder, document)
    return intake.report


def _folders(
    jurisdictions: dict[str, Jurisdiction],
) -> list[tuple[Jurisdiction, FolderTransport, CourtAdapter]]:
    # Every adapter is built before any file is touched, so a misconfigured jurisdiction
    # stops the pass with its AdapterConfigError instead of being skipped in silence.
    adapters = [court_adapter_for(j) for j in jurisdictions.values()]
    return [
        (jurisdiction, adapter.transport, adapter)
        for jurisdiction, adapter in zip(jurisdictions.values(), adapters, strict=True)
        if isinstance(adapter.transport, FolderTransport)
    ]


@dataclass
class _Intake:
    client: Client
    task_queue: str
    match_secret: bytes | None
    kept: KeptDocuments
    report: IntakeReport

    async def take(
        self,
        jurisdiction: Jurisdiction,
        adapter: CourtAdapter,
        folder: FolderTransport,
        document: InboundDocument,
    ) -> None:
        if not self.kept.can_seal:  # checked first: no case starts from a document we
            self._defer(document, NoPayloadKeyError())  # could not then take out of the inbox
            return
        try:
            referral = adapter.parse_referral(document.content, document.content_type)
        except (AdapterError, ValidationError) as e:
            reason = describe(e) if isinstance(e, ValidationError) else str(e)
            try:
                self.report.quarantined.append(
                    await asyncio.to_thread(
                        keep_quarantined, self.kept, folder, document, jurisdiction, reason
                    )
                )
            except SEALING_FAILURES as failure:
                self._defer(document, failure)
            return
        try:
            handle, started = await start_case(
                self.client, referral, jurisdiction, self.task_queue, match_secret=self.match_secret
            )
        except Exception as e:
            # Not the document's fault, so not quarantined: it stays in the inbox, is
            # reported here and retried next pass. Cancellation is not an Exception.
            self._defer(document, e)
            return
        try:
            kept_as = await asyncio.to_thread(
                keep_processed, self.kept, folder, document, jurisdiction, handle.id
            )
        except SEALING_FAILURES as failure:
            self._defer(document, failure)  # the next pass finds the case again
            return
        self.report.processed.append(kept_as)
        (self.report.started if started else self.report.existing).append(handle.id)

    def _defer(self, document: InboundDocument, error: Exception) -> None:
        self.report.deferred.append(_failed(document, error))


def _failed(document: InboundDocument, error: Exception) -> str:
    return f"{document.path}: {type(error).__name__}: {error}"


def keep_processed(
    kept: KeptDocuments,
    folder: FolderTransport,
    document: InboundDocument,
    jurisdiction: Jurisdiction,
    case_id: str | None,
) -> str:
    record = kept.processed.keep(
        document.content,
        jurisdiction=jurisdiction.id,
        content_type=document.content_type,
        original_name=document.name,
        received_at=document.received_at,
        case_id=case_id,
    )
    folder.mark_processed(
        document, document_id=record.id, case_id=case_id, jurisdiction=record.jurisdiction
    )
    return record.id


def keep_quarantined(
    kept: KeptDocuments,
    folder: FolderTransport,
    document: InboundDocument,
    jurisdiction: Jurisdiction,
    reason: str,
    *,
    source: str = "folder",
) -> str:
    record = kept.quarantine.keep(
        document.content,
        jurisdiction=jurisdiction.id,
        content_type=document.content_type,
        reason=reason,
        source=source,
        original_name=document.name,
        received_at=document.received_at,
    )
    # The entry's reason, not ours: the same bytes kept before keep the reason given then.
    folder.quarantine(document, record.reason, jurisdiction.id, quarantine_id=record.id)
    return record.id


async def run_intake(
    client: Client,
    jurisdictions: dict[str, Jurisdiction],
    task_queue: str,
    stop: asyncio.Event,
    interval_seconds: float = 2.0,
    match_secret: bytes | None = None,
    *,
    kept: KeptDocuments,
) -> None:
    """Pass over the inboxes until `stop` is set; errors other than deferrals end the loop.

    First, once, the documents an earlier version left in plaintext are sealed."""
    if kept.can_seal:
        left = await seal_documents_left(jurisdictions, kept)
        if left.sealed:
            log.info("intake: sealed %d document(s) kept in plaintext before", len(left.sealed))
        for item in left.failed:
            log.warning("a document kept in plaintext before could not be sealed: %s", item)
    else:
        log.warning("intake: %s; inbox documents stay where they are", NoPayloadKeyError())
    while not stop.is_set():
        report = await intake_once(client, jurisdictions, task_queue, match_secret, kept=kept)
        await _take_callbacks(client, jurisdictions, kept)
        for found in report.quarantined:
            log.warning(
                "referral quarantined as %s (its reason: GET /v1/quarantine/%s)", found, found
            )
        for item in report.deferred:
            log.warning("referral left in inbox for the next pass: %s", item)
        if report.started or report.existing:
            log.info(
                "intake: %d case(s) started, %d already running",
                len(report.started),
                len(report.existing),
            )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_seconds)


async def _take_callbacks(
    client: Client, jurisdictions: dict[str, Jurisdiction], kept: KeptDocuments
) -> None:
    """The court's answers to our filings, from folder courts that send them."""
    from diversion.callback_intake import callbacks_once  # it builds on this module

    answered = await callbacks_once(client, jurisdictions, kept=kept)
    for found in answered.quarantined:
        log.warning("court callback quarantined as %s (GET /v1/quarantine/%s)", found, found)
    for item in answered.deferred:
        log.warning("court callback left for the next pass: %s", item)
    if answered.delivered:
        log.info("intake: %d court callback(s) delivered", len(answered.delivered))


@dataclass
class SealedLeft:
    sealed: list[str] = field(default_factory=list)
    """Ids of the documents sealed, each now kept sealed."""
    failed: list[str] = field(default_factory=list)
    """Documents left where they were, each with why."""


async def seal_documents_left(
    jurisdictions: dict[str, Jurisdiction], kept: KeptDocuments
) -> SealedLeft:
    """Seal what versions before sealing kept in plaintext: the documents they moved into
    the folders' processed/ and quarantine/, and the store entries with a plain `document`.

    A quarantined one keeps the reason recorded beside it and joins the quarantine the API
    lists; one that cannot be sealed is left where it is, in `failed`."""
    done = SealedLeft()
    for jurisdiction, folder, _ in _folders(jurisdictions):
        for document in folder.left_in_processed():
            try:
                done.sealed.append(
                    await asyncio.to_thread(
                        keep_processed, kept, folder, document, jurisdiction, None
                    )
                )
            except SEALING_FAILURES as failure:
                done.failed.append(_failed(document, failure))
        for document, reason in folder.left_in_quarantine():
            try:
                done.sealed.append(
                    await asyncio.to_thread(
                        keep_quarantined,
                        kept,
                        folder,
                        document,
                        jurisdiction,
                        reason or NOT_RECORDED,
                    )
                )
            except SEALING_FAILURES as failure:
                done.failed.append(_failed(document, failure))
    try:
        done.sealed += await asyncio.to_thread(kept.seal_unsealed)
    except SEALING_FAILURES as failure:
        done.failed.append(f"{kept.quarantine.root}: {type(failure).__name__}: {failure}")
    return done
