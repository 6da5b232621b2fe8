"""Drop folders: idempotent filings out, nothing lost or overwritten on the way in."""

import base64
import errno
import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.courts.base import CaseQuery, FilingDocument
from adapters.courts.court_adapter import court_adapter_for
from adapters.courts.folder_transport import FolderSettings, FolderTransport
from adapters.errors import AdapterError
from domain.enums import ReportKind, Stage
from domain.policy import DEMO_FILE, AdapterChoice, load_jurisdictions
from domain.reports import CourtReport
from rendering.pdf import render_pdf_afresh

FIXTURE = Path(__file__).parent / "fixtures" / "referrals" / "demo-referral.json"


def folder(root: Path) -> FolderTransport:
    return FolderTransport(FolderSettings(root=root))


def filing(key: str = "case-demo-CR-2026-00417:report:1", content: bytes = b"{}") -> FilingDocument:
    return FilingDocument(
        filename="report.json",
        content_type="application/json",
        content=content,
        idempotency_key=key,
        document_hash=hashlib.sha256(content).hexdigest(),
    )


def drop(root: Path, name: str, content: bytes) -> Path:
    path = root / "inbox" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


async def test_same_key_twice_is_one_filing_with_one_reference(tmp_path: Path) -> None:
    transport = folder(tmp_path)
    first = (await transport.send_filing(filing())).reference
    second = (await transport.send_filing(filing())).reference
    assert first == second
    written = list((tmp_path / "outbox").iterdir())
    assert len(written) == 1
    assert first == f"folder:outbox/{written[0].name}"
    assert written[0].read_bytes() == b"{}"
    assert written[0].suffix == ".json"


async def test_other_content_under_the_same_key_is_refused(tmp_path: Path) -> None:
    transport = folder(tmp_path)
    await transport.send_filing(filing(content=b'{"v": 1}'))
    with pytest.raises(AdapterError, match="already holds a different document"):
        await transport.send_filing(filing(content=b'{"v": 2}'))
    [kept] = (tmp_path / "outbox").iterdir()
    assert kept.read_bytes() == b'{"v": 1}'


async def test_keys_that_differ_only_in_unsafe_characters_do_not_collide(tmp_path: Path) -> None:
    transport = folder(tmp_path)
    a = (await transport.send_filing(filing(key="../a:1", content=b"a"))).reference
    b = (await transport.send_filing(filing(key="../a/1", content=b"b"))).reference
    assert a != b
    names = sorted(p.name for p in (tmp_path / "outbox").iterdir())
    assert len(names) == 2
    assert all("/" not in n and not n.startswith(".") for n in names)


async def test_report_filed_through_the_demo_scheme(tmp_path: Path) -> None:
    demo = load_jurisdictions(DEMO_FILE)["demo"]
    choice = AdapterChoice(settings={"transport": {"root": str(tmp_path)}})
    adapter = court_adapter_for(demo.model_copy(update={"court": choice}))
    report = CourtReport(
        kind=ReportKind.SCREENING_OUTCOME,
        case_id="case-demo-CR-2026-00417",
        sequence=1,
        jurisdiction="demo",
        court_id="demo-county-district-court",
        court_case_number="CR-2026-00417",
        participant_name="Darnell Okafor",
        generated_at=datetime(2026, 2, 20, 16, 0, tzinfo=UTC),
        stage=Stage.ENGAGEMENT,
        summary="Screening complete; the case proceeds to engagement.",
    )
    receipt = await adapter.file_report(report)
    again = await adapter.file_report(report)
    pdf = render_pdf_afresh(report)
    assert receipt.document_hash == again.document_hash == hashlib.sha256(pdf).hexdigest()
    assert receipt.idempotency_key == report.idempotency_key
    assert again.court_reference == receipt.court_reference
    [written] = (tmp_path / "outbox").iterdir()
    envelope = json.loads(written.read_bytes())
    assert envelope["document_hash"] == receipt.document_hash
    assert base64.b64decode(envelope["pdf"]["base64"]) == pdf
    with pytest.raises(ValueError, match="not 'demo'"):
        await adapter.file_report(report.model_copy(update={"jurisdiction": "north"}))


async def test_a_drop_folder_cannot_pull(tmp_path: Path) -> None:
    query = CaseQuery(court_id="demo-county-district-court", case_number="CR-2026-00417")
    assert await folder(tmp_path).pull_case(query) is None


def test_relative_root_is_taken_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    transport = folder(Path("var/court/demo"))
    assert transport.root == tmp_path / "var" / "court" / "demo"


def test_inbox_lists_documents_with_their_content_type(tmp_path: Path) -> None:
    drop(tmp_path, "b.xml", b"<x/>")
    drop(tmp_path, "a.JSON", b"{}")
    drop(tmp_path, "c.pdf", b"%PDF")
    drop(tmp_path, ".d.json.tmp", b"{")  # a sender still writing
    docs = folder(tmp_path).list_inbox()
    assert [(d.name, d.content_type) for d in docs] == [
        ("a.JSON", "application/json"),
        ("b.xml", "application/xml"),
        ("c.pdf", "application/octet-stream"),
    ]
    assert docs[0].content == b"{}"


def test_folders_are_created_on_demand(tmp_path: Path) -> None:
    assert folder(tmp_path / "new").list_inbox() == []
    assert (tmp_path / "new" / "inbox").is_dir()


def test_processed_leaves_a_receipt_and_never_replaces_one(tmp_path: Path) -> None:
    transport = folder(tmp_path)
    drop(tmp_path, "referral.json", b"first")
    [first] = transport.list_inbox()
    receipt = transport.mark_processed(
        first, document_id="p-1", case_id="case-demo-cr-1", jurisdiction="demo"
    )
    assert receipt.name == "referral.json.receipt.json"
    drop(tmp_path, "referral.json", b"second")
    [second] = transport.list_inbox()
    again = transport.mark_processed(second, document_id="p-2", case_id=None, jurisdiction="demo")
    assert again.name == "referral.1.json.receipt.json"
    assert json.loads(receipt.read_text())["document_id"] == "p-1"
    said = json.loads(again.read_text())
    assert (said["document_id"], said["original_name"], said["case_id"]) == (
        "p-2",
        "referral.json",
        None,
    )
    assert said["sha256"] == hashlib.sha256(b"second").hexdigest()
    assert list((tmp_path / "inbox").iterdir()) == []
    assert sorted(p.name for p in (tmp_path / "processed").iterdir()) == [
        "referral.1.json.receipt.json",
        "referral.json.receipt.json",
    ]  # receipts only: the caller keeps the document itself, sealed


def test_quarantine_leaves_the_reason_and_the_id_not_the_file(tmp_path: Path) -> None:
    transport = folder(tmp_path)
    content = FIXTURE.read_bytes()[:40]
    drop(tmp_path, "truncated.json", content)
    [doc] = transport.list_inbox()
    receipt = transport.quarantine(
        doc, "referral is not valid JSON: at line 3", "demo", quarantine_id="q-1"
    )
    assert receipt == tmp_path / "quarantine" / "truncated.json.reason.json"
    assert not doc.path.exists()
    assert [p.name for p in (tmp_path / "quarantine").iterdir()] == [receipt.name]
    sidecar = json.loads(receipt.read_text())
    assert sidecar["quarantine_id"] == "q-1"
    assert sidecar["reason"] == "referral is not valid JSON: at line 3"
    assert sidecar["jurisdiction"] == "demo"
    assert sidecar["sha256"] == hashlib.sha256(content).hexdigest()
    assert datetime.fromisoformat(sidecar["received_at"]) == doc.received_at
    assert sidecar["original_name"] == "truncated.json"


def test_quarantine_never_replaces_a_reason(tmp_path: Path) -> None:
    transport = folder(tmp_path)
    (tmp_path / "quarantine").mkdir()
    # An orphaned reason (from a crash) must not be replaced by a new file's.
    (tmp_path / "quarantine" / "bad.json.reason.json").write_text("{}")
    drop(tmp_path, "bad.json", b"one")
    [doc] = transport.list_inbox()
    first = transport.quarantine(doc, "first reason", "demo", quarantine_id="q-1")
    assert first.name == "bad.1.json.reason.json"
    assert (tmp_path / "quarantine" / "bad.json.reason.json").read_text() == "{}"
    drop(tmp_path, "bad.json", b"two")
    [doc] = transport.list_inbox()
    second = transport.quarantine(doc, "second reason", "demo", quarantine_id="q-2")
    assert second.name == "bad.2.json.reason.json"
    assert json.loads(first.read_text())["reason"] == "first reason"


def test_a_document_renamed_over_the_one_taken_stays_in_the_inbox(tmp_path: Path) -> None:
    transport = folder(tmp_path)
    drop(tmp_path, "referral.json", b"first")
    [first] = transport.list_inbox()
    drop(tmp_path, "referral.json", b"second")  # the court reuses the name meanwhile
    transport.mark_processed(first, document_id="p-1", case_id=None, jurisdiction="demo")
    [left] = transport.list_inbox()
    assert left.content == b"second"


def test_documents_moved_aside_before_sealing_are_found_with_their_reasons(
    tmp_path: Path,
) -> None:
    transport = folder(tmp_path)
    drop(tmp_path, "new.json", b"new")
    [new] = transport.list_inbox()
    transport.mark_processed(new, document_id="p-1", case_id=None, jurisdiction="demo")
    (tmp_path / "processed" / "old.json").write_bytes(b"old")
    (tmp_path / "processed" / "court.receipt.json").write_bytes(b'{"a": 1}')  # the court's
    assert [d.name for d in transport.left_in_processed()] == ["court.receipt.json", "old.json"]

    quarantine = tmp_path / "quarantine"
    quarantine.mkdir()
    (quarantine / "bad.1.json").write_bytes(b"{")
    (quarantine / "bad.1.json.reason.json").write_text(
        json.dumps({"file": "bad.1.json", "original_name": "bad.json", "reason": "not JSON"})
    )
    (quarantine / "lost.xml").write_bytes(b"<")  # a crash before its sidecar was written
    left = [(d.name, d.path.name, reason) for d, reason in transport.left_in_quarantine()]
    assert left == [("bad.json", "bad.1.json", "not JSON"), ("lost.xml", "lost.xml", None)]

    [(document, reason)] = transport.left_in_quarantine()[:1]
    receipt = transport.quarantine(document, reason or "", "demo", quarantine_id="q-1")
    assert not (quarantine / "bad.1.json").exists()
    assert json.loads(receipt.read_text())["quarantine_id"] == "q-1"
    assert [d.name for d, _ in transport.left_in_quarantine()] == ["lost.xml"]


async def test_without_hard_links_it_still_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise PermissionError(errno.EPERM, "hard links not supported on this share")

    monkeypatch.setattr(os, "link", no_links)
    transport = folder(tmp_path)
    assert (await transport.send_filing(filing())).reference == (
        await transport.send_filing(filing())
    ).reference
    with pytest.raises(AdapterError, match="already holds a different document"):
        await transport.send_filing(filing(content=b"other"))
    for n, content in enumerate((b"first", b"second")):
        drop(tmp_path, "referral.json", content)
        [doc] = transport.list_inbox()
        transport.mark_processed(doc, document_id=f"p-{n}", case_id=None, jurisdiction="demo")
    receipts = [tmp_path / "processed" / f"referral{n}.json.receipt.json" for n in ("", ".1")]
    assert [json.loads(r.read_text())["document_id"] for r in receipts] == ["p-0", "p-1"]
    assert [p.name for p in (tmp_path / "outbox").iterdir() if p.name.startswith(".")] == []
