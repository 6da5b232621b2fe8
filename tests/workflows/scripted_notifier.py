"""For the tests whose send activity is replaced at its boundary by one of their own
(test_delivery_outcomes, test_notify_give_up, through conftest's `answering` harness): a
case brought to monitoring one counselling item."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.agreement import Agreement, Obligation
from domain.enums import ConferenceResult, ObligationKind
from tests.workflows.harness import Case
from tests.workflows.steps import hold_conference, through_preparation


async def agreed(case: Case, local: time | None = None, zone: str = "UTC") -> Obligation:
    """Monitoring one counselling item due in about 40 days: at the local time of day
    `local` in `zone` when given (then a message about it goes at a known hour, whatever
    the hour the test runs), else at the clock's time of day."""
    await through_preparation(case)
    due = await case.now() + timedelta(days=40)
    if local is not None:
        due = datetime.combine(due.astimezone(ZoneInfo(zone)).date(), local, ZoneInfo(zone))
    item = Obligation(kind=ObligationKind.COUNSELLING, description="Counselling", first_due=due)
    await hold_conference(case, ConferenceResult.AGREEMENT, Agreement(obligations=[item]))
    return item
