"""Documents a court sent that we could not read, kept until someone corrects them.

A refused document is never dropped (DESIGN §2 rule 7): it is kept byte for byte with
the reason, the jurisdiction and its hash, listed through the API, and resubmitted there
after correction, whether it came through the API or a court's drop folder. Each document
has a folder under the store's root (`diversion.sealed_store`):

    <root>/<id>/document.sealed  the bytes as received, encrypted with the payload keys
    <root>/<id>/record.json      a `QuarantinedDocument` (no content of the document)

The id is derived from the jurisdiction and the bytes, so the same document refused
twice is one entry, and a court retrying a bad request does not fill the disk.
"""

import hashlib
import re
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from diversion.codec import KeyRing
from diversion.sealed_store import SealedStore

QUARANTINE_ID = re.compile(r"^q-[0-9a-f]{24}$")


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
    def __init__(self, root: Path, keys: KeyRing | None) -> None:
        self.sealed = SealedStore(root, keys, QUARANTINE_ID, QuarantinedDocument)
        self.root = self.sealed.root

    def keep(
        self,
        document: bytes,
        *,
        jurisdiction: str,
        content_type: str,
        reason: str,
        source: str,
        original_name: str | None = None,
        received_at: datetime | None = None,
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
            received_at=received_at or datetime.now(UTC),
        )
        self.sealed.keep(found, document, record)
        return record

    def get(self, document_id: str) -> QuarantinedDocument | None:
        return self.sealed.get(document_id)

    def document(self, document_id: str) -> bytes:
        return self.sealed.document(document_id)

    def list(
        self, jurisdictions: set[str], status: QuarantineStatus | None = None
    ) -> list[QuarantinedDocument]:
        """Newest first."""
        found = []
        for document_id in self.sealed.ids():
            record = self.get(document_id)
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
        self.sealed.save(record.id, record)

    def resubmitted(self, record: QuarantinedDocument, case_id: str) -> None:
        record.status = QuarantineStatus.RESUBMITTED
        record.case_id = case_id
        self.sealed.save(record.id, record)
