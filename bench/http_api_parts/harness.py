"""What the phases share: building referrals and tokens, starting cases, waiting on them."""

import asyncio
import json
import math
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from temporalio.client import Client, WorkflowHandle

from api.dev_tokens import dev_token
from diversion.cases import start_case
from diversion.settings import Settings
from domain.case import CaseState
from domain.enums import Outcome, Role
from domain.policy import Jurisdiction
from domain.referral import Referral
from workflows import search_attributes as sa
from workflows.case import DiversionCase

ROOT = Path(__file__).resolve().parents[2]
REFERRAL_FIXTURE = ROOT / "tests" / "fixtures" / "referrals" / "demo-referral.json"
INGEST_CONCURRENCY = 16
# Seconds between visibility counts while waiting for the index: a count over thousands of
# cases costs the dev server tens of ms, taken from the worker on a small machine.
POLL_EVERY = 0.1
DRAIN_LIMIT = 600.0  # seconds the worker may take to open the tasks of started cases

Handle = WorkflowHandle[DiversionCase, Outcome]


class BenchFailure(Exception):
    """The API answered wrongly: the bench reports it and exits non-zero."""


def open_coordinator_query(jurisdiction: str) -> str:
    return (
        f"{sa.OPEN_TASK_ROLES.name} IN ('coordinator') AND ExecutionStatus = 'Running'"
        f" AND {sa.JURISDICTION.name} = '{jurisdiction}'"
    )


@dataclass
class Bench:
    settings: Settings
    client: Client
    http: httpx.AsyncClient
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    serial: int = 0
    open_in: dict[str, int] = field(default_factory=dict)  # cases expected with a coordinator task
    template: dict[str, Any] = field(
        default_factory=lambda: json.loads(REFERRAL_FIXTURE.read_text(encoding="utf-8"))
    )

    def __post_init__(self) -> None:
        self.jurisdictions: dict[str, Jurisdiction] = self.settings.jurisdictions()

    # -- building requests ----------------------------------------------------------------

    def referral_data(self, jurisdiction: str) -> dict[str, Any]:
        """The demo referral with a case number never used before."""
        self.serial += 1
        data: dict[str, Any] = json.loads(json.dumps(self.template))
        data["jurisdiction"] = jurisdiction
        data["court"]["case_number"] = f"CR-API-{self.tag}-{self.serial:06d}"
        return data

    def referral(self, jurisdiction: str) -> Referral:
        return Referral.model_validate(self.referral_data(jurisdiction))

    def auth(self, role: Role, jurisdiction: str) -> dict[str, str]:
        token = dev_token(self.settings, role, [jurisdiction], subject=f"bench-{role.value}")
        return {"Authorization": f"Bearer {token}"}

    # -- starting cases, and waiting for the worker ---------------------------------------

    async def start(self, referral: Referral) -> Handle:
        handle, started = await start_case(
            self.client,
            referral,
            self.jurisdictions[referral.jurisdiction],
            self.settings.task_queue,
        )
        if not started:
            raise BenchFailure(f"{handle.id} already existed")
        self.open_in[referral.jurisdiction] = self.open_in.get(referral.jurisdiction, 0) + 1
        return handle

    async def drain(
        self, jurisdiction: str, *, report_every: float | None = None, poll: float = POLL_EVERY
    ) -> float:
        """Wait until visibility counts every case started in `jurisdiction` with its
        coordinator task open (the worker has caught up); the seconds it took."""
        started = time.perf_counter()
        expected = self.open_in.get(jurisdiction, 0)
        query = open_coordinator_query(jurisdiction)
        next_report = started + (report_every or math.inf)
        while (count := (await self.client.count_workflows(query)).count) < expected:
            now = time.perf_counter()
            if now - started > DRAIN_LIMIT:
                raise BenchFailure(f"only {count} of {expected} {jurisdiction} cases have tasks")
            if now >= next_report:
                print(f"  ... {count} of {expected} cases counted with an open task", flush=True)
                next_report = now + (report_every or math.inf)
            await asyncio.sleep(poll)
        if count > expected:
            raise BenchFailure(f"{count} {jurisdiction} cases have tasks, expected {expected}")
        return time.perf_counter() - started

    async def until(
        self, handle: Handle, what: str, found: Callable[[CaseState], bool]
    ) -> CaseState:
        """Wait, without polling, until the case's view satisfies `found`."""
        while True:
            view = await handle.query(DiversionCase.view)
            if found(view):
                return view
            if view.outcome is not None:
                raise BenchFailure(f"{handle.id} closed ({view.outcome}) before {what}")
            await asyncio.wait_for(
                handle.execute_update(DiversionCase.wait_for_change, view.version), 60
            )
