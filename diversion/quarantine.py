"""Documents a court sent that we could not read, kept until someone corrects them.

A refused document is never dropped (DESIGN §2 rule 7): it is kept byte for byte with
the reason, the jurisdiction and its hash, listed through the API, and resubmitted there
after correction. Each document has a folder under the store's root:

    <root>/<id>/document.sealed  the bytes as received, encrypted with the payload keys
    <root>/<id>/record.json      a `QuarantinedDocument` (no content of the document)

A court document holds the victim's contact details, so on disk it is sealed with the
keys that encrypt case histories (`diversion.codec.seal`, bound to the entry's id so a
sealed file moved to another entry does not open). An entry kept before documents were
sealed (a plain `document` file) is still read.

The id is derived from the jurisdiction and the bytes, so the same document refused
twice is one entry, and a court retrying a bad request does not fill the disk.
Writes are atomic (temporary file, then rename), so a reader never sees half a record.
"""

import hashlib
import os
import re
import tempfile
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from diversion.codec import KeyRing, seal, unseal

QUARANTINE_ID = re.compile(r"^q-[0-9a-f]{24}$")
SEALED = "document.sealed"


class QuarantineStatus(StrEnum):
    HELD = "held"
    RESUBMITTED = "resubmitted"


class Attempt(BaseModel):
    """A resubmission that was refused again."""

    at: datetime
    sha256: str
    reason: str


class QuarantinedDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    jurisdiction: str
    source: str = Field(description="How it arrived: 'api' or 'folder'.")
    original_name: str | None = None
    content_type: str
    size: int
    sha256: str
    reason: str
    received_at: datetime
    status: QuarantineStatus = QuarantineStatus.HELD
    case_id: str | None = Field(default=None, description="The case its correction started.")
    attempts: list[Attempt] = Field(default_factory=list)


def quarantine_id(jurisdiction: str, document: bytes) -> str:
    digest = hashlib.sha256(jurisdiction.encode() + b"\0" + document).hexdigest()
    return f"q-{digest[:24]}"


class QuarantineStore:
    def __init__(self, root: Path, keys: KeyRing) -> None:
        self.root = root.absolute()
        self.keys = keys

    def keep(
        self,
        document: bytes,
        *,
        jurisdiction: str,
        content_type: str,
        reason: str,
        source: str,
        original_name: str | None = None,
    ) -> QuarantinedDocument:
        """Keep `document`; the existing entry if the same bytes were already kept."""
        found = quarantine_id(jurisdiction, document)
        existing = self.get(found)
        if existing is not None:
            return existing
        record = QuarantinedDocument(
            id=found,
            jurisdiction=jurisdiction,
            source=source,
            original_name=original_name,
            content_type=content_type,
            size=len(document),
            sha256=hashlib.sha256(document).hexdigest(),
            reason=reason,
            received_at=datetime.now(UTC),
        )
        folder = self.root / found
        folder.mkdir(parents=True, exist_ok=True)
        sealed = seal(self.keys, document, found.encode())
        _write_atomically(folder / SEALED, sealed)  # bytes first: a record never
        self._save(record)  # points at a document that is not there
        return record

    def get(self, document_id: str) -> QuarantinedDocument | None:
        if not QUARANTINE_ID.fullmatch(document_id):
            return None
        path = self.root / document_id / "record.json"
        try:
            return QuarantinedDocument.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            return None

    def document(self, document_id: str) -> bytes:
        if not QUARANTINE_ID.fullmatch(document_id):  # never a path of the caller's making
            raise FileNotFoundError(f"no quarantined document {document_id!r}")
        folder = self.root / document_id
        try:
            sealed = (folder / SEALED).read_bytes()
        except FileNotFoundError:
            return (folder / "document").read_bytes()  # kept before documents were sealed
        return unseal(self.keys, sealed, document_id.encode())

    def list(
        self, jurisdictions: set[str], status: QuarantineStatus | None = None
    ) -> list[QuarantinedDocument]:
        """Newest first."""
        if not self.root.exists():
            return []
        found = []
        for folder in self.root.iterdir():
            record = self.get(folder.name)
            if record is None or record.jurisdiction not in jurisdictions:
                continue
            if status is None or record.status == status:
                found.append(record)
        return sorted(found, key=lambda r: (r.received_at, r.id), reverse=True)

    def refused_again(self, record: QuarantinedDocument, correction: bytes, reason: str) -> None:
        record.attempts.append(
            Attempt(
                at=datetime.now(UTC), sha256=hashlib.sha256(correction).hexdigest(), reason=reason
            )
        )
        self._save(record)

    def resubmitted(self, record: QuarantinedDocument, case_id: str) -> None:
        record.status = QuarantineStatus.RESUBMITTED
        record.case_id = case_id
        self._save(record)

    def _save(self, record: QuarantinedDocument) -> None:
        _write_atomically(
            self.root / record.id / "record.json", record.model_dump_json(indent=2).encode()
        )


def _write_atomically(target: Path, content: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".", delete=False) as tmp:
        tmp.write(content)
        tmp.flush()
        os.fsync(tmp.fileno())
    os.replace(tmp.name, target)
