"""A court's later answer to a filing (a docketing callback), delivered to its case.

Shared by the API's callback endpoint and the drop folders' callbacks intake. The case is
found from the answer itself: the court's case number (ECF `CaseDocketID`), else the
filing's idempotency key when the court echoes it as the reference. The case matches the
filing by the court's reference or that key (the `filing_status` update); an answer
that only says "received" adds nothing and is not delivered.
"""

import re
from dataclasses import dataclass

from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from adapters.courts.base import FilingStatus
from domain.case import case_workflow_id
from domain.filing_status import CourtAnswer
from workflows.case import DiversionCase

# The quarantine's `source` of a court callback the drop folder could not take.
COURT_CALLBACK = "court-callback"
# Our idempotency keys: `<case id>:report:<sequence>` and `...:v<version>` (domain/reports).
KEY = re.compile(r"(?P<case>case-[a-z0-9_-]+-\S+?):report:\d+(?::v\d+)?")


class AnswerRefused(Exception):
    """The answer cannot be taken as it is: the message says why, for the court's staff."""


class NoSuchCase(AnswerRefused):
    """No open case of this jurisdiction is the one the answer names."""


@dataclass(frozen=True)
class Delivered:
    case_id: str
    sequence: int | None  # the report it answered; None when it only said "received"


def answer_of(status: FilingStatus) -> CourtAnswer | None:
    """The answer as the case takes it; None for a filing still only received."""
    if status.state == "received":
        return None
    if not status.court_reference:
        raise AnswerRefused("the court's answer names no filing (no document identification)")
    return CourtAnswer(reference=status.court_reference, status=status.state, reason=status.reason)


def case_of(jurisdiction: str, status: FilingStatus) -> str:
    """The case the answer is about, in `jurisdiction` only."""
    if status.case_number:
        try:
            return case_workflow_id(jurisdiction, status.case_number)
        except ValueError as e:
            raise AnswerRefused(f"the court's case number is not usable: {e}") from None
    found = KEY.fullmatch(status.court_reference)
    if found and found["case"].startswith(f"case-{jurisdiction}-"):
        return found["case"]
    raise AnswerRefused(
        "the court's answer names no case: no case docket id, and its reference is not the "
        "idempotency key of one of our filings"
    )


async def deliver(client: Client, jurisdiction: str, status: FilingStatus) -> Delivered:
    """Give the court's answer to its case; `NoSuchCase` or `AnswerRefused` when it cannot
    be taken. Temporal being unreachable raises as it is (the sender tries again)."""
    case_id = case_of(jurisdiction, status)
    answer = answer_of(status)
    if answer is None:
        return Delivered(case_id, None)
    handle = client.get_workflow_handle_for(DiversionCase.run, case_id)
    try:
        sequence = await handle.execute_update(DiversionCase.filing_status, answer)
    except WorkflowUpdateFailedError as e:
        cause = e.cause
        reason = cause.message if isinstance(cause, ApplicationError) else str(e)
        raise AnswerRefused(f"case {case_id}: {reason}") from None
    except RPCError as e:
        if e.status is RPCStatusCode.NOT_FOUND:
            raise NoSuchCase(f"no open case for {status.case_number or case_id!r}") from None
        raise
    return Delivered(case_id, sequence)
