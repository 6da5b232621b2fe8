"""Documents kept on disk sealed with the payload keys, one folder per id.

    <root>/<id>/document.sealed  the bytes as received, encrypted with the payload keys
    <root>/<id>/record.json      what is known about it, never content of the document

A court document holds the victim's contact details (DESIGN §2 rule 3), so every
document we keep goes through here: the API's quarantine, and the referrals the
drop-folder intake took (processed or quarantined). Each is sealed with the keys that
encrypt case histories (`diversion.codec.seal`), bound to its id so a sealed file moved
to another entry does not open; keys rotate as for histories (the first key seals, every
listed key opens). An entry kept before documents were sealed (a plain `document` file)
is still read.

Writes are atomic (a temporary file beside the target, then rename) and the sealed bytes
are written before the record, so a reader never sees half a record nor a record whose
document is not there. Nothing plaintext of a document is ever written, not even as a
temporary file.
"""

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from diversion.codec import KeyRing, PayloadKeyError, seal, unseal

SEALED = "document.sealed"
RECORD = "record.json"
UNSEALED_BEFORE = "document"  # how entries were kept before documents were sealed

R = TypeVar("R", bound=BaseModel)


class NoPayloadKeyError(PayloadKeyError):
    """No payload key is configured, so a document can be neither sealed nor opened."""

    def __init__(self) -> None:
        super().__init__(
            "no payload key is configured to seal or open kept documents; set "
            "DIVERSION_PAYLOAD_KEYS (in dev, the key kept in DATA_DIR/dev-payload-key)"
        )


class SealedStore(Generic[R]):
    """Documents sealed under ids that match `ids`, each with a record of type `record_type`.

    Without keys (`keys=None`) records can still be read, but no document can be kept or
    opened: `NoPayloadKeyError`, never a plaintext fallback.
    """

    def __init__(
        self, root: Path, keys: KeyRing | None, ids: re.Pattern[str], record_type: type[R]
    ) -> None:
        self.root = root.absolute()
        self.keys = keys
        self._ids = ids
        self._record_type = record_type

    def is_id(self, document_id: str) -> bool:
        return self._ids.fullmatch(document_id) is not None

    def keep(self, document_id: str, document: bytes, record: R) -> None:
        """Seal `document` under `document_id`, then write its record."""
        if not self.is_id(document_id):
            raise ValueError(f"{document_id!r} is not an id of this store")
        if self.keys is None:
            raise NoPayloadKeyError()
        sealed = seal(self.keys, document, document_id.encode())
        folder = self.root / document_id
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / SEALED, sealed)  # bytes first: a record never
        self.save(document_id, record)  # points at a document that is not there

    def get(self, document_id: str) -> R | None:
        if not self.is_id(document_id):  # never a path of the caller's making
            return None
        try:
            return self._record_type.model_validate_json(
                (self.root / document_id / RECORD).read_bytes()
            )
        except FileNotFoundError:
            return None

    def document(self, document_id: str) -> bytes:
        """The original bytes; `FileNotFoundError` for an id this store does not hold."""
        if not self.is_id(document_id):
            raise FileNotFoundError(f"no kept document {document_id!r}")
        folder = self.root / document_id
        try:
            sealed = (folder / SEALED).read_bytes()
        except FileNotFoundError:
            return (folder / UNSEALED_BEFORE).read_bytes()
        if self.keys is None:
            raise NoPayloadKeyError()
        return unseal(self.keys, sealed, document_id.encode())

    def seal_unsealed(self) -> list[str]:
        """Seal the entries kept before documents were sealed; their ids."""
        sealed = []
        for document_id in self.ids():
            plain = self.root / document_id / UNSEALED_BEFORE
            if not plain.is_file() or (self.root / document_id / SEALED).exists():
                continue
            if self.keys is None:
                raise NoPayloadKeyError()
            write_atomically(
                self.root / document_id / SEALED,
                seal(self.keys, plain.read_bytes(), document_id.encode()),
            )
            plain.unlink()  # only once its sealed copy is on disk
            sealed.append(document_id)
        return sealed

    def ids(self) -> Iterator[str]:
        if not self.root.exists():
            return
        for folder in self.root.iterdir():
            if self.is_id(folder.name):
                yield folder.name

    def save(self, document_id: str, record: R) -> None:
        write_atomically(
            self.root / document_id / RECORD, record.model_dump_json(indent=2).encode()
        )


def write_atomically(target: Path, content: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".", delete=False) as tmp:
        tmp.write(content)
        tmp.flush()
        os.fsync(tmp.fileno())
    os.replace(tmp.name, target)
