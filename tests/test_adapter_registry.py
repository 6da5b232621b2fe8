"""The entry-point registry and the per-jurisdiction factories built on it."""

from datetime import date
from importlib.metadata import EntryPoint
from typing import Any

import pytest

from adapters import registry
from adapters.courts.court_adapter import court_adapter_for
from adapters.courts.ecf4_format import Ecf4CourtFormat
from adapters.courts.folder_transport import FolderTransport
from adapters.courts.json_format import JsonCourtFormat
from adapters.errors import AdapterConfigError, AdapterError
from adapters.police.base import police_adapter_for
from adapters.police.nibrs_adapter import NibrsPoliceAdapter
from adapters.police.none_adapter import NoPoliceAdapter
from domain.policy import DEMO_FILE, AdapterChoice, Jurisdiction, PoliceChoice, load_jurisdictions
from domain.referral import Person

DEMO = load_jurisdictions(DEMO_FILE)["demo"]


def with_court(
    format: str = "json", transport: str = "folder", settings: dict[str, Any] | None = None
) -> Jurisdiction:
    choice = AdapterChoice(format=format, transport=transport, settings=settings or {})
    return DEMO.model_copy(update={"court": choice})


def with_police(adapter: str = "none", **settings: Any) -> Jurisdiction:
    return DEMO.model_copy(update={"police": PoliceChoice(adapter=adapter, settings=settings)})


@pytest.mark.parametrize(
    ("group", "name", "cls"),
    [
        (registry.COURT_FORMATS, "json", JsonCourtFormat),
        (registry.COURT_TRANSPORTS, "folder", FolderTransport),
        (registry.POLICE_ADAPTERS, "none", NoPoliceAdapter),
    ],
)
def test_built_ins_are_registered_by_our_package(group: str, name: str, cls: type) -> None:
    found = registry.available(group)
    assert found[name] == registry.Registered(cls, "restorative-diversion")
    assert registry.load(group, name) is cls
    assert cls.name == name  # type: ignore[attr-defined]


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(AdapterConfigError, match=r"'ecf9'.*known: .*json"):
        registry.load(registry.COURT_FORMATS, "ecf9")


def test_demo_jurisdiction_builds_its_adapters() -> None:
    adapter = court_adapter_for(DEMO)
    assert isinstance(adapter.format, Ecf4CourtFormat)  # ECF by drop folder, as make run shows
    assert isinstance(adapter.transport, FolderTransport)
    assert adapter.transport.root.is_absolute()
    assert adapter.transport.root.parts[-3:] == ("var", "court", "demo")
    assert isinstance(police_adapter_for(DEMO), NibrsPoliceAdapter)  # the demo police drop NIBRS


@pytest.mark.parametrize(
    ("jurisdiction", "expected"),
    [
        pytest.param(
            with_court(format="ecf9", settings={"transport": {"root": "x"}}),
            r"jurisdiction 'demo': court\.format: .*'ecf9'.*known: .*json",
            id="unknown-format",
        ),
        pytest.param(
            with_court(transport="carrier-pigeon"),
            r"jurisdiction 'demo': court\.transport: .*'carrier-pigeon'.*known: folder, rest, soap",
            id="unknown-transport",
        ),
        pytest.param(
            with_court(settings={"transport": {}}),
            r"jurisdiction 'demo': court\.settings\.transport\.root: Field required",
            id="missing-setting",
        ),
        pytest.param(
            with_court(settings={"transport": {"root": "x", "rot": "y"}}),
            r"jurisdiction 'demo': court\.settings\.transport\.rot: Extra inputs",
            id="misspelt-setting",
        ),
        pytest.param(
            with_court(settings={"format": {"indent": 2}, "transport": {"root": "x"}}),
            r"jurisdiction 'demo': court\.settings\.format\.indent: Extra inputs",
            id="setting-the-format-does-not-have",
        ),
        pytest.param(
            with_court(settings={"root": "var/court/demo"}),
            r"jurisdiction 'demo': court\.settings\.root: unknown key; .*split",
            id="flat-settings",
        ),
        pytest.param(
            with_court(settings={"transport": "var/court/demo"}),
            r"jurisdiction 'demo': court\.settings\.transport: expected a table",
            id="settings-not-a-table",
        ),
    ],
)
def test_bad_court_config_names_jurisdiction_and_field(
    jurisdiction: Jurisdiction, expected: str
) -> None:
    with pytest.raises(AdapterConfigError, match=expected):
        court_adapter_for(jurisdiction)


def test_bad_police_config_names_jurisdiction_and_field() -> None:
    with pytest.raises(AdapterConfigError, match=r"'demo': police\.adapter: .*known: .*none"):
        police_adapter_for(with_police("nibrs-rms"))
    with pytest.raises(AdapterConfigError, match=r"'demo': police\.settings\.url: Extra inputs"):
        police_adapter_for(with_police(url="https://rms.example"))


def fake_entry_points(monkeypatch: pytest.MonkeyPatch, *eps: EntryPoint) -> None:
    monkeypatch.setattr(
        registry, "entry_points", lambda group: [e for e in eps if e.group == group]
    )


def test_a_broken_entry_point_surfaces_with_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = EntryPoint("ecf4", "vendor_ecf.missing:Ecf4Format", registry.COURT_FORMATS)
    fake_entry_points(monkeypatch, broken)
    with pytest.raises(AdapterConfigError, match=r"'ecf4' = 'vendor_ecf\.missing:Ecf4Format'"):
        registry.available(registry.COURT_FORMATS)
    with pytest.raises(AdapterConfigError, match="failed to load: ModuleNotFoundError"):
        court_adapter_for(with_court(format="ecf4"))


def test_a_name_registered_twice_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    value = "adapters.courts.json_format:JsonCourtFormat"
    fake_entry_points(
        monkeypatch,
        EntryPoint("json", value, registry.COURT_FORMATS),
        EntryPoint("json", "vendor_json:Other", registry.COURT_FORMATS),
    )
    with pytest.raises(AdapterConfigError, match="'json' is registered twice"):
        registry.load(registry.COURT_FORMATS, "json")


def test_an_entry_point_of_the_wrong_kind_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    wrong = EntryPoint(
        "json", "adapters.police.none_adapter:NoPoliceAdapter", registry.COURT_FORMATS
    )
    fake_entry_points(monkeypatch, wrong)
    with pytest.raises(
        AdapterConfigError, match=r"court\.format: .*NoPoliceAdapter, not a CourtFormat"
    ):
        court_adapter_for(with_court(settings={"transport": {"root": "x"}}))


async def test_no_police_adapter_knows_no_incidents() -> None:
    adapter = police_adapter_for(DEMO.model_copy(update={"police": PoliceChoice(adapter="none")}))
    person = Person(given_name="Darnell", family_name="Okafor")
    assert await adapter.incidents_for(person, date(2026, 1, 1)) == []
    with pytest.raises(AdapterError, match="this jurisdiction has no police adapter"):
        adapter.parse_incident(b"<nibrs:Submission/>", "application/xml")
