import base64
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from diversion.codec import PayloadDecryptionError, parse_keys
from diversion.quarantine import QuarantineStatus, QuarantineStore, quarantine_id
from diversion.sealed_store import NoPayloadKeyError

# A victim's phone number, as a refused court document would carry it.
PHONE = b"+1 555 0100 417"
DOC = b"<CaseResponseMessage><Phone>" + PHONE + b"</Phone><broken></CaseResponseMessage>"
OLD_KEY = "q0:" + base64.b64encode(bytes(range(32))).decode()
NEW_KEY = "q1:" + base64.b64encode(bytes(range(32, 64))).decode()
RING = parse_keys(OLD_KEY)


def keep(store: QuarantineStore, document: bytes = DOC, jurisdiction: str = "demo") -> str:
    return store.keep(
        document,
        jurisdiction=jurisdiction,
        content_type="application/xml",
        reason="not well-formed XML: Opening and ending tag mismatch (line 1, column 40)",
        source="api",
    ).id


def test_a_refused_document_is_kept_byte_for_byte_with_its_reason(tmp_path: Path) -> None:
    store = QuarantineStore(tmp_path, RING)
    found = keep(store)
    record = store.get(found)
    assert record is not None
    assert store.document(found) == DOC
    assert record.reason.startswith("not well-formed XML")
    assert (record.jurisdiction, record.size, record.status) == ("demo", len(DOC), "held")
    assert len(record.sha256) == 64


def test_the_same_document_refused_twice_is_one_entry(tmp_path: Path) -> None:
    store = QuarantineStore(tmp_path, RING)
    assert keep(store) == keep(store) == quarantine_id("demo", DOC)
    assert keep(store, jurisdiction="north") != keep(store)
    assert len(store.list({"demo", "north"})) == 2


def test_listing_is_by_jurisdiction_and_status(tmp_path: Path) -> None:
    store = QuarantineStore(tmp_path, RING)
    mine, theirs = keep(store), keep(store, b"<x/>", jurisdiction="north")
    assert [r.id for r in store.list({"demo"})] == [mine]
    record = store.get(mine)
    assert record is not None
    store.resubmitted(record, "case-demo-cr-1")
    assert store.list({"demo"}, QuarantineStatus.HELD) == []
    [done] = store.list({"demo"}, QuarantineStatus.RESUBMITTED)
    assert done.case_id == "case-demo-cr-1"
    assert [r.id for r in store.list({"north"})] == [theirs]


def test_a_refused_correction_is_recorded_and_the_original_kept(tmp_path: Path) -> None:
    store = QuarantineStore(tmp_path, RING)
    record = store.get(keep(store))
    assert record is not None
    store.refused_again(record, b"<still broken", "not well-formed XML: again")
    reread = store.get(record.id)
    assert reread is not None and [a.reason for a in reread.attempts] == [
        "not well-formed XML: again"
    ]
    assert store.document(record.id) == DOC


def test_ids_that_are_not_ours_are_never_paths(tmp_path: Path) -> None:
    store = QuarantineStore(tmp_path / "q", RING)
    (tmp_path / "record.json").write_text("{}")
    assert store.get("../") is None
    with pytest.raises(FileNotFoundError):
        store.document("../q")
    assert store.get("q-" + "0" * 24) is None
    assert store.list({"demo"}) == []


def test_on_disk_the_document_is_sealed_and_reads_back_after_a_key_rotation(
    tmp_path: Path,
) -> None:
    found = keep(QuarantineStore(tmp_path, RING))
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert PHONE not in path.read_bytes(), path.name
    rotated = QuarantineStore(tmp_path, parse_keys(f"{NEW_KEY},{OLD_KEY}"))
    assert rotated.document(found) == DOC
    without_the_old_key = QuarantineStore(tmp_path, parse_keys(NEW_KEY))
    with pytest.raises(PayloadDecryptionError, match="key id 'q0'"):
        without_the_old_key.document(found)


def test_a_sealed_document_moved_to_another_entry_does_not_open(tmp_path: Path) -> None:
    store = QuarantineStore(tmp_path, RING)
    mine, other = keep(store), keep(store, b"<other/>")
    shutil.copy(tmp_path / mine / "document.sealed", tmp_path / other / "document.sealed")
    with pytest.raises(PayloadDecryptionError, match="altered or moved"):
        store.document(other)


def test_an_entry_kept_before_sealing_still_reads(tmp_path: Path) -> None:
    store = QuarantineStore(tmp_path, RING)
    found = keep(store)
    (tmp_path / found / "document.sealed").unlink()
    (tmp_path / found / "document").write_bytes(DOC)
    assert store.document(found) == DOC


def test_entries_kept_before_sealing_are_sealed_in_place(tmp_path: Path) -> None:
    store = QuarantineStore(tmp_path, RING)
    found = keep(store)
    (tmp_path / found / "document.sealed").unlink()
    (tmp_path / found / "document").write_bytes(DOC)
    assert store.sealed.seal_unsealed() == [found]
    assert sorted(p.name for p in (tmp_path / found).iterdir()) == [
        "document.sealed",
        "record.json",
    ]
    assert store.document(found) == DOC
    assert store.sealed.seal_unsealed() == []


def test_without_a_key_nothing_is_kept_and_nothing_opens(tmp_path: Path) -> None:
    found = keep(QuarantineStore(tmp_path, RING))
    keyless = QuarantineStore(tmp_path, None)
    assert keyless.get(found) is not None  # the record holds nothing of the document
    with pytest.raises(NoPayloadKeyError, match="DIVERSION_PAYLOAD_KEYS"):
        keyless.document(found)
    with pytest.raises(NoPayloadKeyError):
        keep(keyless, b"<other/>")
    assert [r.id for r in keyless.list({"demo"})] == [found]


def test_a_folder_document_keeps_when_the_court_sent_it(tmp_path: Path) -> None:
    store = QuarantineStore(tmp_path, RING)
    sent = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    record = store.keep(
        DOC,
        jurisdiction="demo",
        content_type="application/xml",
        reason="the case has no charge",
        source="folder",
        original_name="referral.xml",
        received_at=sent,
    )
    assert (record.received_at, record.source, record.original_name) == (
        sent,
        "folder",
        "referral.xml",
    )
