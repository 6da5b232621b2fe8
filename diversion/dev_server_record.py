"""Which dev server runs on a data directory's database, and who started it.

`diversion dev` starts its Temporal server in a session of its own, so a Ctrl-C in the
terminal reaches the dev command first and the server stops last. After a `kill -9` of the
dev command, though, that server keeps running. A record next to the database
(`data_dir/temporal-server.pid`: the server's pid, its owner's pid, its address) lets the
next dev command find it, check that it is that server (its command line names this
database file), and adopt it: reuse it and stop it on exit, as if it had started it.
"""

import asyncio
import json
import os
import signal
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from diversion.settings import Settings, env_var

RECORD_FILE = "temporal-server.pid"


@dataclass(frozen=True)
class ServerRecord:
    server_pid: int
    owner_pid: int  # the dev command (or test) that started or adopted the server
    address: str


def record_path(settings: Settings) -> Path:
    return settings.data_dir / RECORD_FILE


def write_record(settings: Settings, server_pid: int) -> ServerRecord:
    record = ServerRecord(server_pid, os.getpid(), settings.temporal_address)
    path = record_path(settings)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    draft.write_text(json.dumps(asdict(record)) + "\n", encoding="utf-8")
    draft.replace(path)  # atomic: a reader never sees half a record
    return record


def read_record(settings: Settings) -> ServerRecord | None:
    try:
        data = json.loads(record_path(settings).read_text(encoding="utf-8"))
        return ServerRecord(int(data["server_pid"]), int(data["owner_pid"]), str(data["address"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # none, or unreadable: nothing can be adopted from it


def clear_record(settings: Settings, record: ServerRecord) -> None:
    """Remove the record if it is still `record` (another process may have adopted it)."""
    if read_record(settings) == record:
        record_path(settings).unlink(missing_ok=True)


def alive(pid: int) -> bool:
    """Whether `pid` runs (an exited process not yet reaped by its parent does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive, and not ours to stop
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (macOS): the signal check is all there is
    return state not in {"Z", "X"}


def command_line(pid: int) -> list[str] | None:
    """The process's arguments, from /proc (Linux) or `ps`; None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        return [part.decode(errors="replace") for part in raw.split(b"\0") if part]
    except FileNotFoundError:
        if Path("/proc/self").exists():
            return None
    except OSError:
        return None
    found = subprocess.run(
        ["ps", "-p", str(pid), "-o", "command="], capture_output=True, text=True, check=False
    )
    return found.stdout.split() if found.returncode == 0 and found.stdout.strip() else None


def serves_database(pid: int, settings: Settings) -> bool:
    """Whether `pid` is a `temporal server start-dev` on this data directory's database."""
    args = command_line(pid)
    if not args or "start-dev" not in args or "--db-filename" not in args:
        return False
    at = args.index("--db-filename") + 1
    return at < len(args) and Path(args[at]).absolute() == settings.temporal_db_file.absolute()


def orphaned_server(settings: Settings) -> ServerRecord | None:
    """The recorded server of this database, alive and serving our address, whose owner has
    ended (killed, or crashed) without stopping it; None otherwise. A server whose owner
    still runs (another dev command, a test) is that owner's to stop."""
    record = read_record(settings)
    if record is None or record.address != settings.temporal_address:
        return None
    if not alive(record.server_pid) or not serves_database(record.server_pid, settings):
        return None
    if alive(record.owner_pid):  # this process included: then it is nested, not orphaned
        return None
    return record


def second_server(settings: Settings) -> str | None:
    """Why no server may start on this database now, or None. Two servers on one SQLite
    file would corrupt it: refused while the recorded one runs (at another address, or
    still starting). A record of a server that is gone is removed."""
    record = read_record(settings)
    if record is None:
        return None
    if alive(record.server_pid) and serves_database(record.server_pid, settings):
        return (
            f"a Temporal dev server (pid {record.server_pid}, at {record.address}) already "
            f"runs on {settings.temporal_db_file}; stop it (kill {record.server_pid}), or set "
            f"{env_var('temporal_address')}={record.address} to use it"
        )
    record_path(settings).unlink(missing_ok=True)
    return None


async def stop_pid(pid: int, grace: float = 10.0) -> None:
    """SIGINT (the server's clean shutdown), then SIGTERM, then SIGKILL, to a process that is
    not our child (its dead parent's init reaps it)."""
    for send, wait in ((signal.SIGINT, grace), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        if not alive(pid):
            return
        try:
            os.kill(pid, send)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while alive(pid) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
