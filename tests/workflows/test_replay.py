"""Stored histories replay against today's code, so a change that would break running
cases fails the build. scenarios/: every scenario of tests/workflows, recorded (after
emptying the folder: workflow ids hold random case numbers) with
`RECORD_HISTORIES=1 .venv/bin/pytest tests/workflows`; dev-server/: a set recorded on the
real dev server by tests/workflows/record_histories.py; before-inbox-memo/ and
before-progress-queue/: scenarios recorded before those patches (workflows/case_base.py),
as cases started then still run; opt-out-ledger/: a contact's ledger through its
continue-as-new (`RECORD_HISTORIES=1 .venv/bin/pytest tests/notifications`). Every
workflow test also replays each history it made (tests/workflows/conftest.py)."""

import json
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

import workflows
from diversion.codec import data_converter
from tests.workflows.conftest import TEST_KEYS

HISTORIES = Path(__file__).parent.parent / "histories"

STORED = sorted(HISTORIES.glob("*/*.json"))


def test_histories_are_stored_for_the_scenarios() -> None:
    kinds = {
        json.loads(p.read_text())["events"][0]["workflowExecutionStartedEventAttributes"][
            "workflowType"
        ]["name"]
        for p in STORED
    }
    assert {"DiversionCase", "ObligationWorkflow", "OptOutLedger"} <= kinds
    assert len(STORED) >= 50


@pytest.mark.parametrize(
    "path", STORED, ids=[f"{p.parent.name}/{p.stem.split('--')[0]}" for p in STORED]
)
async def test_stored_history_replays(path: Path) -> None:
    workflow_id = path.stem.split("--", 1)[1]
    history = WorkflowHistory.from_json(workflow_id, path.read_text())
    # debug_mode: no 2 s deadlock timer, as in tests/workflows/harness.py.
    replayer = Replayer(
        workflows=workflows.WORKFLOWS, data_converter=data_converter(TEST_KEYS), debug_mode=True
    )
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, f"{path.name}: {result.replay_failure}"
