"""Shared outbound HTTP: bearer tokens, 401 retry, Retry-After, failures named by host.

All exchanges are mocked with respx (unmocked requests fail); time is a `FakeTime`, so
nothing sleeps and token expiry is reached by moving a number.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from pydantic import ValidationError

from adapters.errors import AdapterError
from adapters.http.client import (
    CORRELATION_ID,
    HttpClient,
    HttpClock,
    PeerBusy,
    retry_after_seconds,
)
from adapters.http.settings import HttpApiSettings

API = "https://api.court.example/v1"
TOKEN_URL = "https://login.court.example/oauth2/token"
SECRET_ENV = "DEMO_COURT_CLIENT_SECRET"
SECRET = "invented-client-secret-7f3a"


class FakeTime:
    """Monotonic and wall time that only move when a test says so; sleeps are recorded."""

    def __init__(self) -> None:
        self.monotonic_now = 1000.0
        self.wall = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
        self.waits: list[float] = []

    def monotonic(self) -> float:
        return self.monotonic_now

    def now(self) -> datetime:
        return self.wall

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)

    def clock(self) -> HttpClock:
        return HttpClock(sleep=self.sleep, monotonic=self.monotonic, now=self.now)


def oauth_settings(**overrides: Any) -> dict[str, Any]:
    return {
        "type": "oauth2_client_credentials",
        "token_url": TOKEN_URL,
        "client_id": "restorative-diversion-demo",
        "client_secret_env": SECRET_ENV,
        "scope": "filings.write",
        "audience": "urn:example:court-api",
        **overrides,
    }


def token_reply(value: str, expires_in: int | None = 3600) -> httpx.Response:
    body: dict[str, Any] = {"access_token": value, "token_type": "Bearer"}
    if expires_in is not None:
        body["expires_in"] = expires_in
    return httpx.Response(200, json=body)


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(SECRET_ENV, SECRET)
    return SECRET


@pytest.fixture
def court() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


def client(time: FakeTime, *, oauth: bool = True, **settings: Any) -> HttpClient:
    raw: dict[str, Any] = {"base_url": API, **settings}
    if oauth:
        raw["auth"] = oauth_settings()
    return HttpClient(HttpApiSettings.model_validate(raw), peer="the court", clock=time.clock())


def bearer(request: httpx.Request) -> str:
    return request.headers["Authorization"]


# --- OAuth2 client credentials ---------------------------------------------------------


async def test_one_token_serves_several_requests(
    court: respx.MockRouter, time: FakeTime, secret: str
) -> None:
    token = court.post(TOKEN_URL).mock(return_value=token_reply("tok-1"))
    api = court.get(f"{API}/cases/CR-2026-00417").mock(return_value=httpx.Response(200))
    http = client(time)
    for _ in range(3):
        await http.request("GET", f"{API}/cases/CR-2026-00417")
    assert token.call_count == 1
    assert [bearer(call.request) for call in api.calls] == ["Bearer tok-1"] * 3
    sent = token.calls[0].request
    form = parse_qs(sent.content.decode())
    assert form["grant_type"] == ["client_credentials"]
    assert form["scope"] == ["filings.write"]
    assert form["audience"] == ["urn:example:court-api"]
    assert sent.headers["Authorization"].startswith("Basic ")  # client_secret_basic
    await http.aclose()


async def test_a_token_is_fetched_again_shortly_before_it_expires(
    court: respx.MockRouter, time: FakeTime, secret: str
) -> None:
    token = court.post(TOKEN_URL).mock(
        side_effect=[token_reply("tok-1", expires_in=300), token_reply("tok-2")]
    )
    api = court.get(f"{API}/ping").mock(return_value=httpx.Response(200))
    http = client(time)
    await http.request("GET", f"{API}/ping")
    time.monotonic_now += 260  # within the lifetime, before the early-refresh margin
    await http.request("GET", f"{API}/ping")
    time.monotonic_now += 15  # 275 s: inside the last 30 s of 300
    await http.request("GET", f"{API}/ping")
    assert token.call_count == 2
    assert [bearer(c.request) for c in api.calls] == [
        "Bearer tok-1",
        "Bearer tok-1",
        "Bearer tok-2",
    ]


async def test_a_401_drops_the_token_and_retries_once_with_a_fresh_one(
    court: respx.MockRouter, time: FakeTime, secret: str
) -> None:
    token = court.post(TOKEN_URL).mock(side_effect=[token_reply("tok-1"), token_reply("tok-2")])
    api = court.post(f"{API}/filings").mock(
        side_effect=[httpx.Response(401), httpx.Response(201, json={"court_reference": "F-1"})]
    )
    response = await client(time).request(
        "POST", f"{API}/filings", content=b"{}", idempotency_key="k-1"
    )
    assert response.status_code == 201
    assert token.call_count == 2
    first, second = (c.request for c in api.calls)
    assert (bearer(first), bearer(second)) == ("Bearer tok-1", "Bearer tok-2")
    assert first.headers[CORRELATION_ID] == second.headers[CORRELATION_ID]
    assert second.headers["Idempotency-Key"] == "k-1"


async def test_a_second_401_is_refused_credentials_without_the_token_or_secret(
    court: respx.MockRouter, time: FakeTime, secret: str
) -> None:
    court.post(TOKEN_URL).mock(side_effect=[token_reply("tok-1"), token_reply("tok-2")])
    api = court.get(f"{API}/ping").mock(return_value=httpx.Response(401))
    with pytest.raises(AdapterError, match="the court refused our credentials") as raised:
        await client(time).request("GET", f"{API}/ping")
    assert api.call_count == 2
    for private in ("tok-1", "tok-2", SECRET):
        assert private not in str(raised.value)


async def test_a_token_endpoint_refusal_names_the_oauth_error_only(
    court: respx.MockRouter, time: FakeTime, secret: str
) -> None:
    court.post(TOKEN_URL).mock(
        return_value=httpx.Response(
            401, json={"error": "invalid_client", "error_description": f"bad secret {SECRET}"}
        )
    )
    api = court.get(f"{API}/ping")
    with pytest.raises(AdapterError, match="refused our client credentials: invalid_client") as e:
        await client(time).request("GET", f"{API}/ping")
    assert SECRET not in str(e.value)
    assert not api.called


# --- 429 / 503 and Retry-After ---------------------------------------------------------


async def test_503_with_retry_after_seconds_waits_that_long_then_succeeds(
    court: respx.MockRouter, time: FakeTime
) -> None:
    api = court.get(f"{API}/ping").mock(
        side_effect=[httpx.Response(503, headers={"Retry-After": "2"}), httpx.Response(200)]
    )
    response = await client(time, oauth=False).request("GET", f"{API}/ping")
    assert response.status_code == 200
    assert time.waits == [2.0]
    assert api.call_count == 2


async def test_429_with_an_http_date_waits_until_that_date(
    court: respx.MockRouter, time: FakeTime
) -> None:
    come_back = format_datetime(time.wall + timedelta(seconds=7), usegmt=True)
    court.get(f"{API}/ping").mock(
        side_effect=[httpx.Response(429, headers={"Retry-After": come_back}), httpx.Response(200)]
    )
    await client(time, oauth=False).request("GET", f"{API}/ping")
    assert time.waits == [7.0]


async def test_a_retry_after_beyond_the_cap_is_an_error_without_waiting(
    court: respx.MockRouter, time: FakeTime
) -> None:
    api = court.get(f"{API}/ping").mock(
        return_value=httpx.Response(503, headers={"Retry-After": "120"})
    )
    with pytest.raises(PeerBusy, match=r"come back in 120 s, at 2026-05-04T09:32:00Z") as e:
        await client(time, oauth=False, max_retry_after_seconds=30).request("GET", f"{API}/ping")
    assert e.value.come_back_at == time.wall + timedelta(seconds=120)
    assert time.waits == []
    assert api.call_count == 1


async def test_busy_retries_run_out(court: respx.MockRouter, time: FakeTime) -> None:
    api = court.get(f"{API}/ping").mock(
        return_value=httpx.Response(503, headers={"Retry-After": "1"})
    )
    with pytest.raises(PeerBusy, match="after 2 retries"):
        await client(time, oauth=False, retries_on_busy=2).request("GET", f"{API}/ping")
    assert time.waits == [1.0, 1.0]
    assert api.call_count == 3


def test_retry_after_forms() -> None:
    now = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
    assert retry_after_seconds("  3 ", now) == 3.0
    assert retry_after_seconds("Mon, 04 May 2026 09:29:00 GMT", now) == 0.0  # in the past
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


# --- failures ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (httpx.ConnectError("refused"), "could not connect"),
        (httpx.ReadTimeout("slow"), "timed out"),
    ],
)
async def test_network_failures_name_the_host_and_kind_not_the_path(
    court: respx.MockRouter, time: FakeTime, error: Exception, kind: str
) -> None:
    court.get(url__startswith=f"{API}/cases/").mock(side_effect=error)
    with pytest.raises(AdapterError) as raised:
        await client(time, oauth=False).request("GET", f"{API}/cases/CR-2026-00417?view=full")
    message = str(raised.value)
    assert "the court at api.court.example" in message
    assert kind in message
    assert "CR-2026-00417" not in message and "view=full" not in message


async def test_a_problem_body_gives_its_title_not_its_detail(
    court: respx.MockRouter, time: FakeTime
) -> None:
    court.post(f"{API}/filings").mock(
        return_value=httpx.Response(
            422,
            headers={"Content-Type": "application/problem+json"},
            json={"title": "Filing rejected", "detail": "Party Jane Invented not in case"},
        )
    )
    with pytest.raises(AdapterError, match=r"HTTP 422: Filing rejected; correlation id ") as e:
        await client(time, oauth=False).request("POST", f"{API}/filings", content=b"{}")
    assert "Jane" not in str(e.value)


async def test_an_xml_error_body_gives_a_short_reason(
    court: respx.MockRouter, time: FakeTime
) -> None:
    body = b"<error xmlns='urn:example'><message>Docket   closed</message></error>"
    court.get(f"{API}/ping").mock(
        return_value=httpx.Response(400, headers={"Content-Type": "application/xml"}, content=body)
    )
    with pytest.raises(AdapterError, match="HTTP 400: Docket closed;"):
        await client(time, oauth=False).request("GET", f"{API}/ping")


# --- settings ------------------------------------------------------------------------------


def test_https_is_required_unless_insecure_http_is_allowed() -> None:
    with pytest.raises(ValidationError, match="base_url must use https"):
        HttpApiSettings(base_url="http://localhost:8081/court")
    allowed = HttpApiSettings(base_url="http://localhost:8081/court/", allow_insecure_http=True)
    assert allowed.base_url == "http://localhost:8081/court"


def test_credentials_in_a_url_are_refused_without_echoing_them() -> None:
    with pytest.raises(ValidationError, match="must not carry credentials") as e:
        HttpApiSettings(base_url="https://user:hunter2@api.court.example")
    # The message is what reaches logs (adapters.registry.describe); pydantic's own
    # rendering of the input is not used there.
    assert all("hunter2" not in err["msg"] for err in e.value.errors())


def test_a_token_url_must_be_https_too(secret: str) -> None:
    with pytest.raises(ValidationError, match="token_url must use https"):
        HttpApiSettings.model_validate(
            {"base_url": API, "auth": oauth_settings(token_url="http://login.court.example/t")}
        )


def test_a_missing_client_certificate_names_the_field(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as e:
        HttpApiSettings(base_url=API, client_cert=tmp_path / "absent.crt")
    [error] = e.value.errors()
    assert error["loc"] == ("client_cert",)
    assert "no such file" in error["msg"]


def test_a_client_key_needs_a_client_certificate(tmp_path: Path) -> None:
    key = tmp_path / "demo.key"
    key.write_text("invented", encoding="utf-8")
    with pytest.raises(ValidationError, match="client_key is set without client_cert"):
        HttpApiSettings(base_url=API, client_key=key)


def test_a_secret_pasted_as_the_variable_name_is_not_echoed() -> None:
    pasted = "s3cr3t-Value-Pasted"
    with pytest.raises(ValidationError, match="not the secret itself") as e:
        HttpApiSettings.model_validate(
            {"base_url": API, "auth": oauth_settings(client_secret_env=pasted)}
        )
    assert all(pasted not in err["msg"] for err in e.value.errors())
