"""For the tests whose send activity is replaced at its boundary by one of their own
(test_delivery_outcomes, test_notify_give_up, through conftest's `answering` harness): a
case brought to monitoring one counselling item."""

from datetime import timedelta

from domain.agreement import Agreement, Obligation
from domain.enums import ConferenceResult, ObligationKind
from tests.workflows.harness import Case
from tests.workflows.steps import hold_conference, through_preparation


async def agreed(case: Case) -> Obligation:
    """Monitoring one counselling item due in about 40 days."""
    await through_preparation(case)
    due = await case.now() + timedelta(days=40)
    item = Obligation(kind=ObligationKind.COUNSELLING, description="Counselling", first_due=due)
    await hold_conference(case, ConferenceResult.AGREEMENT, Agreement(obligations=[item]))
    return item
