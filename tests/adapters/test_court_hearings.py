"""A court adapter pulls a case's hearings as the court lists them now (DESIGN §7 pull);
only the hearings leave the adapter, never the rest of the court's document."""

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx

from adapters.courts.court_adapter import court_adapter_for
from domain.policy import DEMO_FILE, Jurisdiction, load_jurisdictions
from tests.adapters.test_http_client import API

REFERRAL = Path(__file__).parent.parent / "fixtures" / "referrals" / "demo-referral.json"
DEMO = load_jurisdictions(DEMO_FILE)["demo"]


def jurisdiction(transport: str, settings: dict[str, object]) -> Jurisdiction:
    court = DEMO.court.model_copy(
        update={"format": "json", "transport": transport, "settings": {"transport": settings}}
    )
    return DEMO.model_copy(update={"court": court})


@pytest.fixture
def court() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


async def test_the_hearings_are_read_from_the_pulled_case(court: respx.MockRouter) -> None:
    document = json.loads(REFERRAL.read_text(encoding="utf-8"))
    document["court"]["hearings"] = [
        {"at": "2027-02-03T15:30:00Z", "purpose": "review of the agreement"},
        {"at": "2027-04-07T16:00:00Z", "purpose": "sentencing"},
    ]
    number = document["court"]["case_number"]
    court.get(f"{API}/cases/{number}").mock(return_value=httpx.Response(200, json=document))
    adapter = court_adapter_for(jurisdiction("rest", {"base_url": API}))

    hearings = await adapter.hearings(document["court"]["court_id"], number)

    assert hearings is not None
    assert [(h.at.isoformat(), h.purpose) for h in hearings] == [
        ("2027-02-03T15:30:00+00:00", "review of the agreement"),
        ("2027-04-07T16:00:00+00:00", "sentencing"),
    ]


async def test_a_case_the_court_no_longer_has_is_none(court: respx.MockRouter) -> None:
    court.get(f"{API}/cases/CR-2026-99999").mock(return_value=httpx.Response(404))
    adapter = court_adapter_for(jurisdiction("rest", {"base_url": API}))
    assert await adapter.hearings("demo-court", "CR-2026-99999") is None


async def test_a_drop_folder_cannot_pull(tmp_path: Path) -> None:
    adapter = court_adapter_for(jurisdiction("folder", {"root": str(tmp_path)}))
    assert await adapter.hearings("demo-court", "CR-2026-00417") is None
