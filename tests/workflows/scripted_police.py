"""A police system the test scripts: it answers with the incidents it is given, or is down."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from temporalio import activity

from activities.case_activities import CaseActivities
from domain.referral import Incident
from tests.workflows.conftest import harness_adapters, notification_activities
from workflows.messages import IncidentQuery

OUTAGE = "the police records system did not answer (connection refused)"


class ScriptedPolice(CaseActivities):
    def __init__(self, tmp_path: Path) -> None:
        super().__init__(harness_adapters(tmp_path))
        self.incidents: list[Incident] = []
        self.down = False
        self.asked = 0

    def all(self) -> list[Callable[..., Any]]:
        return [*super().all(), *notification_activities(self.adapters)]

    @activity.defn(name="fetch_incidents")
    async def fetch_incidents(self, query: IncidentQuery) -> list[Incident]:
        self.asked += 1
        if self.down:
            raise ConnectionError(OUTAGE)
        return list(self.incidents)
