"""The `rest` court transport: filings with an Idempotency-Key, case pulls by case number,
and settings errors that point at the jurisdiction's line to fix."""

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from adapters.courts.base import CaseQuery, CourtTransport, FilingDocument
from adapters.courts.rest_transport import RestCourtSettings, RestCourtTransport
from adapters.errors import AdapterConfigError, AdapterError
from adapters.http.client import CORRELATION_ID
from tests.adapters.test_http_client import API, FakeTime

KEY = "case-demo-CR-2026-00417:report:1"


@pytest.fixture
def court() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


def transport(time: FakeTime | None = None, **settings: Any) -> RestCourtTransport:
    return RestCourtTransport(
        RestCourtSettings.model_validate({"base_url": API, **settings}),
        clock=(time or FakeTime()).clock(),
    )


def filing(content: bytes = b'{"report": "invented"}') -> FilingDocument:
    return FilingDocument(
        filename="report.json",
        content_type="application/json",
        content=content,
        idempotency_key=KEY,
        document_hash=hashlib.sha256(content).hexdigest(),
    )


def from_registry(settings: dict[str, Any]) -> CourtTransport:
    return CourtTransport.from_registry(
        "rest",
        settings,
        where="jurisdiction 'demo'",
        name_field="court.transport",
        settings_field="court.settings.transport",
    )


# --- filing ---------------------------------------------------------------------------------


async def test_a_filing_keeps_its_correlation_id_and_idempotency_key_across_a_retry(
    court: respx.MockRouter,
) -> None:
    time = FakeTime()
    route = court.post(f"{API}/filings").mock(
        side_effect=[
            httpx.Response(503, headers={"Retry-After": "2"}),
            httpx.Response(201, headers={"Location": f"{API}/filings/DEMO-F-000123"}),
        ]
    )
    sent = await transport(time).send_filing(filing())
    assert sent.reference == f"{API}/filings/DEMO-F-000123"
    first, second = (call.request for call in route.calls)
    for request in (first, second):
        assert request.headers["Idempotency-Key"] == KEY
        assert request.headers["Content-Type"] == "application/json"
        assert request.content == b'{"report": "invented"}'
    assert first.headers[CORRELATION_ID] == second.headers[CORRELATION_ID]
    assert len(first.headers[CORRELATION_ID]) == 36  # a uuid
    assert time.waits == [2.0]


async def test_the_reference_comes_from_the_body_and_the_reply_is_the_body(
    court: respx.MockRouter,
) -> None:
    answer = {"court_reference": "DEMO-F-000124", "accepted": True}
    court.post(f"{API}/filings").mock(return_value=httpx.Response(200, json=answer))
    sent = await transport().send_filing(filing())
    assert sent.reference == "DEMO-F-000124"
    assert sent.reply is not None and json.loads(sent.reply) == answer


async def test_without_a_court_reference_the_key_is_the_reference(
    court: respx.MockRouter,
) -> None:
    court.post(f"{API}/v2-filings").mock(return_value=httpx.Response(202))
    sent = await transport(filings_path="/v2-filings").send_filing(filing())
    assert sent.reference == f"rest:{KEY}"
    assert sent.reply is None


async def test_a_409_that_says_already_filed_under_our_key_is_the_earlier_filing(
    court: respx.MockRouter,
) -> None:
    court.post(f"{API}/filings").mock(
        return_value=httpx.Response(
            409,
            json={
                "status": "already_filed",
                "idempotency_key": KEY,
                "court_reference": "DEMO-F-000123",
            },
        )
    )
    sent = await transport().send_filing(filing())
    assert sent.reference == "DEMO-F-000123"
    assert sent.reply is None


@pytest.mark.parametrize(
    "body",
    [
        {"status": "in_progress", "idempotency_key": KEY},
        {"status": "already_filed", "idempotency_key": "some-other-key"},
        "not json",
    ],
)
async def test_any_other_409_is_an_error_so_the_filing_is_retried(
    court: respx.MockRouter, body: Any
) -> None:
    court.post(f"{API}/filings").mock(
        return_value=httpx.Response(409, content=json.dumps(body).encode())
    )
    with pytest.raises(AdapterError, match="409 without saying this filing is already filed"):
        await transport().send_filing(filing())


# --- case pulls -----------------------------------------------------------------------------


async def test_a_case_is_pulled_by_its_url_encoded_number(court: respx.MockRouter) -> None:
    route = court.get(f"{API}/courts/DEMO-DIST-1/cases/CR%202026%2F00417").mock(
        return_value=httpx.Response(200, json={"case_number": "CR 2026/00417"})
    )
    pulled = await transport(case_path="/courts/{court_id}/cases/{case_number}").pull_case(
        CaseQuery(court_id="DEMO-DIST-1", case_number="CR 2026/00417")
    )
    assert pulled is not None and json.loads(pulled) == {"case_number": "CR 2026/00417"}
    assert route.called


async def test_an_unknown_case_is_none(court: respx.MockRouter) -> None:
    court.get(f"{API}/cases/CR-2026-99999").mock(return_value=httpx.Response(404))
    query = CaseQuery(court_id="DEMO-DIST-1", case_number="CR-2026-99999")
    assert await transport().pull_case(query) is None


# --- settings, as a jurisdiction's configuration reports them ----------------------------


def test_a_missing_secret_variable_names_the_jurisdiction_field_and_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DEMO_COURT_CLIENT_SECRET", raising=False)
    auth = {
        "type": "oauth2_client_credentials",
        "token_url": "https://login.court.example/oauth2/token",
        "client_id": "restorative-diversion-demo",
        "client_secret_env": "DEMO_COURT_CLIENT_SECRET",
    }
    with pytest.raises(AdapterConfigError) as raised:
        from_registry({"base_url": API, "auth": auth})
    message = str(raised.value)
    assert message.startswith("jurisdiction 'demo': court.settings.transport.auth.")
    assert "client_secret_env" in message
    assert "environment variable DEMO_COURT_CLIENT_SECRET (the client secret) is not set" in message


def test_http_is_refused_for_a_real_court() -> None:
    with pytest.raises(
        AdapterConfigError,
        match=r"jurisdiction 'demo': court.settings.transport.base_url: .*must use https",
    ):
        from_registry({"base_url": "http://api.court.example/v1"})


def test_a_missing_mtls_certificate_names_the_field(tmp_path: Path) -> None:
    with pytest.raises(
        AdapterConfigError, match=r"court.settings.transport.client_cert: .*no such file"
    ):
        from_registry({"base_url": API, "client_cert": str(tmp_path / "demo.crt")})


def test_the_registry_builds_a_rest_transport_with_defaults() -> None:
    built = from_registry({"base_url": API + "/"})
    assert isinstance(built, RestCourtTransport)
    assert built.settings.base_url == API
    assert (built.settings.filings_path, built.settings.case_path) == (
        "/filings",
        "/cases/{case_number}",
    )


@pytest.mark.parametrize(
    "case_path",
    [
        "/cases/{victim_name}",
        "/cases/{case_number!r}",
        "/cases/{case_number:>20}",
        "cases/{court_id}",
    ],
)
def test_a_case_path_may_hold_only_the_court_id_and_case_number(case_path: str) -> None:
    with pytest.raises(AdapterConfigError, match=r"court.settings.transport.case_path: "):
        from_registry({"base_url": API, "case_path": case_path})
