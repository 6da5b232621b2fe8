"""Staff tasks: as a case keeps them, how one is completed, and how it shows in an inbox.
What each kind asks for is in domain/task_payloads.py."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from domain.enums import Role, Stage, TaskKind
from domain.task_payloads import TaskPayload


class ActingAs(BaseModel):
    """Who completes a task, as the API checked their token: the case refuses a task that
    is not for one of these roles in one of these jurisdictions, as if it did not exist."""

    model_config = ConfigDict(extra="forbid")

    roles: list[Role]
    jurisdictions: list[str]


class CompletionMark(BaseModel):
    """What completed a task, so that an identical repeat can be answered as done: a
    keyed digest of the payload and who sent it (never the payload itself), and the
    request's Idempotency-Key if it had one."""

    model_config = ConfigDict(extra="forbid")

    digest: str
    idempotency_key: str | None = None


class TaskCompletion(BaseModel):
    """The argument of the `complete_task` update."""

    model_config = ConfigDict(extra="forbid")

    task_id: str
    payload: TaskPayload
    completed_by: str = ""
    acting_as: ActingAs | None = None
    mark: CompletionMark | None = None


class Task(BaseModel):
    """An open or done staff task, as the workflow keeps it and an inbox shows it."""

    id: str
    kind: TaskKind
    roles: list[Role]
    stage: Stage
    opened_at: datetime
    due_at: datetime | None = None
    urgent: bool = False
    subject: str = Field(default="", description="What the task is about, e.g. an obligation.")
    obligation_index: int | None = None
    occurrence: int | None = None
    reminded: bool = False
    escalated: bool = False
    escalations: int = Field(
        default=0,
        description="How many times a task with no stage deadline was escalated past its due.",
    )
    done_at: datetime | None = None
    cancelled: bool = Field(default=False, description="Closed without being done.")
    completed_with: CompletionMark | None = None


INBOX_MEMO = "inbox"


class InboxEntry(BaseModel):
    """An open task as a case publishes it in its memo: what an inbox lists and sorts."""

    id: str
    kind: TaskKind
    roles: list[Role]
    stage: Stage
    opened_at: datetime
    due_at: datetime | None = None
    urgent: bool = False
    subject: str = ""


def inbox_entry(task: Task) -> InboxEntry:
    return InboxEntry.model_validate(task.model_dump(include=set(InboxEntry.model_fields)))
