"""The driver's HTTP client: every API process behind it, in turn, as a load balancer would
send them; a refused connection or a 5xx is counted and the call tried on the next process
until its patience runs out. Tokens are the dev tokens `diversion token` mints."""

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from api.dev_tokens import dev_token
from diversion.settings import Settings
from domain.enums import Role

PATIENCE_SECONDS = 120.0  # longer than a server restart or an API restart takes
RETRY_PAUSE = 0.25


class DriverFailure(Exception):
    """No API process answered within the call's patience: the run reports it."""


@dataclass
class ApiCounts:
    requests: int = 0
    http_5xx: int = 0
    # SOAP 1.1 faults answering a court's callback (HTTP 500 by that protocol): the court
    # sends it again. Counted apart, as they are answers, not the service failing.
    callback_faults: int = 0
    unreachable: int = 0  # connection refused or reset: an API process restarting
    by_status: dict[int, int] = field(default_factory=dict)
    # Seconds from the first try to the answer of each task completion that was answered.
    task_seconds: list[float] = field(default_factory=list)


class ApiPool:
    def __init__(self, urls: Sequence[str], settings: Settings, http: httpx.AsyncClient) -> None:
        self.urls = list(urls)
        self.settings = settings
        self.http = http
        self.counts = ApiCounts()
        self._turn = 0
        self._tokens: dict[tuple[Role, str, str | None], str] = {}

    def auth(self, role: Role, jurisdiction: str, subject: str | None = None) -> dict[str, str]:
        key = (role, jurisdiction, subject)
        if key not in self._tokens:
            self._tokens[key] = dev_token(
                self.settings, role, [jurisdiction], subject=subject or f"faults-{role.value}"
            )
        return {"Authorization": f"Bearer {self._tokens[key]}"}

    async def call(
        self,
        method: str,
        path: str,
        *,
        role: Role,
        jurisdiction: str,
        subject: str | None = None,
        json: Any = None,
        xml: bytes | None = None,
        patience: float = PATIENCE_SECONDS,
        once: bool = False,
    ) -> httpx.Response | None:
        """The first answer below 500 from any API process; None when `once` and the one
        try failed (the caller reads the case again before deciding anything twice)."""
        started = time.monotonic()
        deadline = started + patience
        headers = self.auth(role, jurisdiction, subject)
        if xml is not None:
            headers = headers | {"Content-Type": "application/xml"}
        while True:
            url = self.urls[self._turn % len(self.urls)]
            self._turn += 1
            self.counts.requests += 1
            try:
                response = await self.http.request(
                    method, url + path, json=json, content=xml, headers=headers
                )
            except httpx.TransportError:
                self.counts.unreachable += 1
            else:
                status = response.status_code
                self.counts.by_status[status] = self.counts.by_status.get(status, 0) + 1
                if status < 500:
                    if path.endswith("/complete") and status == 200:
                        self.counts.task_seconds.append(time.monotonic() - started)
                    return response
                if _is_soap_fault(response):
                    self.counts.callback_faults += 1
                else:
                    self.counts.http_5xx += 1
            if once:
                return None
            if time.monotonic() > deadline:
                raise DriverFailure(f"{method} {path}: no API process answered in {patience:.0f} s")
            await asyncio.sleep(RETRY_PAUSE)  # another process, or this one back up


def _is_soap_fault(response: httpx.Response) -> bool:
    return (
        response.status_code == 500
        and "xml" in response.headers.get("content-type", "")
        and b":Fault>" in response.content
    )
