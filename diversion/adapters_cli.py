"""`diversion adapters ...`: what an integrator runs while writing or configuring one.

    diversion adapters list                          formats, transports and police adapters
                                                     found, with the package of each
    diversion adapters check FORMAT FILE [--settings S] [--jurisdiction J]
                                                     parse FILE with FORMAT: the model as
                                                     JSON on stdout (exit 0), or the
                                                     specific error on stderr (exit 1).
                                                     A court format prints the Referral; a
                                                     police adapter the whole mapped
                                                     incident (persons, ages, relationships,
                                                     arrests, the DV finding and flags), a
                                                     list when the submission holds several

FORMAT is a court format (json, ecf4, ...) or a police adapter (nibrs, ...). The settings
file (TOML or JSON) is that adapter's settings table, as under
`court.settings.format` or `police.settings` in the jurisdictions file.
"""

import argparse
import json
import sys
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, RootModel, ValidationError

from adapters import registry
from adapters.courts.base import CourtFormat
from adapters.errors import AdapterConfigError, AdapterError
from adapters.police.base import PoliceAdapter
from domain.incidents import PoliceIncident

GROUPS = (
    ("court formats", registry.COURT_FORMATS),
    ("court transports", registry.COURT_TRANSPORTS),
    ("police adapters", registry.POLICE_ADAPTERS),
    ("notifiers", registry.NOTIFIERS),
)
CONTENT_TYPES = {".json": "application/json", ".xml": "application/xml"}


def add_adapter_commands(commands: Any) -> None:
    adapters = commands.add_parser("adapters", help="court and police adapters (integrators)")
    actions = adapters.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="the adapters installed, with their packages")
    listing.set_defaults(run=list_adapters)
    check = actions.add_parser("check", help="parse a document with an adapter; print the model")
    check.add_argument("format", metavar="FORMAT", help="a court format or police adapter name")
    check.add_argument("file", metavar="FILE", type=Path)
    check.add_argument("--settings", type=Path, help="the adapter's settings (TOML or JSON)")
    check.add_argument(
        "--jurisdiction",
        default="check",
        help="the jurisdiction the referral is read for (default: check)",
    )
    check.add_argument("--content-type", help="default: from the file suffix")
    check.set_defaults(run=check_document)


def list_adapters(args: argparse.Namespace) -> int:
    failed = False
    for title, group in GROUPS:
        print(f"{title} ({group}):")
        for name in registry.names(group):
            try:
                found = registry.load(group, name)
            except AdapterConfigError as e:
                print(f"  {name:<10} FAILED TO LOAD: {e}")
                failed = True
                continue
            package = registry.available_package(group, name)
            types = getattr(found, "content_types", ())
            reads = f"  reads {', '.join(types)}" if types else ""
            print(f"  {name:<10} {found.__module__}.{found.__qualname__} ({package}){reads}")
    return 1 if failed else 0


def check_document(args: argparse.Namespace) -> int:
    try:
        settings = _settings(args.settings)
        document = args.file.read_bytes()
    except OSError as e:
        print(f"diversion: error: {e.filename}: {e.strerror}", file=sys.stderr)
        return 1
    content_type = args.content_type or CONTENT_TYPES.get(
        args.file.suffix.lower(), "application/octet-stream"
    )
    where = f"--settings {args.settings}" if args.settings else "adapter settings"
    try:
        result = _parse(args.format, settings, where, document, content_type, args.jurisdiction)
    except (AdapterError, ValidationError) as e:
        reason = registry.describe(e) if isinstance(e, ValidationError) else str(e)
        print(f"diversion: error: {args.file}: {reason}", file=sys.stderr)
        return 1
    print(result.model_dump_json(indent=2))
    return 0


def _parse(
    name: str,
    settings: dict[str, Any],
    where: str,
    document: bytes,
    content_type: str,
    jurisdiction: str,
) -> BaseModel:
    fields = {"where": where, "name_field": "FORMAT", "settings_field": "settings"}
    if name in registry.names(registry.COURT_FORMATS):
        fmt = CourtFormat.from_registry(name, settings, **fields)
        return fmt.parse_referral(document, content_type, jurisdiction)
    if name in registry.names(registry.POLICE_ADAPTERS):
        adapter = PoliceAdapter.from_registry(name, settings, **fields)
        return _mapped_incidents(adapter, document, content_type)
    known = registry.names(registry.COURT_FORMATS) + registry.names(registry.POLICE_ADAPTERS)
    raise AdapterConfigError(
        f"no court format or police adapter named {name!r}; known: {', '.join(known)}"
    )


def _mapped_incidents(adapter: PoliceAdapter, document: bytes, content_type: str) -> BaseModel:
    """All the adapter made of the document, not only the summary a case keeps: what an
    integrator needs to see what the mapping did with each person and code."""
    every = getattr(adapter, "parse_incidents", None)  # a submission of many (NIBRS)
    if callable(every):
        found = every(document, content_type)
        if len(found) != 1:
            return RootModel[list[PoliceIncident]](found)
        incident: PoliceIncident = found[0]
        return incident
    try:
        return adapter.parse_police_incident(document, content_type)
    except AdapterError:
        # An adapter that maps summaries only (it reads no pushed incidents).
        return adapter.parse_incident(document, content_type)


def _settings(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as e:
        raise AdapterConfigError(f"--settings {path}: not valid: {e}") from e
    if not isinstance(data, dict):
        raise AdapterConfigError(f"--settings {path}: expected a table of settings")
    return data
