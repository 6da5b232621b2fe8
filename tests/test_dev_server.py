"""The embedded dev server, started for real from the venv's `temporal` binary."""

import asyncio
import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.client import Client

from diversion.dev import stop_text
from diversion.dev_server import (
    LOG_FILE,
    DevServerError,
    DevServerRun,
    PortTaken,
    dev_server,
    free_port,
    running_dev_server,
    server_command,
    temporal_executable,
)
from diversion.dev_server_record import ServerRecord, alive, read_record, record_path
from diversion.lost_port import START_ATTEMPTS
from diversion.search_attribute_registration import CLI_TYPE_NAMES
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


def _finished_pid() -> int:
    done = subprocess.Popen(["true"])
    done.wait()
    return done.pid


async def test_starts_registers_attributes_is_reused_and_stops(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, free_port())
    # A record of a server long gone (its pid finished) does not stop a start.
    stale = ServerRecord(_finished_pid(), _finished_pid(), settings.temporal_address)
    record_path(settings).write_text(json.dumps(dataclasses.asdict(stale)))
    async with dev_server(settings, headless=True) as address:
        record = read_record(settings)
        assert record is not None and record.owner_pid == os.getpid()
        client = await Client.connect(address)
        listed = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace="default")
        )
        registered = dict(listed.custom_attributes)
        for key in ALL:
            assert registered.get(key.name) == int(key.indexed_value_type), key.name
        # A second start on the same address finds this server instead of failing, and
        # leaves it to its owner, still running here.
        async with running_dev_server(settings, headless=True) as again:
            assert again.address == address and not again.stops_on_exit
        await client.workflow_service.get_system_info(GetSystemInfoRequest())  # still up
        # A second server on the same database, at another address, is refused.
        elsewhere = settings_for(tmp_path, free_port())
        with pytest.raises(DevServerError, match=f"pid {record.server_pid}.* already runs on"):
            async with dev_server(elsewhere, headless=True):
                pass
    assert (tmp_path / "temporal.db").is_file()
    assert not record_path(settings).exists()
    with pytest.raises(RuntimeError):
        await Client.connect(address)


async def test_a_server_that_cannot_start_reports_its_output(tmp_path: Path) -> None:
    (tmp_path / "temporal.db").mkdir()  # not a file: the server cannot open its database
    with pytest.raises(DevServerError, match="exited with code"):
        async with dev_server(settings_for(tmp_path, free_port()), headless=True):
            pass


async def test_a_server_that_finds_its_port_taken_is_started_again_then_says_so(
    tmp_path: Path,
) -> None:
    # Bound, not listening: the port looks free to a connection, but the server's frontend
    # cannot bind it, as when one of its own listeners took it first.
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        settings = settings_for(tmp_path, holder.getsockname()[1])
        with pytest.raises(PortTaken, match="address already in use"):
            async with dev_server(settings, headless=True):
                pass

    output = (tmp_path / LOG_FILE).read_text().splitlines()
    assert sum(line.startswith("--- ") for line in output) == START_ATTEMPTS
    assert read_record(settings) is None  # no server left recorded as running


def test_executable_is_the_venv_binary() -> None:
    version = subprocess.run(
        [str(temporal_executable()), "--version"], capture_output=True, text=True, check=True
    )
    assert "temporal version" in version.stdout


# A dev command in a process of its own, killed below as `kill -9` would.
OWNER = """
import asyncio
from diversion.dev_server import dev_server
from diversion.settings import load_settings

async def main():
    async with dev_server(load_settings(), headless=True):
        print("serving", flush=True)
        await asyncio.Event().wait()

asyncio.run(main())
"""


async def test_a_server_left_by_a_killed_dev_command_is_adopted_and_stopped(
    tmp_path: Path,
) -> None:
    settings = settings_for(tmp_path, free_port())
    env = os.environ | {
        "DIVERSION_DATA_DIR": str(tmp_path),
        "DIVERSION_TEMPORAL_ADDRESS": settings.temporal_address,
    }
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER], env=env, stdout=subprocess.PIPE, text=True
    )
    assert owner.stdout is not None
    left = None
    try:
        assert (await asyncio.to_thread(owner.stdout.readline)).strip() == "serving"
        owner.send_signal(signal.SIGKILL)
        owner.wait()
        left = read_record(settings)
        assert left is not None and left.owner_pid == owner.pid
        assert alive(left.server_pid)  # what a killed dev command leaves behind

        async with running_dev_server(settings, headless=True) as run:
            assert run.stops_on_exit
            adopted = read_record(settings)
            assert adopted == ServerRecord(left.server_pid, os.getpid(), run.address)
            client = await Client.connect(run.address)
            await client.workflow_service.get_system_info(GetSystemInfoRequest())
        assert not alive(left.server_pid)
        assert not record_path(settings).exists()
    finally:
        owner.kill()
        if left is not None and alive(left.server_pid):
            os.kill(left.server_pid, signal.SIGKILL)


def test_the_banner_says_whether_ctrl_c_stops_the_server(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, 7233)
    owned = stop_text(settings, DevServerRun(settings.temporal_address, stops_on_exit=True))
    assert "the worker and the Temporal server, in that order" in owned
    kept = stop_text(settings, DevServerRun(settings.temporal_address, stops_on_exit=False))
    assert "the worker. The Temporal server at 127.0.0.1:7233" in kept
    assert "keeps running" in kept and str(tmp_path) in kept
