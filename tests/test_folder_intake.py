"""Folder intake: an inbox document becomes a case, or a quarantined entry with a reason;
either way it is kept sealed and the drop folder keeps only a receipt."""

import asyncio
import base64
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from diversion import folder_intake
from diversion.codec import parse_keys
from diversion.kept_documents import KeptDocuments, ProcessedStore
from diversion.quarantine import QuarantineStore
from domain.case import case_workflow_id
from domain.policy import DEMO_FILE, AdapterChoice, Jurisdiction, load_jurisdictions
from domain.referral import Referral

FIXTURE = Path(__file__).parent / "fixtures" / "referrals" / "demo-referral.json"
CASE_ID = case_workflow_id("demo", "CR-2026-00417")
CLIENT: Any = object()  # the fake start_case never touches it
RING = parse_keys("k0:" + base64.b64encode(bytes(range(32))).decode())


class FakeHandle:
    def __init__(self, id: str) -> None:
        self.id = id


class FakeStarter:
    """Stands in for diversion.cases.start_case; no Temporal involved."""

    def __init__(self, *, running: bool = False, failure: Exception | None = None) -> None:
        self.running = running
        self.failure = failure
        self.calls: list[tuple[Referral, str, str]] = []
        self.secrets: list[bytes | None] = []

    async def __call__(
        self,
        client: object,
        referral: Referral,
        jurisdiction: Jurisdiction,
        task_queue: str,
        match_secret: bytes | None = None,
    ) -> tuple[FakeHandle, bool]:
        self.calls.append((referral, jurisdiction.id, task_queue))
        self.secrets.append(match_secret)
        if self.failure is not None:
            raise self.failure
        handle = FakeHandle(case_workflow_id(jurisdiction.id, referral.court.case_number))
        return handle, not self.running


def jurisdictions(root: Path) -> dict[str, Jurisdiction]:
    demo = load_jurisdictions(DEMO_FILE)["demo"]
    choice = AdapterChoice(settings={"transport": {"root": str(root)}})
    return {"demo": demo.model_copy(update={"court": choice})}


def drop(root: Path, name: str, content: bytes | None = None) -> Path:
    (root / "inbox").mkdir(parents=True, exist_ok=True)
    path = root / "inbox" / name
    if content is None:
        shutil.copy(FIXTURE, path)
    else:
        path.write_bytes(content)
    return path


def use(monkeypatch: pytest.MonkeyPatch, starter: FakeStarter) -> FakeStarter:
    monkeypatch.setattr(folder_intake, "start_case", starter)
    return starter


def stores(data: Path, keys: Any = RING) -> KeptDocuments:
    return KeptDocuments(
        QuarantineStore(data / "quarantine", keys), ProcessedStore(data / "processed", keys)
    )


def receipt(path: Path) -> dict[str, Any]:
    said: dict[str, Any] = json.loads(path.read_text())
    return said


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


async def test_good_referral_starts_a_case_and_is_kept_sealed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    starter = use(monkeypatch, FakeStarter())
    court, kept = tmp_path / "court", stores(tmp_path / "var")
    drop(court, "referral.json")
    report = await folder_intake.intake_once(
        CLIENT, jurisdictions(court), "cases-test", b"k" * 32, kept=kept
    )
    assert report.started == [CASE_ID]
    assert starter.secrets == [b"k" * 32]  # so the case gets its participant match tokens
    assert (report.existing, report.quarantined, report.deferred) == ([], [], [])
    [(referral, jurisdiction, task_queue)] = starter.calls
    assert (referral.court.case_number, jurisdiction, task_queue) == (
        "CR-2026-00417",
        "demo",
        "cases-test",
    )
    [kept_as] = report.processed
    assert kept.document(kept_as) == FIXTURE.read_bytes()
    record = kept.processed.get(kept_as)
    assert record is not None
    assert (record.case_id, record.original_name, record.jurisdiction) == (
        CASE_ID,
        "referral.json",
        "demo",
    )
    assert files(court) == ["processed/referral.json.receipt.json"]
    said = receipt(court / "processed" / "referral.json.receipt.json")
    assert (said["document_id"], said["case_id"]) == (kept_as, CASE_ID)


async def test_repeated_referral_finds_the_running_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, FakeStarter(running=True))
    drop(tmp_path / "court", "referral.json")
    report = await folder_intake.intake_once(
        CLIENT, jurisdictions(tmp_path / "court"), "cases-test", kept=stores(tmp_path / "var")
    )
    assert (report.started, report.existing) == ([], [CASE_ID])
    assert len(report.processed) == 1


async def test_bad_referral_is_quarantined_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    starter = use(monkeypatch, FakeStarter())
    court, kept = tmp_path / "court", stores(tmp_path / "var")
    data = json.loads(FIXTURE.read_bytes())
    data["charges"] = []
    documents = {
        "no-charges.json": json.dumps(data).encode(),
        "scan.pdf": b"%PDF-1.7",
        "truncated.json": FIXTURE.read_bytes()[:200],
    }
    for name, content in documents.items():
        drop(court, name, content)
    report = await folder_intake.intake_once(CLIENT, jurisdictions(court), "cases-test", kept=kept)
    assert starter.calls == []
    # In the quarantine the API lists and resubmits, marked as from the drop folder.
    listed = {str(r.original_name): r for r in kept.quarantine.list({"demo"})}
    assert sorted(listed) == sorted(documents)
    assert all(r.source == "folder" for r in listed.values())
    assert sorted(report.quarantined) == sorted(r.id for r in listed.values())
    assert "charges: List should have at least 1 item" in listed["no-charges.json"].reason
    assert "not 'application/octet-stream'" in listed["scan.pdf"].reason
    assert "not valid JSON" in listed["truncated.json"].reason
    for name, content in documents.items():
        assert kept.document(listed[name].id) == content
        said = receipt(court / "quarantine" / f"{name}.reason.json")
        assert (said["quarantine_id"], said["reason"]) == (listed[name].id, listed[name].reason)
    assert files(court) == sorted(f"quarantine/{name}.reason.json" for name in documents)


async def test_start_failure_leaves_the_file_for_the_next_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, FakeStarter(failure=RuntimeError("Temporal unreachable")))
    court, kept = tmp_path / "court", stores(tmp_path / "var")
    inbox_file = drop(court, "referral.json")
    report = await folder_intake.intake_once(CLIENT, jurisdictions(court), "cases-test", kept=kept)
    assert report.started == report.quarantined == report.processed == []
    [deferred] = report.deferred
    assert "referral.json: RuntimeError: Temporal unreachable" in deferred
    assert inbox_file.read_bytes() == FIXTURE.read_bytes()
    assert not (tmp_path / "var").exists()  # nothing kept of a document still in the inbox

    use(monkeypatch, FakeStarter())
    report = await folder_intake.intake_once(CLIENT, jurisdictions(court), "cases-test", kept=kept)
    assert report.started == [CASE_ID]
    assert not inbox_file.exists()


async def test_without_a_payload_key_nothing_leaves_the_inbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    starter = use(monkeypatch, FakeStarter())
    court = tmp_path / "court"
    good, bad = drop(court, "referral.json"), drop(court, "scan.pdf", b"%PDF-1.7")
    report = await folder_intake.intake_once(
        CLIENT, jurisdictions(court), "cases-test", kept=stores(tmp_path / "var", keys=None)
    )
    assert starter.calls == []  # no case starts from a document that could not be kept
    assert report.started == report.quarantined == report.processed == []
    assert len(report.deferred) == 2
    assert all("NoPayloadKeyError" in d and "DIVERSION_PAYLOAD_KEYS" in d for d in report.deferred)
    assert good.read_bytes() == FIXTURE.read_bytes() and bad.read_bytes() == b"%PDF-1.7"
    assert files(tmp_path) == ["court/inbox/referral.json", "court/inbox/scan.pdf"]


async def test_a_document_that_cannot_be_sealed_stays_and_finds_its_case_next_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, FakeStarter())
    court, kept = tmp_path / "court", stores(tmp_path / "var")
    inbox_file = drop(court, "referral.json")

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(ProcessedStore, "keep", disk_full)
        report = await folder_intake.intake_once(
            CLIENT, jurisdictions(court), "cases-test", kept=kept
        )
    [deferred] = report.deferred
    assert "No space left on device" in deferred
    assert report.processed == report.started == []
    assert inbox_file.read_bytes() == FIXTURE.read_bytes()

    use(monkeypatch, FakeStarter(running=True))  # the case the first pass started
    report = await folder_intake.intake_once(CLIENT, jurisdictions(court), "cases-test", kept=kept)
    assert report.existing == [CASE_ID] and len(report.processed) == 1
    assert not inbox_file.exists()


async def test_run_intake_passes_until_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop = asyncio.Event()

    class StopAfterFirstCase(FakeStarter):
        async def __call__(self, *args: Any, **kwargs: Any) -> tuple[FakeHandle, bool]:
            stop.set()  # the loop still finishes this pass, then ends
            return await super().__call__(*args, **kwargs)

    starter = use(monkeypatch, StopAfterFirstCase())
    court = tmp_path / "court"
    drop(court, "referral.json")
    await asyncio.wait_for(
        folder_intake.run_intake(
            CLIENT,
            jurisdictions(court),
            "cases-test",
            stop,
            interval_seconds=0.01,
            kept=stores(tmp_path / "var"),
        ),
        timeout=5,
    )
    assert (court / "processed" / "referral.json.receipt.json").exists()
    assert len(starter.calls) == 1
