"""What staff read when a send was given up (workflows/notices.py): how long it was tried,
and the notifier's last reason only when it is the notifier's own words for staff."""

from datetime import timedelta

import pytest
from temporalio.exceptions import (
    ActivityError,
    ApplicationError,
    RetryState,
    TimeoutError,
    TimeoutType,
)

from workflows.notices import given_up, span


def activity_error(cause: BaseException) -> ActivityError:
    error = ActivityError(
        "activity error",
        scheduled_event_id=5,
        started_event_id=6,
        identity="worker",
        activity_type="send_notification",
        activity_id="1",
        retry_state=RetryState.TIMEOUT,
    )
    error.__cause__ = cause
    return error


def timed_out_after(last: BaseException | None) -> TimeoutError:
    timeout = TimeoutError(
        "activity timed out", type=TimeoutType.SCHEDULE_TO_CLOSE, last_heartbeat_details=[]
    )
    timeout.__cause__ = last
    return timeout


UNAVAILABLE = ApplicationError("Twilio is busy or down (HTTP 503)", type="NotifierUnavailable")


@pytest.mark.parametrize(
    ("cause", "says"),
    [
        (UNAVAILABLE, "; last: Twilio is busy or down (HTTP 503)"),
        (timed_out_after(UNAVAILABLE), "; last: Twilio is busy or down (HTTP 503)"),
        # Anything else may carry what staff must not read (an address): its kind only.
        (ApplicationError("no route to ana@example.org", type="OSError"), "; last: OSError"),
        (timed_out_after(None), ""),
    ],
    ids=["retries-spent", "timed-out", "other-error", "no-last-failure"],
)
def test_staff_read_how_long_and_the_notifiers_reason(cause: BaseException, says: str) -> None:
    why = given_up(timedelta(hours=24), activity_error(cause))
    assert why == "the provider could not be reached for 24 hours" + says


@pytest.mark.parametrize(
    ("limit", "said"),
    [
        (timedelta(minutes=10), "10 minutes"),
        (timedelta(minutes=90), "1.5 hours"),
        (timedelta(hours=24), "24 hours"),
        (timedelta(days=10), "10 days"),
    ],
)
def test_a_patience_reads_in_the_unit_staff_would_use(limit: timedelta, said: str) -> None:
    assert span(limit) == said
