"""Every court document we keep, sealed at rest and read back by its id.

    DATA_DIR/quarantine/q-<hex>/   documents we could not read (`diversion.quarantine`),
                                   from the API and from drop folders; listed by the API
    DATA_DIR/processed/p-<hex>/    referrals the drop-folder intake took into a case

Both are `diversion.sealed_store` folders, sealed with the payload keys. A drop folder
keeps only a receipt naming the id (`adapters.courts.folder_transport`), so an operator
with the keys opens one with `diversion documents unseal ID`.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from diversion.codec import KeyRing
from diversion.quarantine import QuarantinedDocument, QuarantineStore
from diversion.sealed_store import SealedStore
from diversion.settings import Settings

PROCESSED_ID = re.compile(r"^p-[0-9a-f]{24}$")
PROCESSED_DIR = "processed"


class ProcessedReferral(BaseModel):
    """A drop-folder referral that started (or found) a case; no content of the document."""

    model_config = ConfigDict(extra="forbid")

    id: str
    jurisdiction: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    received_at: datetime
    processed_at: datetime
    case_id: str | None = Field(
        default=None,
        description="The case it started or found; unknown for a document processed "
        "before documents were sealed.",
    )


def processed_id(jurisdiction: str, document: bytes) -> str:
    digest = hashlib.sha256(jurisdiction.encode() + b"\0" + document).hexdigest()
    return f"p-{digest[:24]}"


class ProcessedStore:
    def __init__(self, root: Path, keys: KeyRing | None) -> None:
        self.sealed = SealedStore(root, keys, PROCESSED_ID, ProcessedReferral)

    def keep(
        self,
        document: bytes,
        *,
        jurisdiction: str,
        content_type: str,
        original_name: str,
        received_at: datetime,
        case_id: str | None,
    ) -> ProcessedReferral:
        """Keep `document`; the existing entry if the same bytes were already kept (a
        court sending one referral twice finds one case, and one kept document)."""
        found = processed_id(jurisdiction, document)
        existing = self.sealed.get(found)
        if existing is not None:
            return existing
        record = ProcessedReferral(
            id=found,
            jurisdiction=jurisdiction,
            original_name=original_name,
            content_type=content_type,
            size=len(document),
            sha256=hashlib.sha256(document).hexdigest(),
            received_at=received_at,
            processed_at=datetime.now(UTC),
            case_id=case_id,
        )
        self.sealed.keep(found, document, record)
        return record

    def get(self, document_id: str) -> ProcessedReferral | None:
        return self.sealed.get(document_id)

    def document(self, document_id: str) -> bytes:
        return self.sealed.document(document_id)


@dataclass(frozen=True)
class KeptDocuments:
    quarantine: QuarantineStore
    processed: ProcessedStore

    @classmethod
    def for_settings(cls, settings: Settings, keys: KeyRing | None) -> "KeptDocuments":
        """The stores under `settings.data_dir`; the quarantine is the one the API lists."""
        return cls(
            QuarantineStore(settings.quarantine_dir, keys),
            ProcessedStore(settings.data_dir / PROCESSED_DIR, keys),
        )

    @property
    def can_seal(self) -> bool:
        return self.quarantine.sealed.keys is not None and self.processed.sealed.keys is not None

    def seal_unsealed(self) -> list[str]:
        """Seal the entries the stores kept before documents were sealed; their ids."""
        return self.quarantine.sealed.seal_unsealed() + self.processed.sealed.seal_unsealed()

    def get(self, document_id: str) -> QuarantinedDocument | ProcessedReferral | None:
        return self.quarantine.get(document_id) or self.processed.get(document_id)

    def document(self, document_id: str) -> bytes:
        """The original bytes of a kept document; `FileNotFoundError` for an unknown id,
        `PayloadDecryptionError` when no configured key opens it."""
        if self.processed.sealed.is_id(document_id):
            return self.processed.document(document_id)
        return self.quarantine.document(document_id)
