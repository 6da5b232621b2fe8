"""The `diversion` command.

    diversion dev                         the whole service on this machine (make run)
    diversion worker                      a worker against DIVERSION_TEMPORAL_ADDRESS
    diversion api                         the HTTP API against DIVERSION_TEMPORAL_ADDRESS
    diversion token --role R --jurisdiction J [--ttl SECONDS]
                                          a dev-mode bearer token
    diversion jurisdictions check [FILE]  validate a jurisdictions file (and refuse settings
                                          that switch a safety rule off)
    diversion adapters list               the court and police adapters installed
    diversion adapters check FORMAT FILE  parse a document with an adapter (integrators)
    diversion report render FILE.json [--format pdf|html]
                                          render a court report offline (integrators)
    diversion documents unseal ID [--out FILE]
                                          a kept court document's original bytes (operators)
    diversion documents seal              seal documents kept in plaintext before sealing
    diversion stalled                     workflows whose task keeps failing (exit 1 if any)
    diversion repair ID [--apply]         where a workflow stops replaying; reset it there

Expected failures (bad settings, an unusable jurisdictions file, Temporal unreachable,
missing payload keys, an unknown document id) print one clear message and exit 1,
without a traceback.
"""

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from adapters.courts.court_adapter import court_adapter_for
from adapters.errors import AdapterConfigError
from adapters.notifiers.choice import notifier_for
from adapters.police.base import police_adapter_for
from diversion.adapters_cli import add_adapter_commands
from diversion.codec import PayloadDecryptionError, PayloadKeyError
from diversion.dev_server import DevServerError
from diversion.documents_cli import DocumentsError, add_document_commands
from diversion.report_cli import add_report_commands
from diversion.settings import Settings, SettingsError, load_settings
from diversion.stalled_cli import add_stalled_commands
from diversion.stalled_workflows import RepairError
from diversion.temporal_client import TemporalUnreachableError
from domain.enums import Role
from domain.policy import Jurisdiction, PolicyError, load_jurisdictions

# Failures a user can fix from the message; anything else is a bug and keeps its traceback.
EXPECTED: tuple[type[Exception], ...] = (
    SettingsError,
    PolicyError,
    PayloadKeyError,
    PayloadDecryptionError,
    DocumentsError,
    AdapterConfigError,
    DevServerError,
    TemporalUnreachableError,
    RepairError,
)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code: int = args.run(args)
        return code
    except KeyboardInterrupt:
        return 130
    except Exception as e:
        if isinstance(e, EXPECTED):
            print(f"diversion: error: {e}", file=sys.stderr)
            return 1
        raise


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="diversion", description="Court-referred restorative justice, run on Temporal."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    dev = commands.add_parser(
        "dev", help="run the dev Temporal server, a worker and drop-folder intake (make run)"
    )
    dev.set_defaults(run=_dev)

    worker = commands.add_parser(
        "worker", help="run a worker against DIVERSION_TEMPORAL_ADDRESS until Ctrl-C"
    )
    worker.set_defaults(run=_worker)

    api = commands.add_parser(
        "api", help="serve the HTTP API on DIVERSION_API_HOST:DIVERSION_API_PORT until Ctrl-C"
    )
    api.set_defaults(run=_api)

    token = commands.add_parser("token", help="mint a dev-mode bearer token (not in jwks mode)")
    token.add_argument(
        "--role", required=True, action="append", choices=[r.value for r in Role], dest="roles"
    )
    token.add_argument(
        "--jurisdiction", required=True, action="append", dest="jurisdictions", metavar="J"
    )
    token.add_argument("--ttl", type=int, default=8 * 3600, help="seconds (default 8 hours)")
    token.add_argument("--subject", default=None, help="the sub claim (default dev-<role>)")
    token.set_defaults(run=_token)

    jurisdictions = commands.add_parser("jurisdictions", help="jurisdiction configuration")
    actions = jurisdictions.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="validate a jurisdictions TOML file")
    check.add_argument(
        "file",
        nargs="?",
        type=Path,
        help="the file to check (default: DIVERSION_JURISDICTIONS_FILE, else the demo file)",
    )
    check.set_defaults(run=_check_jurisdictions)

    add_adapter_commands(commands)
    add_report_commands(commands)
    add_document_commands(commands)
    add_stalled_commands(commands)
    return parser


def _dev(args: argparse.Namespace) -> int:
    from diversion import dev  # imported here: it pulls in the worker and the intake

    return dev.main(load_settings())


def _worker(args: argparse.Namespace) -> int:
    return asyncio.run(_run_worker(load_settings()))


async def _run_worker(settings: Settings) -> int:
    from diversion.temporal_client import connect
    from diversion.worker import install_stop_signals, run_worker

    stop = asyncio.Event()
    install_stop_signals(stop, "the worker (activities in flight may finish)")
    try:
        client = await connect(settings)
    except asyncio.CancelledError:
        return 130
    print(
        f"Worker polling task queue {settings.task_queue!r} at {settings.temporal_address} "
        f"(namespace {settings.temporal_namespace!r}). Ctrl-C stops it.",
        flush=True,
    )
    try:
        await run_worker(client, settings, stop)
    except asyncio.CancelledError:
        return 130  # a second Ctrl-C: stopped without waiting
    return 0


def _api(args: argparse.Namespace) -> int:
    from diversion import api_process  # imported here: it pulls in FastAPI and uvicorn

    return api_process.main(load_settings())


def _token(args: argparse.Namespace) -> int:
    from api.dev_tokens import dev_signing_key, mint_token

    settings = load_settings()
    if settings.auth_mode != "dev":
        raise SettingsError(
            "`diversion token` mints dev-mode tokens; with DIVERSION_AUTH_MODE=jwks, get a "
            "token from your identity provider"
        )
    unknown = sorted(set(args.jurisdictions) - settings.jurisdictions().keys())
    if unknown:
        raise PolicyError(f"no jurisdiction {', '.join(unknown)} in {settings.jurisdictions_file}")
    if args.ttl <= 0:
        raise SettingsError("--ttl must be a positive number of seconds")
    roles = [Role(r) for r in args.roles]
    print(
        mint_token(
            dev_signing_key(settings),
            issuer=settings.token_issuer,
            audience=settings.auth_audience,
            subject=args.subject or f"dev-{roles[0].value}",
            roles=roles,
            jurisdictions=args.jurisdictions,
            ttl_seconds=args.ttl,
        )
    )
    return 0


def _check_jurisdictions(args: argparse.Namespace) -> int:
    found: dict[str, Jurisdiction]
    if args.file is None:
        settings = load_settings()
        source = settings.jurisdictions_file
        found = settings.jurisdictions()
    else:
        source = args.file
        try:
            found = load_jurisdictions(args.file)
        except OSError as e:
            raise PolicyError(f"cannot read {args.file}: {e.strerror or e}") from e
    for jurisdiction in found.values():  # their adapters must exist and accept their settings
        court_adapter_for(jurisdiction)
        police_adapter_for(jurisdiction)
        notifier_for(jurisdiction)
    print(f"{source}: {len(found)} jurisdiction(s) valid")
    for jid, jurisdiction in found.items():
        court = jurisdiction.court
        endorsed = sum(entry.fv_endorsed for entry in jurisdiction.roster)
        print(
            f"  {jid:<12} {jurisdiction.name} (court {court.format} over {court.transport}, "
            f"police {jurisdiction.police.adapter}, roster {len(jurisdiction.roster)} "
            f"facilitator(s), {endorsed} endorsed, notifier {jurisdiction.notifier.kind}, "
            f"staff directory {len(jurisdiction.staff)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
