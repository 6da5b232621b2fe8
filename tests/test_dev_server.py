"""The embedded dev server, started for real from the venv's `temporal` binary."""

import subprocess
from pathlib import Path

import pytest
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.client import Client

from diversion.dev_server import (
    CLI_TYPE_NAMES,
    DevServerError,
    dev_server,
    free_port,
    server_command,
    temporal_executable,
)
from diversion.settings import Settings
from workflows.search_attributes import ALL


def settings_for(tmp_path: Path, port: int) -> Settings:
    return Settings(data_dir=tmp_path, temporal_address=f"127.0.0.1:{port}")


def test_command_registers_every_search_attribute(tmp_path: Path) -> None:
    command = server_command(settings_for(tmp_path, 7233), executable=Path("temporal"))
    assert command[:3] == ["temporal", "server", "start-dev"]
    assert command[command.index("--db-filename") + 1] == str(tmp_path / "temporal.db")
    assert command[command.index("--ui-port") + 1] == "8233"
    pairs = [command[i + 1] for i, arg in enumerate(command) if arg == "--search-attribute"]
    assert pairs == [f"{k.name}={CLI_TYPE_NAMES[k.indexed_value_type]}" for k in ALL]


async def test_starts_registers_attributes_is_reused_and_stops(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, free_port())
    async with dev_server(settings, headless=True) as address:
        client = await Client.connect(address)
        listed = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace="default")
        )
        registered = dict(listed.custom_attributes)
        for key in ALL:
            assert registered.get(key.name) == int(key.indexed_value_type), key.name
        # A second start on the same address finds this server instead of failing.
        async with dev_server(settings, headless=True) as again:
            assert again == address
        await client.workflow_service.get_system_info(GetSystemInfoRequest())  # still up
    assert (tmp_path / "temporal.db").is_file()
    with pytest.raises(RuntimeError):
        await Client.connect(address)


async def test_a_server_that_cannot_start_reports_its_output(tmp_path: Path) -> None:
    (tmp_path / "temporal.db").mkdir()  # not a file: the server cannot open its database
    with pytest.raises(DevServerError, match="exited with code"):
        async with dev_server(settings_for(tmp_path, free_port()), headless=True):
            pass


def test_executable_is_the_venv_binary() -> None:
    version = subprocess.run(
        [str(temporal_executable()), "--version"], capture_output=True, text=True, check=True
    )
    assert "temporal version" in version.stdout
