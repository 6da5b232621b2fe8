"""The whole service as separate processes, as deployed, for fault runs: the Temporal dev
server on a database file, worker processes (`diversion worker`), API processes
(`diversion api`) and the fake court, each of which a run can kill and start again.

Every process is this stack's own child in its own session, and is stopped (or killed)
when the stack closes; nothing else is touched."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx
from temporalio.client import Client

from api.dev_tokens import dev_signing_key
from api.gateway import CaseGateway
from diversion.dev_server import free_port, server_command, stop_process
from diversion.lost_port import PortTaken, lost_its_port, started_again_if_port_lost
from diversion.settings import Settings
from diversion.temporal_client import connect
from tests.fakes.court import FakeCourt
from tests.faults.jurisdictions import EcfRoute, faults_jurisdictions_file

READY_SECONDS = 60.0
SERVER_LOG = "temporal-server.log"


class StackFailure(Exception):
    """A process of the stack did not start: the run cannot say anything about the service."""


class ServerLostItsPort(StackFailure, PortTaken):
    """The server exited at start, a listener of it finding its address taken."""


@dataclass
class Counts:
    worker_kills: int = 0
    server_restarts: int = 0
    court_outages: int = 0
    api_restarts: int = 0


@dataclass
class Stack:
    data: Path
    workers: int = 2
    apis: int = 2
    ecf_route: EcfRoute = "callbacks"
    counts: Counts = field(default_factory=Counts)

    def __post_init__(self) -> None:
        self.court = FakeCourt(port=free_port())
        self.temporal_port = free_port()
        self.api_ports = [free_port() for _ in range(self.apis)]
        # One issuer for every API process: a token is good at any of them.
        self.settings = Settings(
            data_dir=self.data,
            temporal_address=f"127.0.0.1:{self.temporal_port}",
            jurisdictions_file=faults_jurisdictions_file(
                self.data, self.court.base_url, self.ecf_route
            ),
            auth_issuer=self.api_urls[0],
        )
        self._server: subprocess.Popen[bytes] | None = None
        self._workers: list[subprocess.Popen[bytes] | None] = [None] * self.workers
        self._apis: list[subprocess.Popen[bytes] | None] = [None] * self.apis
        self._logs: list[IO[bytes]] = []
        self.client: Client | None = None

    @property
    def api_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.api_ports]

    # -- start and stop -----------------------------------------------------------------

    async def start(self) -> None:
        self.court.start()
        dev_signing_key(self.settings)  # made once, before the APIs read it
        self.settings.payload_key_ring()
        self.settings.match_secret_bytes()
        await self.start_server()
        self.client = await connect(self.settings, wait_seconds=READY_SECONDS)
        for n in range(self.workers):
            self.start_worker(n)
        for n in range(self.apis):
            self.start_api(n)
        await self._until_ready()

    async def close(self) -> None:
        for process in [*self._apis, *self._workers]:
            if process is not None:
                await stop_process(process, grace=5.0)
        if self._server is not None:
            await stop_process(self._server, grace=5.0)
        self.court.close()
        for log in self._logs:
            log.close()

    def _env(self, **extra: str) -> dict[str, str]:
        return (
            os.environ
            | {
                "DIVERSION_DATA_DIR": str(self.data),
                "DIVERSION_TEMPORAL_ADDRESS": self.settings.temporal_address,
                "DIVERSION_JURISDICTIONS_FILE": str(self.settings.jurisdictions_file),
                "DIVERSION_AUTH_ISSUER": self.api_urls[0],
                "DIVERSION_API_HOST": "127.0.0.1",
            }
            | extra
        )

    def _spawn(self, command: list[str], log_name: str, **env: str) -> "subprocess.Popen[bytes]":
        log = (self.data / log_name).open("ab")
        self._logs.append(log)
        return subprocess.Popen(
            command,
            env=self._env(**env),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,  # a terminal's Ctrl-C reaches the run, which stops these
        )

    # -- the Temporal server ------------------------------------------------------------

    async def start_server(self) -> None:
        """Started on the settings' port; again when it lost that port to one of its own
        listeners (diversion/lost_port.py)."""
        await started_again_if_port_lost(self._start_server_once)

    async def _start_server_once(self) -> None:
        command = server_command(self.settings, headless=True)
        log = self.data / SERVER_LOG
        output_from = log.stat().st_size if log.exists() else 0
        self._server = self._spawn(command, SERVER_LOG)
        deadline = time.monotonic() + READY_SECONDS
        while True:
            if self._server.poll() is not None:
                exited = f"the Temporal server exited ({self._server.returncode})"
                with log.open("rb") as output:
                    output.seek(output_from)
                    if lost_its_port(output.read().decode(errors="replace")):
                        raise ServerLostItsPort(exited)
                raise StackFailure(exited)
            try:
                probe = await Client.connect(self.settings.temporal_address)
                await probe.count_workflows()
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise StackFailure("the Temporal server did not answer in time") from None
            await asyncio.sleep(0.2)  # the server process starting, not a workflow

    async def restart_server(self) -> None:
        """SIGKILL, then the same command on the same database file."""
        assert self._server is not None
        self._server.kill()
        await asyncio.to_thread(self._server.wait)
        self.counts.server_restarts += 1
        await self.start_server()

    # -- workers ------------------------------------------------------------------------

    def start_worker(self, n: int) -> None:
        command = [sys.executable, "-m", "diversion.cli", "worker"]
        self._workers[n] = self._spawn(command, f"worker-{n}.log")

    async def kill_worker(self, n: int) -> None:
        """SIGKILL, as a machine dies: no graceful shutdown, activities cut mid-flight."""
        process = self._workers[n]
        assert process is not None
        process.send_signal(signal.SIGKILL)
        await asyncio.to_thread(process.wait)
        self.counts.worker_kills += 1
        self.start_worker(n)

    def worker_pids(self) -> list[int]:
        return [p.pid for p in self._workers if p is not None and p.poll() is None]

    # -- API processes ------------------------------------------------------------------

    def start_api(self, n: int) -> None:
        command = [sys.executable, "-m", "diversion.cli", "api"]
        self._apis[n] = self._spawn(
            command, f"api-{n}.log", DIVERSION_API_PORT=str(self.api_ports[n])
        )

    async def restart_api(self, n: int) -> None:
        """SIGTERM (uvicorn finishes the requests in flight), then start it again."""
        process = self._apis[n]
        assert process is not None
        await stop_process(process, grace=10.0)
        self.counts.api_restarts += 1
        self.start_api(n)

    # -- the court ----------------------------------------------------------------------

    def court_down(self) -> None:
        self.court.down()
        self.counts.court_outages += 1

    def court_up(self) -> None:
        self.court.up()

    # -- readiness ----------------------------------------------------------------------

    async def _until_ready(self) -> None:
        assert self.client is not None
        gateway = CaseGateway(self.client, {}, self.settings.task_queue)
        deadline = time.monotonic() + READY_SECONDS
        async with httpx.AsyncClient(timeout=5.0) as http:
            while True:
                self._check_alive()
                ready = await gateway.worker_polling()
                for url in self.api_urls:
                    try:
                        ready = ready and (await http.get(f"{url}/healthz")).status_code == 200
                    except httpx.TransportError:
                        ready = False
                if ready:
                    return
                if time.monotonic() > deadline:
                    raise StackFailure(f"workers and APIs not ready in {READY_SECONDS:.0f} s")
                await asyncio.sleep(0.2)  # processes starting, not a workflow

    def _check_alive(self) -> None:
        for name, process in [("worker", w) for w in self._workers] + [
            ("API", a) for a in self._apis
        ]:
            if process is not None and process.poll() is not None:
                raise StackFailure(
                    f"a {name} process exited ({process.returncode}); see {self.data}"
                )
