"""Drop folders: documents travel as files under one root per jurisdiction.

    <root>/inbox/        the court drops referrals here
    <root>/outbox/       we write filings here, one file per idempotency key
    <root>/processed/    inbound documents that became (or found) a case
    <root>/quarantine/   inbound documents we could not read, each with <name>.reason.json

Nothing is deleted or overwritten: a name already taken gets a numbered suffix. Names
starting with "." are temporary files and are ignored, so a sender must write a file
under a dot-name (or elsewhere) and rename it into the inbox when complete; we do the
same in the outbox.
"""

import asyncio
import errno
import hashlib
import os
import re
import tempfile
from collections.abc import Callable
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


class InboundDocument(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    path: Path
    content: bytes
    content_type: str
    received_at: datetime

    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


class QuarantineRecord(BaseModel):
    """What the sidecar says; `path` is where the quarantined file now is."""

    model_config = ConfigDict(frozen=True)

    path: Path = Field(exclude=True)
    file: str
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

    async def send_filing(self, document: FilingDocument) -> SentFiling:
        return SentFiling(reference=await asyncio.to_thread(self._write_filing, document))

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
        documents = []
        for path in sorted(self.inbox.iterdir()):
            if path.name.startswith(".") or not path.is_file():
                continue
            documents.append(
                InboundDocument(
                    name=path.name,
                    path=path,
                    content=path.read_bytes(),
                    content_type=CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream"),
                    received_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
                )
            )
        return documents

    def mark_processed(self, document: InboundDocument) -> Path:
        return _move_aside(document.path, self.processed)

    def quarantine(
        self, document: InboundDocument, reason: str, jurisdiction: str
    ) -> QuarantineRecord:
        # An orphan sidecar (from a crash before its file arrived) must not lend its
        # reason to a different file, so both names have to be free.
        path = _move_aside(
            document.path, self.quarantine_dir, also_taken=lambda p: _sidecar(p).exists()
        )
        record = QuarantineRecord(
            path=path,
            file=path.name,
            original_name=document.name,
            reason=reason,
            jurisdiction=jurisdiction,
            sha256=document.sha256(),
            received_at=document.received_at,
            quarantined_at=datetime.now(UTC),
        )
        if not _publish(_sidecar(path), record.model_dump_json(indent=2).encode()):
            raise AdapterError(f"quarantine/{_sidecar(path).name} appeared while writing it")
        return record


def _sidecar(path: Path) -> Path:
    return path.with_name(f"{path.name}.reason.json")


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


def _move_aside(
    source: Path, directory: Path, also_taken: Callable[[Path], bool] = lambda _: False
) -> Path:
    """Move `source` into `directory` under its own name, or name.1.ext, name.2.ext ..."""
    directory.mkdir(parents=True, exist_ok=True)
    stem, suffix = source.stem, source.suffix
    for n in count():
        candidate = directory / (source.name if n == 0 else f"{stem}.{n}{suffix}")
        if not also_taken(candidate) and _place(source, candidate):
            source.unlink(missing_ok=True)
            return candidate
    raise AssertionError("count() does not end")


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
