"""Folder intake: an inbox document becomes a case, or a quarantined file with a reason."""

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from diversion import folder_intake
from domain.case import case_workflow_id
from domain.policy import DEMO_FILE, AdapterChoice, Jurisdiction, load_jurisdictions
from domain.referral import Referral

FIXTURE = Path(__file__).parent / "fixtures" / "referrals" / "demo-referral.json"
CASE_ID = case_workflow_id("demo", "CR-2026-00417")
CLIENT: Any = object()  # the fake start_case never touches it


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


async def test_good_referral_starts_a_case_and_is_processed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    starter = use(monkeypatch, FakeStarter())
    drop(tmp_path, "referral.json")
    report = await folder_intake.intake_once(
        CLIENT, jurisdictions(tmp_path), "cases-test", b"k" * 32
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
    assert list((tmp_path / "inbox").iterdir()) == []
    assert (tmp_path / "processed" / "referral.json").read_bytes() == FIXTURE.read_bytes()


async def test_repeated_referral_finds_the_running_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, FakeStarter(running=True))
    drop(tmp_path, "referral.json")
    report = await folder_intake.intake_once(CLIENT, jurisdictions(tmp_path), "cases-test")
    assert (report.started, report.existing) == ([], [CASE_ID])
    assert (tmp_path / "processed" / "referral.json").exists()


async def test_bad_referral_is_quarantined_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    starter = use(monkeypatch, FakeStarter())
    data = json.loads(FIXTURE.read_bytes())
    data["charges"] = []
    drop(tmp_path, "no-charges.json", json.dumps(data).encode())
    drop(tmp_path, "scan.pdf", b"%PDF-1.7")
    drop(tmp_path, "truncated.json", FIXTURE.read_bytes()[:200])
    report = await folder_intake.intake_once(CLIENT, jurisdictions(tmp_path), "cases-test")
    assert starter.calls == []
    assert sorted(Path(p).name for p in report.quarantined) == [
        "no-charges.json",
        "scan.pdf",
        "truncated.json",
    ]
    reasons = {
        name: json.loads((tmp_path / "quarantine" / f"{name}.reason.json").read_text())["reason"]
        for name in ("no-charges.json", "scan.pdf", "truncated.json")
    }
    assert "charges: List should have at least 1 item" in reasons["no-charges.json"]
    assert "not 'application/octet-stream'" in reasons["scan.pdf"]
    assert "not valid JSON" in reasons["truncated.json"]
    assert list((tmp_path / "inbox").iterdir()) == []


async def test_start_failure_leaves_the_file_for_the_next_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, FakeStarter(failure=RuntimeError("Temporal unreachable")))
    inbox_file = drop(tmp_path, "referral.json")
    report = await folder_intake.intake_once(CLIENT, jurisdictions(tmp_path), "cases-test")
    assert report.started == report.quarantined == []
    [deferred] = report.deferred
    assert "referral.json: RuntimeError: Temporal unreachable" in deferred
    assert inbox_file.read_bytes() == FIXTURE.read_bytes()
    assert not (tmp_path / "quarantine").exists()

    use(monkeypatch, FakeStarter())
    report = await folder_intake.intake_once(CLIENT, jurisdictions(tmp_path), "cases-test")
    assert report.started == [CASE_ID]
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
    drop(tmp_path, "referral.json")
    await asyncio.wait_for(
        folder_intake.run_intake(
            CLIENT, jurisdictions(tmp_path), "cases-test", stop, interval_seconds=0.01
        ),
        timeout=5,
    )
    assert (tmp_path / "processed" / "referral.json").exists()
    assert len(starter.calls) == 1
