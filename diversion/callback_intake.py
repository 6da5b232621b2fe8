"""The court's answers from drop folders: each document in a folder court's callbacks/
(a docketing callback, in the jurisdiction's court format) reaches the case it is about.

As with referrals (diversion/folder_intake.py), nothing is lost and nothing stays in
plaintext once taken: a callback its case took is kept sealed with the processed
documents (a receipt in processed/ names it and the case); one that cannot be read, names
no case of ours, or that its case refused is kept sealed in the quarantine with the reason
(a receipt in quarantine/). One that could not be delivered for a reason that is not its
own (Temporal unreachable, no payload key) stays in callbacks/ for the next pass. A
quarantined callback (`source` "court-callback") is not a referral: it is corrected and
dropped into callbacks/ again, never resubmitted as a case.
"""

import asyncio
import functools
from dataclasses import dataclass, field

from pydantic import ValidationError
from temporalio.client import Client

from adapters.courts.court_adapter import CourtAdapter, court_adapter_for
from adapters.courts.folder_transport import FolderTransport, InboundDocument
from adapters.errors import AdapterError
from adapters.registry import describe
from diversion.court_answers import COURT_CALLBACK, AnswerRefused, deliver
from diversion.folder_intake import SEALING_FAILURES, keep_processed, keep_quarantined
from diversion.kept_documents import KeptDocuments
from domain.policy import Jurisdiction


@dataclass
class CallbackReport:
    delivered: list[str] = field(default_factory=list)
    """Case ids that took a callback this pass."""
    quarantined: list[str] = field(default_factory=list)
    """Quarantine ids of callbacks refused, each kept with its reason."""
    deferred: list[str] = field(default_factory=list)
    """Callbacks left for the next pass, each with why."""


async def callbacks_once(
    client: Client, jurisdictions: dict[str, Jurisdiction], *, kept: KeptDocuments
) -> CallbackReport:
    report = CallbackReport()
    for jurisdiction, folder, adapter in _callback_folders(jurisdictions):
        for document in folder.list_callbacks():
            await _take(client, kept, report, jurisdiction, folder, adapter, document)
    return report


def _callback_folders(
    jurisdictions: dict[str, Jurisdiction],
) -> list[tuple[Jurisdiction, FolderTransport, CourtAdapter]]:
    found = []
    for jurisdiction in jurisdictions.values():
        adapter = court_adapter_for(jurisdiction)
        transport = adapter.transport
        if isinstance(transport, FolderTransport) and transport.answers_later:
            found.append((jurisdiction, transport, adapter))
    return found


async def _take(
    client: Client,
    kept: KeptDocuments,
    report: CallbackReport,
    jurisdiction: Jurisdiction,
    folder: FolderTransport,
    adapter: CourtAdapter,
    document: InboundDocument,
) -> None:
    if not kept.can_seal:  # taken only once it can be kept
        report.deferred.append(f"{document.path}: no payload key to seal it with")
        return
    try:
        status = adapter.parse_filing_status(document.content)
        delivered = await deliver(client, jurisdiction.id, status)
    except (AdapterError, AnswerRefused, ValidationError) as e:
        reason = describe(e) if isinstance(e, ValidationError) else str(e)
        try:
            report.quarantined.append(
                await asyncio.to_thread(
                    functools.partial(keep_quarantined, source=COURT_CALLBACK),
                    kept,
                    folder,
                    document,
                    jurisdiction,
                    f"court callback not taken: {reason}",
                )
            )
        except SEALING_FAILURES as failure:
            report.deferred.append(f"{document.path}: {type(failure).__name__}: {failure}")
        return
    except Exception as e:  # not the callback's fault: tried again on the next pass
        report.deferred.append(f"{document.path}: {type(e).__name__}: {e}")
        return
    try:
        await asyncio.to_thread(
            keep_processed, kept, folder, document, jurisdiction, delivered.case_id
        )
    except SEALING_FAILURES as failure:  # delivered again next pass: a repeat changes nothing
        report.deferred.append(f"{document.path}: {type(failure).__name__}: {failure}")
        return
    report.delivered.append(delivered.case_id)
