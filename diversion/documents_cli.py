"""`diversion documents ...`: the court documents we keep sealed, for an operator.

    diversion documents unseal ID [--out FILE]   the original bytes of a kept document:
                                                 q-... (quarantined, from the API or a
                                                 drop folder) or p-... (a drop-folder
                                                 referral that became a case)
    diversion documents seal                     seal what versions before sealing kept
                                                 in plaintext (the intake does it at start)

Holding the payload keys is the authorisation: the command reads the service's own
settings (DIVERSION_PAYLOAD_KEYS, or in dev the key kept in DATA_DIR), and it never makes
a key, since a new one would open nothing. An unsealed document holds the victim's
contact details: `--out` creates the file readable by its owner only and never replaces
one, and a short note of what was unsealed goes to stderr.
"""

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from diversion.codec import KeyRing
from diversion.kept_documents import KeptDocuments
from diversion.sealed_store import NoPayloadKeyError
from diversion.settings import DEV_KEY_FILE, Settings, load_settings


class DocumentsError(ValueError):
    """An unseal request that cannot be met; the message says why."""


def add_document_commands(commands: Any) -> None:
    documents = commands.add_parser("documents", help="court documents kept sealed (operators)")
    actions = documents.add_subparsers(dest="action", required=True, metavar="ACTION")
    unseal = actions.add_parser("unseal", help="write a kept document's original bytes")
    unseal.add_argument("id", metavar="ID", help="q-... (quarantined) or p-... (processed)")
    unseal.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write it to FILE (created mode 0600, never replaced) instead of stdout",
    )
    unseal.set_defaults(run=unseal_document)
    seal = actions.add_parser("seal", help="seal documents kept in plaintext before sealing")
    seal.set_defaults(run=seal_documents)


def unseal_document(args: argparse.Namespace) -> int:
    settings = load_settings()
    kept = KeptDocuments.for_settings(settings, configured_keys(settings))
    record = kept.get(args.id)
    if record is None:
        raise DocumentsError(f"no kept document {args.id!r} under {settings.data_dir}")
    if not kept.can_seal:
        raise NoPayloadKeyError()
    document = kept.document(record.id)  # PayloadDecryptionError names the missing key
    if args.out is None:
        sys.stdout.buffer.write(document)
        sys.stdout.buffer.flush()
    else:
        _write_new(args.out, document)
    name = record.original_name or "sent through the API"
    print(
        f"unsealed {record.id} ({record.jurisdiction}, {name}, {len(document):,} bytes) "
        f"to {args.out or 'stdout'}",
        file=sys.stderr,
    )
    return 0


def seal_documents(args: argparse.Namespace) -> int:
    from diversion.folder_intake import seal_documents_left  # it pulls in Temporal

    settings = load_settings()
    kept = KeptDocuments.for_settings(settings, configured_keys(settings))
    if not kept.can_seal:
        raise NoPayloadKeyError()
    done = asyncio.run(seal_documents_left(settings.jurisdictions(), kept))
    print(f"sealed {len(done.sealed)} document(s) kept in plaintext before")
    for item in done.failed:
        print(f"diversion: error: not sealed: {item}", file=sys.stderr)
    return 1 if done.failed else 0


def configured_keys(settings: Settings) -> KeyRing | None:
    """The payload keys, or None; unlike `Settings.payload_key_ring`, never a new dev key."""
    if settings.payload_keys is None and not (settings.data_dir / DEV_KEY_FILE).exists():
        return None
    return settings.payload_key_ring()


def _write_new(path: Path, content: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise DocumentsError(f"{path} already exists; not replacing it") from None
    except OSError as e:
        raise DocumentsError(f"cannot create {path}: {e.strerror or e}") from None
    with os.fdopen(fd, "wb") as out:
        out.write(content)
