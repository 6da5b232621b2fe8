"""The one place requests to another agency's API are sent.

Every request carries `X-Correlation-ID` (a uuid4 per logical request, the same on each
of its retries, quoted in every error so staff and the peer can find the exchange in
each other's logs) and, when the caller has one, `Idempotency-Key`.

No personal data in URLs: URLs end up in proxy, gateway and server logs that nobody here
controls, so only our ids, court ids and case/docket numbers may appear in a path or
query string. Callers build URLs from those alone; anything else travels in the body.

What is handled here, so that every adapter behaves the same:
- OAuth2 bearer tokens (`oauth`); a 401 drops the token and the request is sent once
  more with a fresh one; a second 401 is an `AdapterError`.
- 429 and 503 are honoured in-process: we wait `Retry-After` (seconds or an HTTP date;
  `DEFAULT_BUSY_WAIT` when absent) up to `max_retry_after_seconds`, at most
  `retries_on_busy` times. A longer wait, or retries run out, raise `PeerBusy`, saying
  when the peer asked us to come back; the Temporal activity retry takes it from there.
- Network failures and timeouts become an `AdapterError` naming the host (no path, no
  query string) and the kind of failure; other statuses one naming the status and a
  short reason read from a JSON or XML problem body.

Redirects are not followed: a peer's API does not move without telling us, and a
request (with its bearer token) must not be replayed to somewhere we did not configure.
"""

import asyncio
import email.utils
import json
import logging
import re
import ssl
import time
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import httpx

from adapters.errors import AdapterConfigError, AdapterError
from adapters.http import host_of, unreachable
from adapters.http.oauth import ClientCredentialsToken
from adapters.http.settings import HttpSettings, OAuth2ClientCredentials
from adapters.xml.hardened import XmlLimits, XmlRefused, parse_xml

log = logging.getLogger(__name__)

CORRELATION_ID = "X-Correlation-ID"
IDEMPOTENCY_KEY = "Idempotency-Key"
BUSY_STATUSES = (429, 503)
DEFAULT_BUSY_WAIT = 1.0  # seconds, for a 429/503 that does not say how long
_REASON_LENGTH = 120
_PROBLEM_XML_LIMITS = XmlLimits(max_bytes=256 * 1024)
# Preferred first: a problem's `title` names the kind of problem, `detail` this occurrence,
# so `detail` is the likelier to quote the peer's data back.
_REASON_FIELDS = ("title", "error", "faultstring", "Text", "message", "detail")


class PeerBusy(AdapterError):
    """The peer asked us to come back later (429/503) than we wait in-process."""

    def __init__(self, message: str, come_back_at: datetime) -> None:
        super().__init__(message)
        self.come_back_at = come_back_at


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class HttpClock:
    """Time as the client sees it, injectable so tests neither sleep nor wait for expiry."""

    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    monotonic: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = field(default=_utc_now)


class HttpClient:
    """One connection pool (created on first use) and one token for one peer."""

    def __init__(
        self, settings: HttpSettings, *, peer: str, clock: HttpClock = HttpClock()
    ) -> None:
        self.settings = settings
        self.peer = peer  # how errors name the other side: "the court"
        self._clock = clock
        self._client: httpx.AsyncClient | None = None
        self._tokens: ClientCredentialsToken | None = None

    async def request(
        self,
        method: str,
        url: str,
        *,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        idempotency_key: str | None = None,
        accept_statuses: Collection[int] = (),
    ) -> httpx.Response:
        """The peer's response: a 2xx, or one of `accept_statuses` the caller reads itself.

        Anything else raises `AdapterError` (`PeerBusy` for 429/503 beyond what we wait).
        """
        sent_headers = {**(headers or {}), CORRELATION_ID: str(uuid4())}
        if idempotency_key is not None:
            sent_headers[IDEMPOTENCY_KEY] = idempotency_key
        busy_retries = 0
        token_refused = False
        while True:
            token = await self._bearer()
            if token is not None:
                sent_headers["Authorization"] = f"Bearer {token}"
            response = await self._send(method, url, content, sent_headers)
            status = response.status_code
            if status == 401 and token is not None and not token_refused:
                self._token_source().invalidate(token)
                token_refused = True
            elif status == 401:
                raise AdapterError(
                    f"{self.peer} refused our credentials (HTTP 401; "
                    f"correlation id {sent_headers[CORRELATION_ID]})"
                )
            elif status in BUSY_STATUSES:
                await self._wait_while_busy(response, busy_retries)
                busy_retries += 1
            elif response.is_success or status in accept_statuses:
                return response
            else:
                raise refused(response, self.peer)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _send(
        self, method: str, url: str, content: bytes | None, headers: Mapping[str, str]
    ) -> httpx.Response:
        request = self._http().build_request(method, url, content=content, headers=headers)
        try:
            return await self._http().send(request)
        except httpx.TransportError as e:
            raise unreachable(e, self.peer, request.url) from None

    async def _wait_while_busy(self, response: httpx.Response, retries_done: int) -> None:
        now = self._clock.now()
        asked = retry_after_seconds(response.headers.get("Retry-After"), now)
        wait = DEFAULT_BUSY_WAIT if asked is None else asked
        come_back_at = now + timedelta(seconds=wait)
        busy = (
            f"{self.peer} is busy (HTTP {response.status_code}) and asked us to come back in "
            f"{wait:.0f} s, at {come_back_at:%Y-%m-%dT%H:%M:%SZ}"
        )
        cid = response.request.headers.get(CORRELATION_ID)
        cap = self.settings.max_retry_after_seconds
        if wait > cap:
            raise PeerBusy(
                f"{busy}: longer than the {cap:.0f} s we wait in-process; correlation id {cid}",
                come_back_at,
            )
        if retries_done >= self.settings.retries_on_busy:
            raise PeerBusy(
                f"{busy}, after {retries_done} retries already; correlation id {cid}",
                come_back_at,
            )
        log.warning(
            "%s at %s busy (HTTP %d); retrying in %.1f s; correlation id %s",
            self.peer,
            host_of(response.request.url),
            response.status_code,
            wait,
            cid,
        )
        await self._clock.sleep(wait)

    async def _bearer(self) -> str | None:
        if not isinstance(self.settings.auth, OAuth2ClientCredentials):
            return None
        return await self._token_source().bearer()

    def _token_source(self) -> ClientCredentialsToken:
        if self._tokens is None:
            if not isinstance(self.settings.auth, OAuth2ClientCredentials):
                raise AssertionError("a token source without OAuth2 settings")
            self._tokens = ClientCredentialsToken(
                self.settings.auth,
                timeout_seconds=self.settings.timeout_seconds,
                verify=tls_verify(self.settings),
                monotonic=self._clock.monotonic,
            )
        return self._tokens

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=self.settings.timeout_seconds,
                verify=tls_verify(self.settings),
                follow_redirects=False,
            )
        return self._client


def tls_verify(settings: HttpSettings) -> ssl.SSLContext | bool:
    """The TLS context for `settings`: the court's CA instead of the system's when given
    (a private CA must not widen to every public one), our client certificate when given."""
    if settings.ca_bundle is None and settings.client_cert is None:
        return True
    try:
        context = ssl.create_default_context(
            cafile=str(settings.ca_bundle) if settings.ca_bundle else None
        )
    except (ssl.SSLError, OSError) as e:
        raise AdapterConfigError(f"ca_bundle: cannot be loaded ({type(e).__name__})") from None
    if settings.client_cert is not None:
        try:
            context.load_cert_chain(
                settings.client_cert, settings.client_key if settings.client_key else None
            )
        except (ssl.SSLError, OSError) as e:
            raise AdapterConfigError(
                f"client_cert/client_key: cannot be loaded ({type(e).__name__})"
            ) from None
    return context


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a `Retry-After` header (delay-seconds or HTTP-date); None when
    absent or unreadable. A date in the past means now."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000" means UTC with no claim about local time
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def refused(response: httpx.Response, peer: str) -> AdapterError:
    """The error for a status the caller cannot use, with a short reason when the body is
    a JSON or XML problem document."""
    reason = problem_reason(response)
    return AdapterError(
        f"{peer} answered HTTP {response.status_code}"
        + (f": {reason}" if reason else "")
        + f"; correlation id {response.request.headers.get(CORRELATION_ID)}"
    )


def problem_reason(response: httpx.Response) -> str | None:
    media_type = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if media_type.endswith("json"):
        found = _json_reason(response.content)
    elif media_type.endswith("xml"):
        found = _xml_reason(response.content)
    else:
        return None
    if found is None:
        return None
    short = re.sub(r"\s+", " ", found).strip()
    return short if len(short) <= _REASON_LENGTH else short[: _REASON_LENGTH - 1] + "…"


def _json_reason(body: bytes) -> str | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    for name in _REASON_FIELDS:
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _xml_reason(body: bytes) -> str | None:
    try:
        root = parse_xml(body, limits=_PROBLEM_XML_LIMITS)
    except XmlRefused:
        return None
    texts: dict[str, str] = {}
    for element in root.iter():
        if isinstance(element.tag, str) and element.text and element.text.strip():
            texts.setdefault(element.tag.rsplit("}", 1)[-1], element.text)
    return next((texts[name] for name in _REASON_FIELDS if name in texts), None)
