import base64
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

import pytest
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

import workflows
from activities.adapter_directory import AdapterDirectory
from activities.case_activities import CaseActivities
from activities.filing_activities import FilingActivities
from activities.notification_activities import NotificationActivities
from diversion.codec import data_converter, parse_keys
from diversion.search_attribute_registration import register_search_attributes
from domain.policy import DEMO_FILE, Jurisdiction, load_jurisdictions
from tests.workflows.harness import Harness

# A fixed, test-only key, so stored histories (tests/histories) decode when replayed.
SCENARIO_HISTORIES = Path(__file__).parent.parent / "histories" / "scenarios"
# Histories that failed to replay are kept here, to turn into a stored replay test.
REPLAY_FAILURES = Path(__file__).parent.parent.parent / "var" / "replay-failures"
TEST_KEYS = parse_keys("test-histories:" + base64.b64encode(bytes(range(32))).decode())
# Keys the ids of the opt-out ledgers the tests start (test-only, like TEST_KEYS).
TEST_CONTACT_KEY = b"test-contact-key-0123456789abcdef"
CLOCK_SHIFT_VARIABLE = "DIVERSION_TEST_CLOCK_SHIFT_HOURS"


def test_server_path() -> str:
    found = shutil.which("temporal-test-server") or str(
        Path(__file__).resolve().parents[2] / ".venv" / "bin" / "temporal-test-server"
    )
    return found


@pytest.fixture
async def env() -> AsyncIterator[WorkflowEnvironment]:
    """A server per test: time skipping stalls on another test's left-over timers."""
    async with await WorkflowEnvironment.start_time_skipping(
        data_converter=data_converter(TEST_KEYS), test_server_existing_path=test_server_path()
    ) as environment:
        # The test server refuses search attributes it was not told about.
        await register_search_attributes(environment.client)
        await skip_to_test_hour(environment)
        yield environment


async def skip_to_test_hour(environment: WorkflowEnvironment) -> None:
    """The test server's clock starts at the real time: to try tests at another hour of
    the day (quiet hours, local dates), it is skipped ahead CLOCK_SHIFT_VARIABLE hours."""
    if shift := os.environ.get(CLOCK_SHIFT_VARIABLE):
        await environment.sleep(timedelta(hours=float(shift)))


@pytest.fixture
async def harness(
    env: WorkflowEnvironment, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Harness]:
    adapters = harness_adapters(tmp_path)
    activities = worker_activities(adapters)
    async with running_harness(
        env, tmp_path, activities, request.node.name, adapters=adapters
    ) as running:
        yield running


class SendsNotifications(Protocol):
    """A test's own stand-in for the send activity, at its boundary."""

    send_notification: Callable[..., Any]


@pytest.fixture
async def answering(
    env: WorkflowEnvironment,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    provider: SendsNotifications,
) -> AsyncIterator[Harness]:
    """The harness with the module's `provider` fixture sending every message in place of
    the real send activity (test_delivery_outcomes, test_notify_give_up)."""
    adapters = harness_adapters(tmp_path)
    activities = [
        *CaseActivities(adapters).all(),
        *FilingActivities(adapters).all(),
        provider.send_notification,
    ]
    async with running_harness(
        env, tmp_path, activities, request.node.name, adapters=adapters
    ) as running:
        yield running


def harness_jurisdiction(tmp_path: Path, court_root: Path | None = None) -> Jurisdiction:
    """The demo jurisdiction filing into `court_root` (tmp_path/court) as our JSON, so tests
    read reports as the model they are (the demo court's own format, ECF, has its own
    tests), with its police drop folder under tmp_path."""
    demo = load_jurisdictions(DEMO_FILE)["demo"]
    root = court_root or tmp_path / "court"
    court = demo.court.model_copy(
        update={"format": "json", "settings": {"transport": {"root": str(root)}}}
    )
    police = demo.police.model_copy(
        update={"settings": {"submissions_dir": str(tmp_path / "police")}}
    )
    return demo.model_copy(update={"court": court, "police": police})


def harness_adapters(tmp_path: Path, court_root: Path | None = None) -> AdapterDirectory:
    """The worker's adapters, as it builds them from its configuration at start (the dev
    outbox in tmp_path/outbox)."""
    jurisdiction = harness_jurisdiction(tmp_path, court_root)
    return AdapterDirectory({jurisdiction.id: jurisdiction}, outbox_dir=tmp_path / "outbox")


def worker_activities(adapters: AdapterDirectory) -> list[Callable[..., Any]]:
    """Every activity a worker runs, over `adapters`."""
    return [
        *CaseActivities(adapters).all(),
        *FilingActivities(adapters).all(),
        *notification_activities(adapters),
    ]


def notification_activities(adapters: AdapterDirectory) -> list[Callable[..., Any]]:
    return NotificationActivities(adapters, TEST_CONTACT_KEY).all()


@asynccontextmanager
async def running_harness(
    env: WorkflowEnvironment,
    tmp_path: Path,
    activities: Sequence[Callable[..., Any]],
    test_name: str,
    adapters: AdapterDirectory | None = None,
) -> AsyncIterator[Harness]:
    """A worker with `activities` (a test may hold one back) and the demo jurisdiction;
    afterwards every history it made must replay."""
    jurisdiction = harness_jurisdiction(tmp_path)
    court_root = tmp_path / "court"
    task_queue = f"cases-{uuid.uuid4().hex[:8]}"
    async with Worker(
        env.client,
        task_queue=task_queue,
        workflows=workflows.WORKFLOWS,
        activities=activities,
    ):
        running = Harness(env, task_queue, jurisdiction, court_root, tmp_path / "outbox", adapters)
        yield running
        if os.environ.get("RECORD_HISTORIES") == "1":
            await running.save_histories(SCENARIO_HISTORIES, test_name)
        failures = await running.replay_everything(REPLAY_FAILURES)
        await running.terminate_leftovers()
        assert not failures, "histories that do not replay:\n" + "\n".join(failures)
