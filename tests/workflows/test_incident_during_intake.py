"""An incident pushed while intake is still asking the police for the participant's
record is kept, whatever the police answer then holds, and is a safety event: the case
is suspended and resumes into screening once the safety review allows."""

import asyncio
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from temporalio import activity
from temporalio.testing import WorkflowEnvironment

from activities.case_activities import CaseActivities
from domain.enums import SafetyEventKind, Stage
from domain.referral import Incident
from tests.workflows.conftest import harness_adapters, notification_activities, running_harness
from workflows.case import DiversionCase
from workflows.messages import IncidentQuery

ON_RECORD = Incident(
    incident_number="2019-000118", occurred_on=date(2019, 6, 2), offense_codes=["13B"]
)
PUSHED = Incident(
    incident_number="2026-004977",
    occurred_on=date(2026, 11, 24),
    offense_codes=["13B"],
    domestic_violence=True,
)


class HeldPoliceCheck(CaseActivities):
    """The police check, held open until the test lets it answer with the record."""

    def __init__(self, tmp_path: Path) -> None:
        super().__init__(harness_adapters(tmp_path))
        self.asked = asyncio.Event()
        self.may_answer = asyncio.Event()

    def all(self) -> list[Callable[..., Any]]:
        return [*super().all(), *notification_activities(self.adapters)]

    @activity.defn(name="fetch_incidents")
    async def fetch_incidents(self, query: IncidentQuery) -> list[Incident]:
        self.asked.set()
        await self.may_answer.wait()
        return [ON_RECORD]


async def test_an_incident_pushed_during_intake_is_kept_and_suspends_the_case(
    env: WorkflowEnvironment, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    police = HeldPoliceCheck(tmp_path)
    async with running_harness(env, tmp_path, police.all(), request.node.name) as harness:
        case = await harness.start()
        await police.asked.wait()  # intake's check is out; the push lands before its answer
        assert await case.handle.execute_update(DiversionCase.report_incident, PUSHED) is True
        police.may_answer.set()

        view = await case.until(
            "intake done",
            lambda v: v if v.suspension and v.suspension.stage is Stage.SCREENING else None,
        )
        assert [i.incident_number for i in view.incidents] == ["2019-000118", "2026-004977"]
        assert view.stage is Stage.SUSPENDED
        assert [(e.kind, e.description) for e in view.safety_events] == [
            (SafetyEventKind.NEW_INCIDENT, "police incident 2026-004977")
        ]
        again = await case.handle.execute_update(DiversionCase.report_incident, PUSHED)
        assert again is False
