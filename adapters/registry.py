"""One entry-point registry for every kind of adapter (DESIGN §7).

Adapters are found by name in entry-point groups, so a third party ships one from its
own package and our built-ins are registered the same way in our `pyproject.toml`.
Every group goes through `load` and `Plugin.from_registry`; a new kind of adapter adds
a group constant here and an abstract `Plugin` subclass, not a registry of its own.

Nothing here logs and carries on: an unknown name, a duplicate name, an entry point
that fails to import or invalid settings all raise `AdapterConfigError` naming it.
"""

from collections.abc import Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import Any, ClassVar, NamedTuple, Self

from pydantic import BaseModel, ConfigDict, ValidationError

from adapters.errors import AdapterConfigError

COURT_FORMATS = "restorative_diversion.court_adapters"
COURT_TRANSPORTS = "restorative_diversion.court_transports"
POLICE_ADAPTERS = "restorative_diversion.police_adapters"
NOTIFIERS = "restorative_diversion.notifiers"


class PluginSettings(BaseModel):
    """Base for adapter settings: a misspelt key is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Plugin:
    """What the registry builds: a class with a name and a settings model.

    Each kind of adapter is an abstract subclass naming its entry-point `group`.
    Implementations narrow `settings` in their own `__init__`; the registry only ever
    calls `cls(cls.Settings.model_validate(raw))`, so they always get their own model.
    """

    group: ClassVar[str]
    name: ClassVar[str]
    Settings: ClassVar[type[BaseModel]] = PluginSettings

    def __init__(self, settings: BaseModel) -> None:
        self.settings = settings

    @classmethod
    def from_registry(
        cls,
        name: str,
        settings: Mapping[str, Any],
        *,
        where: str,
        name_field: str,
        settings_field: str,
    ) -> Self:
        """Load `name` from this kind's group, check its type and settings, construct it.

        `where` says whose configuration this is (e.g. "jurisdiction 'demo'"), the two
        fields where in it the name and the settings came from, so that every error
        points at the line someone has to fix.
        """
        try:
            found = load(cls.group, name)
        except AdapterConfigError as e:
            raise AdapterConfigError(f"{where}: {name_field}: {e}") from e
        if not issubclass(found, cls):
            raise AdapterConfigError(
                f"{where}: {name_field}: {cls.group} entry point {name!r} is "
                f"{found.__module__}.{found.__qualname__}, not a {cls.__name__}"
            )
        try:
            validated = found.Settings.model_validate(dict(settings))
        except ValidationError as e:
            raise AdapterConfigError(f"{where}: {describe(e, prefix=settings_field)}") from e
        return found(validated)


class Registered(NamedTuple):
    cls: type
    package: str


def _entry_points(group: str) -> dict[str, EntryPoint]:
    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=group):
        if ep.name in found:
            # Two packages claiming one name: picking either would be a silent choice of
            # which code reads court documents.
            raise AdapterConfigError(
                f"{group}: {ep.name!r} is registered twice: by {_package(found[ep.name])} "
                f"({found[ep.name].value}) and by {_package(ep)} ({ep.value})"
            )
        found[ep.name] = ep
    return found


def _package(ep: EntryPoint) -> str:
    return ep.dist.name if ep.dist is not None else ep.module


def _load(group: str, ep: EntryPoint) -> type:
    try:
        obj = ep.load()
    except Exception as e:
        raise AdapterConfigError(
            f"{group}: entry point {ep.name!r} = {ep.value!r} from {_package(ep)} "
            f"failed to load: {type(e).__name__}: {e}"
        ) from e
    if not isinstance(obj, type):
        raise AdapterConfigError(f"{group}: entry point {ep.name!r} = {ep.value!r} is not a class")
    return obj


def names(group: str) -> list[str]:
    """The registered names, without importing anything."""
    return sorted(_entry_points(group))


def available(group: str) -> dict[str, Registered]:
    """Every adapter in the group, loaded, with the package that registered it."""
    return {
        name: Registered(_load(group, ep), _package(ep))
        for name, ep in sorted(_entry_points(group).items())
    }


def available_package(group: str, name: str) -> str:
    """The distribution that registered `name`, without importing it."""
    return _package(_entry_points(group)[name])


def load(group: str, name: str) -> type:
    registered = _entry_points(group)
    ep = registered.get(name)
    if ep is None:
        known = ", ".join(sorted(registered)) or "none installed"
        raise AdapterConfigError(f"no {group} entry point named {name!r}; known: {known}")
    return _load(group, ep)


def describe(error: ValidationError, prefix: str = "") -> str:
    """Field paths and messages of a pydantic error; never the input values, which may be
    personal data that would otherwise end up in logs and quarantine sidecars."""
    parts = []
    for err in error.errors():
        path = ".".join(str(p) for p in (prefix, *err["loc"]) if p != "")
        parts.append(f"{path or '<document>'}: {err['msg']}")
    return "; ".join(parts)
