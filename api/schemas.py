"""What the API answers with, beyond the domain models it returns redacted."""

from datetime import datetime

from pydantic import BaseModel, Field

from domain.enums import Outcome, Stage
from domain.tasks import InboxEntry, Task


class CaseSummary(BaseModel):
    """A case as lists show it: read from its search attributes, never its contents."""

    case_id: str = Field(examples=["case-demo-cr-2026-00417"])
    jurisdiction: str
    court_case_number: str
    stage: Stage | None = None
    outcome: Outcome | None = None
    next_deadline: datetime | None = None
    open: bool
    started_at: datetime | None = None


class CasePage(BaseModel):
    items: list[CaseSummary]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the next page; absent on the last."
    )


class ReferralAccepted(BaseModel):
    case: CaseSummary
    created: bool = Field(description="True when this request started the case.")


class InboxItem(BaseModel):
    task: InboxEntry
    case: CaseSummary
    overdue: bool


class InboxPage(BaseModel):
    items: list[InboxItem]
    next_cursor: str | None = None


class TaskDetail(BaseModel):
    task: Task
    case: CaseSummary
    overdue: bool


class ActionRecorded(BaseModel):
    case_id: str
    action: str = Field(examples=["consent-withdrawal"])
