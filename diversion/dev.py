"""`make run` / `diversion dev`: the whole service on one machine.

Starts the embedded Temporal dev server (history kept in `data_dir/temporal.db`, so a
second run resumes the same cases), a worker, the drop-folder intake and the HTTP API.
Ctrl-C (SIGINT) or SIGTERM stops them in reverse: the API, intake, then the worker
(running activities may finish), then the server. A server that a killed dev command left
on the same database is adopted and stopped likewise; one another process runs is reused
and left running, and the banner says so.
"""

import asyncio
import logging
from collections.abc import Mapping

from fastapi import FastAPI
from temporalio.client import Client
from temporalio.worker import Worker

from adapters.courts.court_adapter import court_adapter_for
from adapters.courts.folder_transport import FolderTransport
from api.app import connected_with_metrics, create_app
from api.dev_tokens import dev_token
from api.server import serve_api
from diversion.dev_server import DevServerRun, running_dev_server
from diversion.folder_intake import run_intake
from diversion.kept_documents import KeptDocuments
from diversion.settings import Settings, SettingsError
from diversion.worker import build_worker, install_stop_signals
from domain.enums import Role
from domain.policy import Jurisdiction

INTAKE_STOP_SECONDS = 10.0


def main(settings: Settings) -> int:
    """Run until Ctrl-C; 0 after a clean stop."""
    if settings.environment == "production":
        raise SettingsError(
            "`diversion dev` runs the embedded dev server, which is not for production; "
            "run `diversion worker` against your Temporal cluster instead"
        )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    return asyncio.run(_main(settings))


async def _main(settings: Settings) -> int:
    stop = asyncio.Event()
    install_stop_signals(stop, "the API, intake, then the worker, then the Temporal server")
    try:
        await run_dev(settings, stop)
    except asyncio.CancelledError:
        return 130  # a second Ctrl-C: stopped without waiting
    return 0


async def run_dev(settings: Settings, stop: asyncio.Event) -> None:
    """Serve until `stop` is set (or a part fails, which stops the rest and is raised)."""
    jurisdictions = settings.jurisdictions()
    ready_banner = banner(settings, jurisdictions)  # builds every adapter: config errors stop here
    settings.outbox_dir.mkdir(parents=True, exist_ok=True)
    async with running_dev_server(settings) as server:
        client, sdk_metrics = await connected_with_metrics(settings)
        worker = build_worker(client, settings)
        app = create_app(settings, client=client, sdk_metrics=sdk_metrics)
        print(
            ready_banner + stop_text(settings, server) + dev_tokens_text(settings, jurisdictions),
            flush=True,
        )
        await _serve(client, worker, app, settings, jurisdictions, stop)


async def _serve(
    client: Client,
    worker: Worker,
    app: FastAPI,
    settings: Settings,
    jurisdictions: dict[str, Jurisdiction],
    stop: asyncio.Event,
) -> None:
    worker_task = asyncio.create_task(worker.run(), name="worker")
    intake_task = asyncio.create_task(
        run_intake(
            client,
            jurisdictions,
            settings.task_queue,
            stop,
            match_secret=settings.match_secret_bytes(),
            kept=KeptDocuments.for_settings(settings, settings.payload_key_ring()),
        ),
        name="intake",
    )
    api_task = asyncio.create_task(serve_api(app, settings, stop), name="api")
    stopped = asyncio.create_task(stop.wait(), name="stop")
    await asyncio.wait(
        {worker_task, intake_task, api_task, stopped}, return_when=asyncio.FIRST_COMPLETED
    )
    stop.set()  # a part that ended on its own stops the others
    stopped.cancel()

    failures: list[BaseException] = []
    # 0. The API: no new request reaches Temporal (it stops once `stop` is set).
    await asyncio.wait({api_task})
    failures += _failure(api_task)
    # 1. Intake: no new case starts from here on.
    await asyncio.wait({intake_task}, timeout=INTAKE_STOP_SECONDS)
    if not intake_task.done():
        intake_task.cancel()
        await asyncio.wait({intake_task})
    failures += _failure(intake_task)
    # 2. Worker: stops polling; activities in flight get its graceful-shutdown time.
    if not worker_task.done():
        await worker.shutdown()
    await asyncio.wait({worker_task})
    failures += _failure(worker_task)
    # 3. The server stops when `dev_server` exits.
    if failures:
        raise failures[0]


def _failure(task: "asyncio.Task[None]") -> list[BaseException]:
    if not task.done() or task.cancelled():
        return []
    error = task.exception()
    return [error] if error is not None else []


def banner(settings: Settings, jurisdictions: Mapping[str, Jurisdiction]) -> str:
    lines = [
        "",
        "Restorative Diversion is running (dev).",
        f"  Temporal UI        {settings.temporal_ui_url}",
        f"  Temporal server    {settings.temporal_address}, namespace "
        f"{settings.temporal_namespace!r}, task queue {settings.task_queue!r}",
        f"  Case history       {settings.temporal_db_file.absolute()}",
        f"  Notifications      {settings.outbox_dir.absolute()}",
        "  Court drop folders (drop a referral into inbox/; filings appear in outbox/):",
    ]
    for jid, jurisdiction in jurisdictions.items():
        transport = court_adapter_for(jurisdiction).transport
        if isinstance(transport, FolderTransport):
            where = f"{transport.inbox}  ->  {transport.outbox}"
        else:
            where = f"(court transport {jurisdiction.court.transport!r}, no drop folder)"
        lines.append(f"    {jid:<12} {where}")
    lines += [
        f"  API docs           {settings.api_url}/docs",
        f"  Staff pages        {settings.api_url}/staff/  (inbox, cases and task forms)",
        f"  Court pages        {settings.api_url}/court/  (the court's cases and reports)",
        f"  Sign in            {settings.api_url}/auth/sign-in  (dev: pick a demo identity)",
        f"  Staff inbox (API)  {settings.api_url}/v1/tasks  (GET with a staff token)",
        f"  Health             {settings.api_url}/healthz, /readyz, /metrics",
    ]
    return "\n".join(lines) + "\n"


def stop_text(settings: Settings, server: DevServerRun) -> str:
    """What Ctrl-C stops: the Temporal server too, unless another process's was reused."""
    if server.stops_on_exit:
        return "Ctrl-C stops the API, intake, the worker and the Temporal server, in that order.\n"
    return (
        "Ctrl-C stops the API, intake and the worker. The Temporal server at "
        f"{settings.temporal_address} was already running, not started from "
        f"{settings.data_dir.absolute()} (or started by a process still running): it keeps "
        "running.\n"
    )


def dev_tokens_text(settings: Settings, jurisdictions: Mapping[str, Jurisdiction]) -> str:
    """One token per role for the first jurisdiction, and one per facilitator on its roster
    (only an assigned facilitator records a case's meetings and outcome): paste after
    `Authorization: Bearer`."""
    if settings.auth_mode != "dev" or not jurisdictions:
        return ""
    home = next(iter(jurisdictions))
    lines = [f"Dev tokens for jurisdiction {home!r} (8 h; `diversion token` mints more):"]
    roster = jurisdictions[home].roster
    for role in Role:
        if role is Role.FACILITATOR and roster:
            for entry in roster:
                token = dev_token(settings, role, [home], subject=entry.sub)
                lines.append(f"  {f'{role.value} {entry.id}':<28} {token}")
        else:
            lines.append(f"  {role.value:<28} {dev_token(settings, role, [home])}")
    return "\n".join(lines) + "\n"
