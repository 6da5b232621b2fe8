"""Drop folders: documents travel as files under one root per jurisdiction.

    <root>/inbox/        the court drops referrals here
    <root>/outbox/       we write filings here, one file per idempotency key
    <root>/processed/    <name>.receipt.json for each inbound document that became (or
                         found) a case
    <root>/quarantine/   <name>.reason.json for each inbound document we could not read
    <root>/callbacks/    the court's later answers to our filings (docketing callbacks),
                         when `callbacks = true`: each is delivered to its case, then kept
                         sealed like a referral (diversion/callback_intake.py)

An inbound document holds the victim's contact details, so it does not stay here in
plaintext: the caller keeps it sealed (`diversion.kept_documents`) and only then takes it
out of the inbox, leaving a receipt that names the id it is kept under. Versions before
that moved the documents themselves into processed/ and quarantine/; such files are
still listed (`documents_left_in`) so they can be sealed too.

Nothing is overwritten: a name already taken gets a numbered suffix. Names starting with
"." are temporary files and are ignored, so a sender must write a file under a dot-name
(or elsewhere) and rename it into the inbox when complete; we do the same in the outbox.
"""

import asyncio
import errno
import hashlib
import json
import os
import re
import tempfile
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from adapters.courts.base import CaseQuery, CourtTransport, FilingDocument, SentFiling
from adapters.errors import AdapterError
from adapters.registry import PluginSettings

CONTENT_TYPES = {".json": "application/json", ".xml": "application/xml"}


class FolderSettings(PluginSettings):
    root: Path = Field(description="Folder root; a relative path is from the working directory.")
    callbacks: bool = Field(
        default=False,
        description="The court answers each filing later, in callbacks/: a filing written is "
        "received, not yet accepted. Without it, a filing written counts as filed.",
    )


class InboundDocument(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    path: Path
    content: bytes
    content_type: str
    received_at: datetime

    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


PROCESSED_RECEIPT = ".receipt.json"
QUARANTINE_RECEIPT = ".reason.json"


class ProcessedReceipt(BaseModel):
    """What processed/<name>.receipt.json says: which case, and the id the document is
    kept under. Nothing of the document's content."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    document_id: str
    original_name: str
    jurisdiction: str
    case_id: str | None
    sha256: str
    received_at: datetime
    processed_at: datetime


class QuarantineReceipt(BaseModel):
    """What quarantine/<name>.reason.json says: why, and the quarantine id the document is
    kept under (GET /v1/quarantine/{id}). The reason names the problem, never a value."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    quarantine_id: str
    original_name: str
    reason: str
    jurisdiction: str
    sha256: str
    received_at: datetime
    quarantined_at: datetime


class FolderTransport(CourtTransport):
    name: ClassVar[str] = "folder"
    Settings: ClassVar[type[BaseModel]] = FolderSettings

    def __init__(self, settings: FolderSettings) -> None:
        super().__init__(settings)
        # Fixed at construction so a later chdir cannot move a jurisdiction's folders.
        self.root = settings.root.absolute()
        self.inbox = self.root / "inbox"
        self.outbox = self.root / "outbox"
        self.processed = self.root / "processed"
        self.quarantine_dir = self.root / "quarantine"
        self.callbacks = self.root / "callbacks"
        self.answers_later = settings.callbacks

    async def send_filing(self, document: FilingDocument) -> SentFiling:
        reference = await asyncio.to_thread(self._write_filing, document)
        return SentFiling(reference=reference, answers_later=self.answers_later)

    async def pull_case(self, query: CaseQuery) -> bytes | None:
        return None  # a drop folder only receives what the court chooses to send

    def _write_filing(self, document: FilingDocument) -> str:
        suffix = Path(document.filename).suffix
        if not re.fullmatch(r"\.[A-Za-z0-9]{1,10}", suffix):
            suffix = ".bin"
        target = self.outbox / f"{_safe_key(document.idempotency_key)}{suffix}"
        if not _publish(target, document.content):
            existing = hashlib.sha256(target.read_bytes()).hexdigest()
            if existing != document.content_hash():
                raise AdapterError(
                    f"outbox/{target.name} already holds a different document for "
                    f"idempotency key {document.idempotency_key!r} (sha256 {existing}, "
                    f"new {document.content_hash()}); refusing to file a second version"
                )
        return f"folder:outbox/{target.name}"

    def list_inbox(self) -> list[InboundDocument]:
        self.inbox.mkdir(parents=True, exist_ok=True)
        return [read_document(path) for path in _files(self.inbox)]

    def list_callbacks(self) -> list[InboundDocument]:
        """The court's answers waiting in callbacks/ (none unless `callbacks` is set)."""
        if not self.answers_later:
            return []
        self.callbacks.mkdir(parents=True, exist_ok=True)
        return [read_document(path) for path in _files(self.callbacks)]

    def left_in_processed(self) -> list[InboundDocument]:
        """Documents that versions before sealing moved into processed/ in plaintext."""
        return _left_in(self.processed)

    def left_in_quarantine(self) -> list[tuple[InboundDocument, str | None]]:
        """Documents that versions before sealing moved into quarantine/ in plaintext,
        each named as the court named it, with the reason recorded beside it (if any)."""
        found: list[tuple[InboundDocument, str | None]] = []
        for document in _left_in(self.quarantine_dir):
            sidecar = _legacy_sidecar(document.path)
            if sidecar is None:
                found.append((document, None))
                continue
            name = sidecar.get("original_name")
            renamed = (
                document.model_copy(update={"name": name}) if isinstance(name, str) else document
            )
            reason = sidecar.get("reason")
            found.append((renamed, reason if isinstance(reason, str) else None))
        return found

    def mark_processed(
        self, document: InboundDocument, *, document_id: str, case_id: str | None, jurisdiction: str
    ) -> Path:
        """Take `document` out of the inbox (or wherever it is), leaving a receipt in
        processed/; call only once the document is kept under `document_id`."""
        receipt = ProcessedReceipt(
            document_id=document_id,
            original_name=document.name,
            jurisdiction=jurisdiction,
            case_id=case_id,
            sha256=document.sha256(),
            received_at=document.received_at,
            processed_at=datetime.now(UTC),
        )
        return _take(document, self.processed, PROCESSED_RECEIPT, receipt)

    def quarantine(
        self, document: InboundDocument, reason: str, jurisdiction: str, *, quarantine_id: str
    ) -> Path:
        """Take `document` out of the inbox (or wherever it is), leaving its reason in
        quarantine/; call only once the document is kept under `quarantine_id`."""
        if document.path.parent == self.quarantine_dir:
            # Left here before sealing: its sidecar gives way to the receipt (the reason
            # is kept with the sealed document, and written again below).
            _legacy_sidecar_path(document.path).unlink(missing_ok=True)
        receipt = QuarantineReceipt(
            quarantine_id=quarantine_id,
            original_name=document.name,
            reason=reason,
            jurisdiction=jurisdiction,
            sha256=document.sha256(),
            received_at=document.received_at,
            quarantined_at=datetime.now(UTC),
        )
        return _take(document, self.quarantine_dir, QUARANTINE_RECEIPT, receipt)


def read_document(path: Path) -> InboundDocument:
    return InboundDocument(
        name=path.name,
        path=path,
        content=path.read_bytes(),
        content_type=CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream"),
        received_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
    )


def _left_in(directory: Path) -> list[InboundDocument]:
    if not directory.is_dir():
        return []
    return [read_document(p) for p in _files(directory) if not _is_receipt(p)]


def _legacy_sidecar_path(path: Path) -> Path:
    return path.with_name(f"{path.name}{QUARANTINE_RECEIPT}")


def _legacy_sidecar(path: Path) -> dict[str, object] | None:
    try:
        fields = json.loads(_legacy_sidecar_path(path).read_bytes())
    except (FileNotFoundError, ValueError):
        return None
    return fields if isinstance(fields, dict) and fields.get("file") == path.name else None


def _files(directory: Path) -> list[Path]:
    return [p for p in sorted(directory.iterdir()) if not p.name.startswith(".") and p.is_file()]


def _is_receipt(path: Path) -> bool:
    # By content, not only by name: a court may well name a document "x.reason.json".
    if not path.name.endswith((PROCESSED_RECEIPT, QUARANTINE_RECEIPT)):
        return False
    try:
        fields = json.loads(path.read_bytes())
    except ValueError:
        return False
    if not isinstance(fields, dict) or "original_name" not in fields:
        return False
    # Ours, or a sidecar written before sealing (it named the moved file).
    return any(key in fields for key in ("document_id", "quarantine_id", "file"))


def _take(document: InboundDocument, directory: Path, suffix: str, receipt: BaseModel) -> Path:
    """Write `receipt` as <name><suffix> in `directory` (name.1.ext<suffix>, ... if taken),
    then remove the document; the receipt's path."""
    directory.mkdir(parents=True, exist_ok=True)
    content = receipt.model_dump_json(indent=2).encode()
    stem, ext = Path(document.name).stem, Path(document.name).suffix
    for n in count():
        name = document.name if n == 0 else f"{stem}.{n}{ext}"
        left_before = directory / name
        # A plaintext document left there before sealing has its own receipt to come;
        # this one must not look like it describes that file.
        if left_before.exists() and left_before != document.path:
            continue
        target = directory / f"{name}{suffix}"
        if _publish(target, content):
            _remove_unless_replaced(document)
            return target
    raise AssertionError("count() does not end")


def _remove_unless_replaced(document: InboundDocument) -> None:
    # A court that reuses a name may have renamed a new document over this one since we
    # read it: that one is not kept yet, so it stays for the next pass.
    try:
        if hashlib.sha256(document.path.read_bytes()).hexdigest() == document.sha256():
            document.path.unlink()
    except FileNotFoundError:
        pass


def _safe_key(key: str) -> str:
    # Readable part plus a hash of the raw key: two keys that differ only in characters a
    # filename cannot hold ("a:1" and "a/1") must not share a file.
    readable = re.sub(r"[^A-Za-z0-9_-]+", "_", key)[:100]
    return f"{readable}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def _publish(target: Path, content: bytes) -> bool:
    """Write `target` atomically unless it exists; False if it already did."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
    ) as tmp:
        tmp.write(content)
        tmp.flush()
        os.fsync(tmp.fileno())
    placed = _place(Path(tmp.name), target)
    Path(tmp.name).unlink(missing_ok=True)
    return placed


def _place(source: Path, target: Path) -> bool:
    """Give `source` the name `target` without ever replacing an existing file."""
    try:
        # A hard link fails if the target exists, atomically; a rename would replace it.
        os.link(source, target)
    except FileExistsError:
        return False
    except OSError as e:
        if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        # Some network shares have no hard links: check, then rename. Two writers racing
        # for one name in the same instant could collide here; the outbox has one writer
        # per idempotency key, so this is accepted.
        if target.exists():
            return False
        source.rename(target)
    return True
