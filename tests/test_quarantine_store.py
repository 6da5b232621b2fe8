from pathlib import Path

from diversion.quarantine import QuarantineStatus, QuarantineStore, quarantine_id

DOC = b"<CaseResponseMessage><broken></CaseResponseMessage>"


def keep(store: QuarantineStore, document: bytes = DOC, jurisdiction: str = "demo") -> str:
    return store.keep(
        document,
        jurisdiction=jurisdiction,
        content_type="application/xml",
        reason="not well-formed XML: Opening and ending tag mismatch (line 1, column 40)",
        source="api",
    ).id


def test_a_refused_document_is_kept_byte_for_byte_with_its_reason(tmp_path: Path) -> None:
    store = QuarantineStore(tmp_path)
    found = keep(store)
    record = store.get(found)
    assert record is not None
    assert store.document(found) == DOC
    assert record.reason.startswith("not well-formed XML")
    assert (record.jurisdiction, record.size, record.status) == ("demo", len(DOC), "held")
    assert len(record.sha256) == 64


def test_the_same_document_refused_twice_is_one_entry(tmp_path: Path) -> None:
    store = QuarantineStore(tmp_path)
    assert keep(store) == keep(store) == quarantine_id("demo", DOC)
    assert keep(store, jurisdiction="north") != keep(store)
    assert len(store.list({"demo", "north"})) == 2


def test_listing_is_by_jurisdiction_and_status(tmp_path: Path) -> None:
    store = QuarantineStore(tmp_path)
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
    store = QuarantineStore(tmp_path)
    record = store.get(keep(store))
    assert record is not None
    store.refused_again(record, b"<still broken", "not well-formed XML: again")
    reread = store.get(record.id)
    assert reread is not None and [a.reason for a in reread.attempts] == [
        "not well-formed XML: again"
    ]
    assert store.document(record.id) == DOC


def test_ids_that_are_not_ours_are_never_paths(tmp_path: Path) -> None:
    store = QuarantineStore(tmp_path / "q")
    (tmp_path / "record.json").write_text("{}")
    assert store.get("../") is None
    assert store.get("q-" + "0" * 24) is None
    assert store.list({"demo"}) == []
