"""A workflow whose task keeps failing is flagged, found and reset where it diverged.

Two ways a history stops replaying: code deployed without `workflow.patched` (made here
on the real dev server, with a small workflow whose second task changes its command), and
the SDK fault the fault run found (its real history, stored in diverged/: an update and an
activity result taken up in one task, recorded in one order and replayed in the other).
"""

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from temporalio import workflow
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHistory
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner, Worker

import workflows
from api.app import create_app
from diversion.cli import main
from diversion.codec import data_converter, parse_keys
from diversion.dev_server import dev_server, free_port
from diversion.settings import Settings
from diversion.stalled_workflows import (
    count_stalled,
    diverging_task,
    repair,
    stalled_workflows,
)
from diversion.temporal_client import connect
from tests.api.visibility import eventually

DIVERGED = Path(__file__).parent / "diverged"
QUEUE = "operations-test"


class _Intake:
    def __init__(self) -> None:
        self.answers: list[str] = []

    @workflow.signal
    def answer(self, text: str) -> None:
        self.answers.append(text)

    async def _until_answers(self, count: int) -> None:
        await workflow.wait_condition(lambda: len(self.answers) >= count)


@workflow.defn(name="Intake")
class IntakeAsDeployed(_Intake):
    """The code the workflow ran under: after the first answer, a memo."""

    @workflow.run
    async def run(self) -> list[str]:
        await self._until_answers(1)
        workflow.upsert_memo({"step": "first answer"})
        await self._until_answers(2)
        return self.answers


@workflow.defn(name="Intake")
class IntakeChangedUnpatched(_Intake):
    """The same workflow changed without `workflow.patched`: a timer before the memo."""

    @workflow.run
    async def run(self) -> list[str]:
        await self._until_answers(1)
        await workflow.sleep(timedelta(milliseconds=10))
        workflow.upsert_memo({"step": "first answer"})
        await self._until_answers(2)
        return self.answers


def _worker(client: Client, workflow_class: type) -> Worker:
    return Worker(
        client,
        task_queue=QUEUE,
        workflows=[workflow_class],
        workflow_runner=UnsandboxedWorkflowRunner(),  # test workflows, defined here
        max_cached_workflows=0,  # every task replays the history, as a fresh worker's does
    )


async def test_a_history_that_stops_replaying_is_flagged_and_reset_where_it_diverged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(data_dir=tmp_path, temporal_address=f"127.0.0.1:{free_port()}")
    async with dev_server(settings, headless=True):
        client = await connect(settings)
        handle = await client.start_workflow(
            IntakeAsDeployed.run, id="intake-ngata-1", task_queue=QUEUE
        )
        async with _worker(client, IntakeAsDeployed):
            await handle.signal(IntakeAsDeployed.answer, "Hēmi Ngata")
            await eventually(
                lambda: handle.describe(),
                lambda d: bool(d.raw_description.workflow_execution_info.memo.fields),
            )
        assert await stalled_workflows(client) == []

        replayer = Replayer(
            workflows=[IntakeChangedUnpatched],
            workflow_runner=UnsandboxedWorkflowRunner(),
            data_converter=client.data_converter,
        )
        async with _worker(client, IntakeChangedUnpatched):
            await handle.signal("answer", "Zoë Brčić")  # the same signal, by name
            flagged = await eventually(
                lambda: stalled_workflows(client), lambda found: len(found) == 1
            )
            assert [w.workflow_id for w in flagged] == ["intake-ngata-1"]
            assert "category=WorkflowTaskFailed" in flagged[0].problems

            assert await count_stalled(client) == 1
            await _metrics_show_one_stalled(settings, client)

            monkeypatch.setenv("DIVERSION_TEMPORAL_ADDRESS", settings.temporal_address)
            monkeypatch.setenv("DIVERSION_DATA_DIR", str(tmp_path))
            assert await asyncio.to_thread(main, ["stalled"]) == 1
            assert "intake-ngata-1  Intake  category=WorkflowTaskFailed" in capsys.readouterr().out
            assert await asyncio.to_thread(main, ["repair", "intake-nobody"]) == 1
            assert "no workflow intake-nobody in namespace default" in capsys.readouterr().err

            history = await handle.fetch_history()
            said, untouched = await repair(client, replayer, "intake-ngata-1", apply=False)
            assert untouched is None
            assert said is not None
            # The task that wrote the memo is where the code changed (the first answer may
            # have come with the start, in the first task, or after it).
            memo = next(
                e.event_id
                for e in history.events
                if e.event_type == EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED
            )
            completed = [
                e.event_id
                for e in history.events
                if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
            ]
            assert said.task_completed_event_id == max(c for c in completed if c < memo)
            assert said.reapplied == ("signal answer",)
            assert (await handle.describe()).run_id == history.run_id  # nothing changed

            divergence, new_run = await repair(client, replayer, "intake-ngata-1", apply=True)
            assert divergence == said
            assert new_run is not None and new_run != history.run_id
            # The reset run takes the changed code from the first answer on, and the
            # second answer, received after the reset point, comes back into it.
            result = await client.get_workflow_handle("intake-ngata-1").result()
            assert result == ["Hēmi Ngata", "Zoë Brčić"]
        assert await eventually(lambda: stalled_workflows(client), lambda found: not found) == []


async def _metrics_show_one_stalled(settings: Settings, client: Client) -> None:
    """The API's /metrics counts it, for an alert on `diversion_stalled_workflows > 0`."""
    app = create_app(settings, client=client)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
            scraped = await eventually(
                lambda: http.get("/metrics"),
                lambda r: "diversion_stalled_workflows 1.0" in r.text,
            )
    assert "diversion_stalled_workflows 1.0" in scraped.text


async def test_the_fault_runs_diverged_case_is_found_at_the_task_that_took_both() -> None:
    path = DIVERGED / "case-faults-ecf-flt-2-0011.json"
    history = WorkflowHistory.from_json("case-faults-ecf-flt-2-0011", path.read_text())
    keys = parse_keys((DIVERGED / "payload-key").read_text().strip())
    replayer = Replayer(workflows=workflows.WORKFLOWS, data_converter=data_converter(keys))

    divergence = await diverging_task(history, replayer)

    assert divergence is not None
    # Task 50-52 took the filing's result and a staff update together; the worker that
    # recorded it ran the flow's step first, a replay runs the update first.
    events = json.loads(path.read_text())["events"]
    at = next(e for e in events if e["eventId"] == str(divergence.task_completed_event_id))
    assert at["eventType"] == "EVENT_TYPE_WORKFLOW_TASK_COMPLETED"
    assert divergence.task_completed_event_id == 52
    assert divergence.reapplied == ("update complete_task",)
