"""Referral intake from drop folders: each inbox document becomes a case or is quarantined.

Nothing is lost: a document that does not parse moves to quarantine/ with its reason;
one that parsed but could not be started (Temporal unreachable, say) stays in the inbox
and is tried again on the next pass; a started or already-running case moves it to
processed/. A repeated referral finds its case (start_case is idempotent by case number),
so a document seen twice after a crash is harmless.
"""

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from pydantic import ValidationError
from temporalio.client import Client

from adapters.courts.base import CourtAdapter, court_adapter_for
from adapters.courts.folder_transport import FolderTransport, InboundDocument
from adapters.errors import AdapterError
from adapters.registry import describe
from diversion.cases import start_case
from domain.policy import Jurisdiction

log = logging.getLogger(__name__)


@dataclass
class IntakeReport:
    started: list[str] = field(default_factory=list)
    """Workflow ids of cases this pass started."""
    existing: list[str] = field(default_factory=list)
    """Workflow ids of cases that were already running (a repeated referral)."""
    quarantined: list[str] = field(default_factory=list)
    """Paths of documents moved to quarantine; each has a .reason.json beside it."""
    deferred: list[str] = field(default_factory=list)
    """Inbox documents left for the next pass, each with why."""


async def intake_once(
    client: Client,
    jurisdictions: dict[str, Jurisdiction],
    task_queue: str,
    match_secret: bytes | None = None,
) -> IntakeReport:
    # Every adapter is built before any file is touched, so a misconfigured jurisdiction
    # stops the pass with its AdapterConfigError instead of being skipped in silence.
    adapters = [court_adapter_for(j) for j in jurisdictions.values()]
    report = IntakeReport()
    for jurisdiction, adapter in zip(jurisdictions.values(), adapters, strict=True):
        if not isinstance(adapter.transport, FolderTransport):
            continue
        for document in adapter.transport.list_inbox():
            await _take(
                client,
                jurisdiction,
                adapter,
                adapter.transport,
                document,
                task_queue,
                report,
                match_secret,
            )
    return report


async def _take(
    client: Client,
    jurisdiction: Jurisdiction,
    adapter: CourtAdapter,
    folder: FolderTransport,
    document: InboundDocument,
    task_queue: str,
    report: IntakeReport,
    match_secret: bytes | None,
) -> None:
    try:
        referral = adapter.parse_referral(document.content, document.content_type)
    except (AdapterError, ValidationError) as e:
        reason = describe(e) if isinstance(e, ValidationError) else str(e)
        record = folder.quarantine(document, reason, jurisdiction.id)
        report.quarantined.append(str(record.path))
        return
    try:
        handle, started = await start_case(
            client, referral, jurisdiction, task_queue, match_secret=match_secret
        )
    except Exception as e:
        # Not the document's fault, so not quarantined: it stays in the inbox, is reported
        # here and retried next pass. Cancellation is not an Exception and still stops us.
        report.deferred.append(f"{document.path}: {type(e).__name__}: {e}")
        return
    folder.mark_processed(document)
    (report.started if started else report.existing).append(handle.id)


async def run_intake(
    client: Client,
    jurisdictions: dict[str, Jurisdiction],
    task_queue: str,
    stop: asyncio.Event,
    interval_seconds: float = 2.0,
    match_secret: bytes | None = None,
) -> None:
    """Pass over the inboxes until `stop` is set; errors other than deferrals end the loop."""
    while not stop.is_set():
        report = await intake_once(client, jurisdictions, task_queue, match_secret)
        for path in report.quarantined:
            log.warning("referral quarantined: %s (reason in its .reason.json)", path)
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
