"""Cases whose police system is scripted by the test: down, or reporting an incident."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from tests.workflows.conftest import running_harness
from tests.workflows.harness import Harness
from tests.workflows.scripted_police import ScriptedPolice


@pytest.fixture
def police(tmp_path: Path) -> ScriptedPolice:
    return ScriptedPolice(tmp_path)


@pytest.fixture
async def harness(
    env: WorkflowEnvironment,
    tmp_path: Path,
    police: ScriptedPolice,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Harness]:
    async with running_harness(env, tmp_path, police.all(), request.node.name) as running:
        yield running
