"""A case driven through the HTTP API only, as each role would; waiting for the workflow's
next step uses its `wait_for_change` long-poll (no sleeps)."""

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from api.dev_tokens import dev_token
from domain.case import CaseState
from domain.enums import Role
from tests.api.conftest import Api
from tests.jurisdictions import CO_FACILITATOR, FACILITATOR, HOME

FIXTURE = Path(__file__).parent.parent / "fixtures" / "referrals" / "demo-referral.json"
SOON = timedelta(seconds=2)
# A step of a case takes well under a second here; a minute without one is a hang.
CHANGE_SECONDS = 60.0


def referral(case_number: str | None = None, **changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    document["court"]["case_number"] = case_number or f"CR-API-{uuid.uuid4().hex[:8]}"
    document.update(changes)
    return document


async def wall_clock_reaches(moment: datetime) -> None:
    """A conference is held in real time and its outcome may only be recorded after it:
    on the real server that is the wall clock, not a workflow step to wait for."""
    await asyncio.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds()))


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


SCREENING = {
    "kind": "screen_case",
    "plea": "guilty",
    "responsibility_accepted": True,
    "risk": {"instrument": "ODARA", "score": 2},
}
VICTIM_CONSENT = {
    "kind": "victim_consent",
    "consents": True,
    "mode": "direct",
    "informed": True,
    "wants_progress_updates": True,
}
PARTICIPANT_CONSENT = {
    "kind": "participant_consent",
    "consents": True,
    "legal_advice_explained": True,
    "no_obligation_explained": True,
    "refusal_not_weighed_explained": True,
}
FACILITATORS = {"kind": "assign_facilitators", "facilitators": [FACILITATOR.id, CO_FACILITATOR.id]}
ADVOCATE = "Leilani Kahale"


class Walk:
    def __init__(self, api: Api, case_id: str, jurisdiction: str = HOME) -> None:
        self.api = api
        self.case_id = case_id
        self.jurisdiction = jurisdiction
        self.seen_version = 0

    def auth(self, role: Role, subject: str | None = None) -> dict[str, str]:
        """A token for `role`; a facilitator's is the first assigned one's account (only
        an assigned facilitator records meetings and outcomes), unless `subject` says."""
        if subject is None and role is not Role.FACILITATOR:
            return self.api.auth(role, [self.jurisdiction])
        token = dev_token(
            self.api.settings, role, [self.jurisdiction], subject=subject or FACILITATOR.sub
        )
        return {"Authorization": f"Bearer {token}"}

    @classmethod
    async def refer(cls, api: Api, **changes: Any) -> "Walk":
        response = await api.http.post(
            "/v1/referrals", json=referral(**changes), headers=api.auth(Role.CLERK)
        )
        assert response.status_code == 201, response.text
        return cls(api, response.json()["case"]["case_id"])

    async def view(self, role: Role = Role.COORDINATOR) -> dict[str, Any]:
        """The case as `role` reads it through the API. No view carries the workflow's
        version, so it is read from the case first: a change between the two reads only
        wakes the next `changed_since` early."""
        handle = self.api.client.get_workflow_handle(self.case_id)
        self.seen_version = (await handle.query("view", result_type=CaseState)).version
        response = await self.api.http.get(f"/v1/cases/{self.case_id}", headers=self.auth(role))
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    async def changed_since(self, case: dict[str, Any]) -> None:
        """Once the case has moved past `case`, the last one `view` read. A case
        that does not within `CHANGE_SECONDS` fails the test saying where it stands,
        rather than leaving the run to hang until pytest-timeout ends it."""
        handle = self.api.client.get_workflow_handle(self.case_id)
        try:
            async with asyncio.timeout(CHANGE_SECONDS):
                await handle.execute_update("wait_for_change", self.seen_version)
        except TimeoutError:
            waiting = [task["kind"] for task in case.get("tasks", []) if task["done_at"] is None]
            raise AssertionError(
                f"{self.case_id} stayed at version {self.seen_version} for {CHANGE_SECONDS:.0f} s:"
                f" stage {case['stage']}, outcome {case['outcome']}, open tasks {waiting}"
            ) from None

    async def wait_for(self, kind: str) -> str:
        """The id of the open task of `kind`, once the case has opened it."""
        while True:
            case = await self.view()
            for task in case["tasks"]:
                if task["kind"] == kind and task["done_at"] is None:
                    return str(task["id"])
            assert case["outcome"] is None, f"closed ({case['outcome']}) before {kind} opened"
            await self.changed_since(case)

    async def until_closed(self) -> dict[str, Any]:
        while (case := await self.view())["outcome"] is None:
            await self.changed_since(case)
        return case

    async def complete(
        self, role: Role, kind: str, payload: dict[str, Any], subject: str | None = None
    ) -> dict[str, Any]:
        task_id = await self.wait_for(kind)
        response = await self.api.http.post(
            f"/v1/tasks/{task_id}/complete", json=payload, headers=self.auth(role, subject)
        )
        assert response.status_code == 200, response.text
        done: dict[str, Any] = response.json()
        assert done["done_at"] is not None
        return done

    async def through_engagement(self) -> None:
        await self.complete(Role.COORDINATOR, "screen_case", SCREENING)
        await self.complete(Role.VICTIM_ADVOCATE, "victim_consent", VICTIM_CONSENT)
        await self.complete(Role.COORDINATOR, "participant_consent", PARTICIPANT_CONSENT)

    async def through_preparation(self) -> None:
        await self.through_engagement()
        await self.complete(Role.COORDINATOR, "assign_facilitators", FACILITATORS)
        today = iso(datetime.now(UTC))
        await self.complete(
            Role.FACILITATOR,
            "pre_meeting_victim",
            {"kind": "pre_meeting_victim", "held_on": today, "advocate_present": ADVOCATE},
        )
        await self.complete(
            Role.FACILITATOR,
            "pre_meeting_participant",
            {"kind": "pre_meeting_participant", "held_on": today},
            subject=CO_FACILITATOR.sub,
        )
        await self.complete(
            Role.VICTIM_ADVOCATE, "safety_plan", {"kind": "safety_plan", "in_place": True}
        )

    async def post(self, role: Role, what: str, body: dict[str, Any]) -> Any:
        return await self.api.http.post(
            f"/v1/cases/{self.case_id}/{what}", json=body, headers=self.auth(role)
        )
