"""Every date a person reads is the jurisdiction's own (issue: a day off east of UTC).
A case in Auckland (UTC+13 in its summer) and one in Honolulu (UTC-10) get the same
deadlines, told in their own calendars."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from domain.agreement import Agreement, Obligation
from domain.enums import ConferenceResult, ObligationKind
from domain.local_time import local_date, local_time
from tests.workflows.harness import Harness
from tests.workflows.steps import hold_conference, through_preparation

ISO = re.compile(r"\d{4}-\d\d-\d\d|UTC")


@pytest.mark.parametrize("timezone", ["Pacific/Auckland", "Pacific/Honolulu"])
async def test_reminders_read_in_the_jurisdictions_time(harness: Harness, timezone: str) -> None:
    harness.configure(harness.jurisdiction.model_copy(update={"timezone": timezone}))
    case = await harness.start()
    await case.advance(timedelta(days=10))  # past the screening reminder
    [reminder] = [n for n in case.notifications() if n.subject == "Reminder: screen_case"]
    deadline = (await case.view()).stage_deadline
    assert deadline is not None
    assert f"is due {local_time(deadline, timezone)}." in reminder.body

    await through_preparation(case)
    # Due at noon UTC: the next day in Auckland, the same day in Honolulu.
    start = await case.now()
    due = datetime(start.year, start.month, start.day, 12, tzinfo=UTC) + timedelta(days=30)
    apology = Obligation(kind=ObligationKind.APOLOGY, description="Written apology", first_due=due)
    await hold_conference(case, ConferenceResult.AGREEMENT, Agreement(obligations=[apology]))
    await case.advance(due - await case.now() + timedelta(days=4))  # reminders, then a miss

    told = [n for n in case.notifications() if n.to_participant]
    assert [n.subject for n in told] == ["Reminder", "Reminder", "Warning"]
    for notice in told:
        assert local_date(due, timezone) in notice.body, notice.body
        assert not ISO.search(notice.body), f"a UTC date reached a person: {notice.body}"
    for staff_notice in case.notifications():
        assert "UTC" not in staff_notice.body, staff_notice.body
