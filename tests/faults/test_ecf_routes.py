"""The fault run's ECF court answers by one route: callbacks only (never asked), or
GetFilingStatus asked every few seconds (a run lasts minutes, not the policy's hours)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from activities.adapter_directory import AdapterDirectory
from adapters.courts.soap_transport import SoapTransport
from domain.policy import load_jurisdictions
from tests.faults.jurisdictions import ECF_COURT, REST_COURT, faults_jurisdictions_file

COURT_URL = "http://127.0.0.1:9"


def test_the_callback_route_never_asks_the_court(tmp_path: Path) -> None:
    jurisdictions = load_jurisdictions(faults_jurisdictions_file(tmp_path, COURT_URL))
    transport = AdapterDirectory(jurisdictions).court(ECF_COURT).transport
    assert isinstance(transport, SoapTransport) and not transport.settings.status_query
    assert jurisdictions[ECF_COURT].policy.court_answer.hourly_for_hours == 24


def test_the_status_query_route_asks_within_seconds(tmp_path: Path) -> None:
    path = faults_jurisdictions_file(tmp_path, COURT_URL, "status_query")
    jurisdictions = load_jurisdictions(path)
    transport = AdapterDirectory(jurisdictions).court(ECF_COURT).transport
    assert isinstance(transport, SoapTransport) and transport.settings.status_query
    cadence = jurisdictions[ECF_COURT].policy.court_answer
    filed = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)
    assert cadence.next_ask(filed, filed) - filed < timedelta(seconds=10)
    # The REST court answers at once: its cadence is left as it was.
    assert jurisdictions[REST_COURT].policy.court_answer.hourly_for_hours == 24
