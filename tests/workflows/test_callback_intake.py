"""A folder court's callbacks/: each answer reaches the case it names and is kept sealed
with a receipt; one that cannot be read or taken is quarantined with its reason; one that
could not be delivered (Temporal unreachable) stays for the next pass."""

import base64
import json
from pathlib import Path
from typing import Any

from diversion.callback_intake import callbacks_once
from diversion.codec import parse_keys
from diversion.kept_documents import KeptDocuments, ProcessedStore
from diversion.quarantine import QuarantineStore
from domain.enums import Outcome
from tests.workflows.harness import Harness
from tests.workflows.steps import through_screening, victim_consent
from tests.workflows.test_court_answer import history, report, with_callbacks

RING = parse_keys("k0:" + base64.b64encode(bytes(range(32))).decode())


class Unreachable:
    """A Temporal client whose server does not answer."""

    def get_workflow_handle_for(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("the Temporal server did not answer")


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


async def test_callbacks_reach_their_case_and_are_kept(harness: Harness, tmp_path: Path) -> None:
    with_callbacks(harness)
    kept = KeptDocuments(
        QuarantineStore(tmp_path / "var" / "quarantine", RING),
        ProcessedStore(tmp_path / "var" / "processed", RING),
    )
    jurisdictions = {harness.jurisdiction.id: harness.jurisdiction}
    case = await harness.start()
    await through_screening(case)
    assert (await report(case, 1)).status == "received"
    key = f"{case.handle.id}:report:1"
    callbacks = harness.court_root / "callbacks"
    callbacks.mkdir(parents=True, exist_ok=True)
    answers = {
        "docketed.json": json.dumps({"court_reference": key, "accepted": True}),
        "garbled.json": '{"court_reference": ',
        "elsewhere.json": json.dumps(
            {"court_reference": "DCDC-F-2026-7", "accepted": True, "case_number": "CR-NONE-17"}
        ),
    }
    for name, content in answers.items():
        (callbacks / name).write_text(content)

    held = await callbacks_once(Unreachable(), jurisdictions, kept=kept)  # type: ignore[arg-type]
    # Unreadable is the document's fault; undelivered is not: it waits for the next pass.
    assert [Path(d.split(":")[0]).name for d in held.deferred] == [
        "docketed.json",
        "elsewhere.json",
    ]
    assert all("the Temporal server did not answer" in d for d in held.deferred)
    assert sorted(p.name for p in callbacks.iterdir()) == ["docketed.json", "elsewhere.json"]

    taken = await callbacks_once(harness.env.client, jurisdictions, kept=kept)
    assert (taken.delivered, taken.deferred) == ([case.handle.id], [])
    assert list(callbacks.iterdir()) == []
    filed = await report(case, 1)
    assert history(filed) == [("received", 1, "receipt"), ("accepted", 1, "callback")]

    listed = {str(r.original_name): r for r in kept.quarantine.list({"demo"})}
    assert sorted(listed) == ["elsewhere.json", "garbled.json"]
    assert {r.source for r in listed.values()} == {"court-callback"}  # never a referral
    assert sorted(held.quarantined + taken.quarantined) == sorted(r.id for r in listed.values())
    assert "not valid JSON" in listed["garbled.json"].reason
    assert "no open case for 'CR-NONE-17'" in listed["elsewhere.json"].reason
    court_files = [f for f in files(harness.court_root) if not f.startswith("outbox/")]
    assert court_files == [
        "processed/docketed.json.receipt.json",
        "quarantine/elsewhere.json.reason.json",
        "quarantine/garbled.json.reason.json",
    ]
    said = json.loads((harness.court_root / "processed" / "docketed.json.receipt.json").read_text())
    assert said["case_id"] == case.handle.id
    assert kept.document(said["document_id"]) == answers["docketed.json"].encode()
    processed = kept.processed.get(said["document_id"])
    assert processed is not None and processed.case_id == case.handle.id

    await case.complete(victim_consent(consents=False))
    await report(case, 2)
    (callbacks / "ending.json").write_text(
        json.dumps({"court_reference": f"{case.handle.id}:report:2", "accepted": True})
    )
    assert (await callbacks_once(harness.env.client, jurisdictions, kept=kept)).delivered
    assert await case.outcome() is Outcome.NOT_PROCEEDED
