"""A filing the court only received: the receipt says so (a folder court that calls back,
a REST court answering `pending`, an ECF receipt), and the court is asked later through
its transport (REST status) or not at all (folder: it calls back)."""

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from pydantic import ValidationError
from temporalio.testing import ActivityEnvironment

from activities.adapter_directory import AdapterDirectory
from activities.case_activities import CaseActivities
from activities.filing_activities import FilingActivities
from adapters.courts.base import FilingStatus
from adapters.courts.ecf4_format import Ecf4CourtFormat
from adapters.courts.json_format import JsonCourtFormat
from adapters.courts.rest_transport import RestCourtSettings
from adapters.courts.xml_settings import XmlFormatSettings
from domain.enums import ReportKind
from domain.filing_status import FilingStatusQuery, PolledStatus
from domain.policy import AdapterChoice, Jurisdiction
from tests.adapters.test_filing_activity import API, with_court
from tests.domain.factories import DEMO
from tests.rendering.samples import sample_report
from workflows.messages import FilingRequest

ECF4 = Path(__file__).parent.parent / "fixtures" / "courts" / "ecf4"
KEY = sample_report(ReportKind.PROGRESS).idempotency_key


@pytest.fixture
def court() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        yield router


def folder_court(root: Path, callbacks: bool) -> Jurisdiction:
    choice = AdapterChoice(settings={"transport": {"root": str(root), "callbacks": callbacks}})
    return DEMO.model_copy(update={"court": choice})


async def file(jurisdiction: Jurisdiction, tmp_path: Path) -> Any:
    activities = CaseActivities(
        AdapterDirectory({jurisdiction.id: jurisdiction}, outbox_dir=tmp_path)
    )
    request = FilingRequest(jurisdiction=jurisdiction, report=sample_report(ReportKind.PROGRESS))
    return await ActivityEnvironment().run(activities.file_report, request)


async def ask(jurisdiction: Jurisdiction, reference: str) -> PolledStatus:
    activities = FilingActivities(AdapterDirectory({jurisdiction.id: jurisdiction}))
    query = FilingStatusQuery(
        jurisdiction=jurisdiction.id, court_reference=reference, idempotency_key=KEY
    )
    return await ActivityEnvironment().run(activities.filing_status, query)


@pytest.mark.parametrize(("callbacks", "status"), [(True, "received"), (False, "accepted")])
async def test_a_folder_court_that_calls_back_has_only_received_the_filing(
    tmp_path: Path, callbacks: bool, status: str
) -> None:
    jurisdiction = folder_court(tmp_path / "court", callbacks)
    receipt = await file(jurisdiction, tmp_path)

    assert (receipt.status, receipt.accepted) == (status, True)
    [sent] = list((tmp_path / "court" / "outbox").iterdir())
    assert receipt.sent_hash == hashlib.sha256(sent.read_bytes()).hexdigest()
    # A drop folder cannot be asked: its court calls back.
    assert await ask(jurisdiction, receipt.court_reference) == PolledStatus()


async def test_a_rest_court_answering_pending_is_asked_later(
    court: respx.MockRouter, tmp_path: Path
) -> None:
    pending = {"court_reference": "DCDC-F-2026-00913", "accepted": False, "pending": True}
    court.post(f"{API}/filings").mock(return_value=httpx.Response(202, json=pending))
    rejected = {"court_reference": "DCDC-F-2026-00913", "accepted": False, "reason": "unsigned"}
    asked = court.get(f"{API}/filings/DCDC-F-2026-00913").mock(
        side_effect=[httpx.Response(200, json=pending), httpx.Response(200, json=rejected)]
    )
    jurisdiction = with_court("json", "rest", {"transport": {"base_url": API}})

    receipt = await file(jurisdiction, tmp_path)
    assert (receipt.status, receipt.court_reference) == ("received", "DCDC-F-2026-00913")
    assert await ask(jurisdiction, receipt.court_reference) == PolledStatus(status="received")
    assert await ask(jurisdiction, receipt.court_reference) == PolledStatus(
        status="rejected", reason="unsigned"
    )
    assert asked.call_count == 2


async def test_a_rest_court_is_asked_at_its_own_location_for_the_filing(
    court: respx.MockRouter,
) -> None:
    location = f"{API}/dockets/17/filings/F%2F2026%2F9"
    court.get(location).mock(
        return_value=httpx.Response(200, json={"court_reference": "F/2026/9", "accepted": True})
    )
    jurisdiction = with_court("json", "rest", {"transport": {"base_url": API}})
    assert await ask(jurisdiction, location) == PolledStatus(status="accepted")


def test_a_status_path_may_name_only_the_court_reference() -> None:
    with pytest.raises(ValidationError, match=r"may hold only \{court_reference\}"):
        RestCourtSettings.model_validate({"base_url": API, "status_path": "/f/{case_number}"})
    settings = RestCourtSettings.model_validate(
        {"base_url": API, "status_path": "/s/{court_reference}"}
    )
    assert settings.status_path == "/s/{court_reference}"


def test_a_status_both_received_and_accepted_is_refused() -> None:
    document = {"court_reference": "X-1", "accepted": True, "pending": True}
    with pytest.raises(Exception, match="only received \\(pending\\) is not yet accepted"):
        JsonCourtFormat(JsonCourtFormat.Settings()).parse_filing_status(
            json.dumps(document).encode()
        )
    assert FilingStatus(court_reference="X-1", accepted=False, pending=True).state == "received"
    assert FilingStatus(court_reference="X-1", accepted=False).state == "rejected"


def test_an_ecf_callback_names_its_case_and_may_say_only_received() -> None:
    fmt = Ecf4CourtFormat(XmlFormatSettings(court_id="demo-county-district-court"))
    rejected = fmt.parse_filing_status((ECF4 / "status-rejected-docketing.xml").read_bytes())
    assert (rejected.state, rejected.case_number) == ("rejected", "HC-CR-2026-003158")
    received = (
        (ECF4 / "status-accepted-docketed.xml").read_bytes().replace(b">docketed<", b">submitted<")
    )
    status = fmt.parse_filing_status(received)
    assert (status.state, status.court_reference) == ("received", "HRCC-F-2026-11873")
    receipt = fmt.parse_filing_status((ECF4 / "status-received-receipt.xml").read_bytes())
    assert (receipt.state, receipt.case_number) == ("received", None)
