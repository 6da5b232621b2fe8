"""For the tests whose send activity is replaced at its boundary by one of their own
(test_delivery_outcomes, test_notify_give_up): the harness with that activity, and a case
brought to monitoring one counselling item."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio.testing import WorkflowEnvironment

from activities.case_activities import CaseActivities
from activities.filing_activities import FilingActivities
from domain.agreement import Agreement, Obligation
from domain.enums import ConferenceResult, ObligationKind
from tests.workflows.conftest import harness_adapters, running_harness
from tests.workflows.harness import Case, Harness
from tests.workflows.steps import hold_conference, through_preparation


@asynccontextmanager
async def harness_sending_with(
    env: WorkflowEnvironment, tmp_path: Path, name: str, send: Callable[..., Any]
) -> AsyncIterator[Harness]:
    adapters = harness_adapters(tmp_path)
    activities = [*CaseActivities(adapters).all(), *FilingActivities(adapters).all(), send]
    async with running_harness(env, tmp_path, activities, name, adapters=adapters) as running:
        yield running


async def agreed(case: Case) -> Obligation:
    """Monitoring one counselling item due in about 40 days."""
    await through_preparation(case)
    due = await case.now() + timedelta(days=40)
    item = Obligation(kind=ObligationKind.COUNSELLING, description="Counselling", first_due=due)
    await hold_conference(case, ConferenceResult.AGREEMENT, Agreement(obligations=[item]))
    return item
