"""The case's state and bookkeeping: stages and deadlines, tasks, notifications, the
timeline and search attributes. `DiversionCase` (workflows/case.py) reads as the process."""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.case import CaseState, StopRecord, TimelineEntry
    from domain.enums import NotProceededReason, Outcome, Role, Stage, TaskKind
    from domain.local_time import local_time
    from domain.message_kinds import MessageKind
    from domain.reports import Notification
    from domain.task_payloads import TaskPayload
    from domain.tasks import INBOX_MEMO, InboxEntry, Task, inbox_entry
    from workflows import notices
    from workflows import search_attributes as sa
    from workflows.case_input import CaseInput
    from workflows.messages import ObligationReport

DAY = timedelta(days=1)
# Cases started before the inbox memo existed replay without it (tests/histories).
INBOX_MEMO_PATCH = "inbox-memo"
# Cases started before it apply obligation reports in the signal handler (tests/histories).
PROGRESS_QUEUE_PATCH = "progress-queue"
# Cases started before it never ask the police again after intake (tests/histories).
INCIDENT_WATCH_PATCH = "incident-watch"
# Cases started before it keep no stats attributes and start no follow-up on closing.
OUTCOME_EVIDENCE_PATCH = "outcome-evidence"
# Cases started before it report safety events only at the flow's next wait, end the case
# on an incident at the readiness gate, wait on the police without limit and ask no fresh
# multi-agency review after screening (tests/histories).
SAFETY_FIRST_PATCH = "safety-first"
# Cases started before it never ask the court for its hearings and report before a hearing
# only when its lead window opens after monitoring began (tests/histories).
HEARINGS_PATCH = "hearings-pulled"
# Cases started before it run the stage's deadline ladder while a report waits on staff
# (which could end an agreed case), chase no court directive, and end on any withdrawal,
# even after an agreement (tests/histories).
WAITS_END_PATCH = "waits-end"
# Cases started before it ignore what became of a message: no log on the case, no staff
# task for an alert that reached nobody (tests/histories).
NOTIFY_FLOW_PATCH = "notify-flow"

Step = Callable[[], Awaitable[None]]


class CaseStopped(Exception):
    """Raised inside the flow when the case must end early; carries why."""

    def __init__(self, stop: StopRecord) -> None:
        super().__init__(stop.cause)
        self.stop = stop


def not_proceeded(reason: NotProceededReason, cause: str) -> CaseStopped:
    return CaseStopped(StopRecord(outcome=Outcome.NOT_PROCEEDED, reason=reason, cause=cause))


class CaseBase:
    case: CaseState

    def _setup(self, input: CaseInput) -> None:
        self.case = input.state or CaseState(
            case_id=workflow.info().workflow_id,
            jurisdiction=input.jurisdiction,
            referral=input.referral,
        )
        self._history_limit = input.continue_as_new_after_events
        self._results: dict[str, TaskPayload] = {}
        self._stopping: StopRecord | None = None
        self._safety_to_report = 0
        self._in_suspension = False
        self._resume_requested = False
        self._outgoing: list[Notification] = []
        self._published: dict[str, sa.Value] = {}
        self._published_inbox: list[InboxEntry] | None = None
        # Asked once, before any handler can run, so the marker has one place in history.
        self._progress_queued = workflow.patched(PROGRESS_QUEUE_PATCH)
        self._progress: list[ObligationReport] = []
        self._progress_applier: asyncio.Task[None] | None = None
        self._watching_police = workflow.patched(INCIDENT_WATCH_PATCH)
        self._keeping_evidence = workflow.patched(OUTCOME_EVIDENCE_PATCH)
        self._incident_watch: asyncio.Task[None] | None = None
        self._safety_first = workflow.patched(SAFETY_FIRST_PATCH)
        self._pulling_hearings = workflow.patched(HEARINGS_PATCH)
        self._urgent_sender: asyncio.Task[None] | None = None
        self._urgent_in_flight = 0  # notices and safety reports being sent beside the flow
        self._safety_reports: list[asyncio.Task[None]] = []
        self._waits_end = workflow.patched(WAITS_END_PATCH)
        self._reading_outcomes = workflow.patched(NOTIFY_FLOW_PATCH)
        self._giving_up = workflow.patched(notices.NOTIFY_GIVE_UP_PATCH)
        # Messages go out beside the flow where notices already may (case_safety).
        self._sending_beside = self._giving_up and self._safety_first
        self._sending: list[asyncio.Task[None]] = []
        # Obligations the victim's withdrawal ended, whose workflows are yet to be stopped
        # (beside the flow, like the notices: case_safety).
        self._releasing: list[int] = []

    # -- stages and the deadline ladder -------------------------------------------------

    def _enter(self, stage: Stage, *, deadline_days: float | None = None) -> None:
        now = workflow.now()
        days = self.case.jurisdiction.policy.stage_deadline_days.get(stage)
        days = deadline_days if deadline_days is not None else days
        deadline = now + timedelta(days=days) if days else None
        held = self.case.suspension
        if held is not None and stage is not Stage.SUSPENDED:
            # A safety event overtook the flow: the next stage waits behind the suspension.
            self.case.suspension = held.model_copy(
                update={"stage": stage, "entered_at": now, "deadline": deadline}
                | {"reminded": False, "escalated": False}
            )
        else:
            self.case.stage = stage
            self.case.stage_entered_at = now
            self._apply_deadline(deadline)
        self._log(f"entered {stage}", stage=stage)
        if stage is not Stage.SUSPENDED:
            self._note_reviews(f"entering {stage}")

    def _note_reviews(self, when: str) -> None:
        """The multi-agency reviews the case goes on under, for the coordinator at each
        stage: a staff-only timeline entry and a notice (sent at once, beside the flow)."""
        passed = [r for r in self.case.reviews if r.may_proceed]
        if not self._safety_first or not passed:
            return
        listed = "; ".join(r.describe() for r in passed)
        self._log(f"multi-agency reviews in force: {listed}", staff_only=True)
        self._queue_notice(
            MessageKind.REVIEW_CONDITIONS,
            role=Role.COORDINATOR,
            stage=when.capitalize(),
            detail=listed,
        )

    def _flow_stage(self) -> Stage:
        """The stage the process is in, even while a suspension overlays it."""
        held = self.case.suspension
        return held.stage if held is not None else self.case.stage

    def _set_deadline(self, deadline: datetime | None) -> None:
        """Move the flow's stage deadline; during a suspension it moves the held stage's."""
        held = self.case.suspension
        if held is not None:
            self.case.suspension = held.model_copy(
                update={"deadline": deadline, "reminded": False, "escalated": False}
            )
        else:
            self._apply_deadline(deadline)

    def _apply_deadline(self, deadline: datetime | None) -> None:
        self.case.stage_deadline = deadline
        self.case.stage_reminded = self.case.stage_escalated = False
        self._publish()

    # -- tasks --------------------------------------------------------------------------

    def _open_task(
        self,
        kind: TaskKind,
        roles: Sequence[Role],
        *,
        due: datetime | None = None,
        urgent: bool = False,
        subject: str = "",
        obligation_index: int | None = None,
        occurrence: int | None = None,
        stage: Stage | None = None,
    ) -> Task:
        number = self.case.next_task_number
        self.case.next_task_number += 1
        task = Task(
            id=f"{self.case.case_id}.t{number}",
            kind=kind,
            roles=list(roles),
            stage=stage or self._flow_stage(),
            opened_at=workflow.now(),
            due_at=due or self.case.stage_deadline,
            urgent=urgent,
            subject=subject,
            obligation_index=obligation_index,
            occurrence=occurrence,
        )
        self.case.tasks.append(task)
        self._publish()
        return task

    def _close_task(self, task: Task, *, cancelled: bool = False) -> None:
        task.done_at = workflow.now()
        task.cancelled = cancelled
        self._publish()

    # -- messages (sent by CaseNotices) -------------------------------------------------

    def _notification(
        self, kind: MessageKind, role: Role, facts: dict[str, str | int]
    ) -> Notification:
        self.case.notifications_sent += 1
        return notices.to_staff(self.case, kind, role, facts, workflow.now())

    def _queue_notice(self, kind: MessageKind, *, role: Role, **facts: str | int) -> None:
        """For handlers, which must not block: the flow sends it at its next wait."""
        self._outgoing.append(self._notification(kind, role, facts))

    # -- record keeping -----------------------------------------------------------------

    def _log(self, event: str, *, staff_only: bool = False, stage: Stage | None = None) -> None:
        self.case.version += 1
        self.case.timeline.append(
            TimelineEntry(
                at=workflow.now(),
                stage=stage or self.case.stage,
                event=event,
                audience="staff" if staff_only else "court",
            )
        )

    def _publish(self) -> None:
        """Keep the search attributes that drive lists and inboxes current."""
        self.case.version += 1
        open_tasks = self.case.open_tasks()
        deadlines = [t.due_at for t in open_tasks if t.due_at is not None]
        if self.case.stage_deadline is not None:
            deadlines.append(self.case.stage_deadline)
        wanted: dict[str, sa.Value] = {
            sa.STAGE.name: self.case.stage.value,
            sa.OPEN_TASK_ROLES.name: sorted({r.value for t in open_tasks for r in t.roles}),
            sa.NEXT_DEADLINE.name: min(deadlines) if deadlines else None,
            sa.OUTCOME.name: self.case.outcome.value if self.case.outcome else None,
        }
        if self._keeping_evidence:
            wanted |= self._evidence_attributes()
        updates = sa.updates({k: v for k, v in wanted.items() if self._published.get(k, ...) != v})
        if updates:
            workflow.upsert_search_attributes(updates)
            self._published.update(wanted)
        if workflow.patched(INBOX_MEMO_PATCH):
            self._publish_inbox(open_tasks)

    def _evidence_attributes(self) -> dict[str, sa.Value]:
        """What GET /v1/stats counts: whether a conference was reached, why a case did
        not proceed."""
        stop = self.case.stop
        return {
            sa.REACHED_CONFERENCE.name: any(
                e.event == f"entered {Stage.CONFERENCE}" for e in self.case.timeline
            ),
            sa.STOP_REASON.name: stop.reason.value if stop and stop.reason else None,
        }

    def _publish_inbox(self, open_tasks: Sequence[Task]) -> None:
        """The open tasks as a memo: an inbox lists them without querying each case, and
        still works while no worker runs. Memos pass through the payload codec (encrypted)."""
        inbox = [inbox_entry(t) for t in open_tasks]
        if inbox != self._published_inbox:
            workflow.upsert_memo({INBOX_MEMO: inbox})
            self._published_inbox = inbox

    def _due_text(self, task: Task) -> str:
        return self._local_time(task.due_at) if task.due_at else "soon"

    def _deadline_text(self) -> str:
        deadline = self.case.stage_deadline
        return self._local_time(deadline) if deadline else "without a deadline"

    def _local_time(self, moment: datetime) -> str:
        """As the people of the case's jurisdiction read it (stored times stay UTC)."""
        return local_time(moment, self.case.jurisdiction.timezone)
