"""The machinery every stage of a case uses: tasks, the deadline ladder, interrupts,
filing and notifying. `DiversionCase` (workflows/case.py) reads as the process on top."""

import contextlib
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.case_activities import CaseActivities
    from domain.case import CaseState, StopRecord, TimelineEntry
    from domain.court_reports import build_report
    from domain.enums import NotProceededReason, Outcome, ReportKind, Role, Stage, TaskKind
    from domain.reports import FiledReport, Notification
    from domain.tasks import ResolveFiling, Task, TaskPayload
    from workflows import search_attributes as sa
    from workflows.case_input import CaseInput
    from workflows.messages import FilingRequest

DAY = timedelta(days=1)
NOTIFY_TIMEOUT = timedelta(seconds=30)
FILING_ATTEMPT_TIMEOUT = timedelta(minutes=2)

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

    def _next_step(self, on_deadline: Step | None) -> tuple[datetime | None, Step | None]:
        deadline, entered = self.case.stage_deadline, self.case.stage_entered_at
        if deadline is None or entered is None:
            return None, None
        ladder = self.case.jurisdiction.policy.stage_ladder
        span = deadline - entered
        if not self.case.stage_reminded:
            at = max(deadline - ladder.remind_before_days * DAY, entered + span / 2)
            return at, self._remind
        if not self.case.stage_escalated:
            at = max(deadline - ladder.escalate_before_days * DAY, entered + span * 3 / 4)
            return at, self._escalate
        return deadline, on_deadline or self._deadline_passed

    async def _remind(self) -> None:
        self.case.stage_reminded = True
        for task in self._stage_tasks():
            task.reminded = True
            for role in task.roles:
                await self._notify(f"Reminder: {task.kind}", self._due_text(task), role=role)

    async def _escalate(self) -> None:
        self.case.stage_escalated = True
        tasks = self._stage_tasks()
        for task in tasks:
            task.escalated = True
        if tasks:
            kinds = ", ".join(t.kind for t in tasks)
            await self._notify(
                f"Escalation: {self.case.stage} deadline approaching",
                f"Still open: {kinds}. The stage ends {self._deadline_text()}.",
                role=Role.COORDINATOR,
            )

    async def _deadline_passed(self) -> None:
        kinds = ", ".join(t.kind for t in self._stage_tasks()) or "none"
        reason = (
            NotProceededReason.PROCESS_DID_NOT_PROCEED
            if self.case.stage is Stage.ENGAGEMENT
            else NotProceededReason.NOT_COMPLETED_IN_TIME
        )
        raise not_proceeded(reason, f"{self.case.stage} deadline passed; open tasks: {kinds}")

    def _stage_tasks(self) -> list[Task]:
        return [t for t in self.case.open_tasks() if t.stage is self.case.stage]

    # -- waiting ------------------------------------------------------------------------

    def _interrupted(self) -> bool:
        suspended = self.case.stage is Stage.SUSPENDED and not self._in_suspension
        return bool(self._stopping or self._safety_to_report or self._outgoing or suspended)

    async def _until(
        self,
        done: Callable[[], bool],
        *,
        wake_at: datetime | None = None,
        on_deadline: Step | None = None,
        interruptible: bool = True,
    ) -> bool:
        """Wait for `done()` while the stage ladder runs; False if `wake_at` came first.

        Withdrawals and court withdrawal raise CaseStopped; a safety event suspends the
        case here, whatever the stage was waiting for.
        """
        while True:
            await self._drain_outgoing()
            if interruptible:
                if self._stopping is not None:
                    raise CaseStopped(self._stopping)
                if self._safety_to_report:
                    await self._report_safety_events()
                    continue
                if self.case.stage is Stage.SUSPENDED and not self._in_suspension:
                    await self._suspension()
                    continue
            if done():
                return True
            now = workflow.now()
            if wake_at is not None and now >= wake_at:
                return False
            step_at, step = self._next_step(on_deadline)
            if step is not None and step_at is not None and step_at <= now:
                await step()
                continue
            timeout = min((t for t in (step_at, wake_at) if t is not None), default=None)
            interrupted = self._interrupted if interruptible else (lambda: bool(self._outgoing))
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: done() or interrupted(),  # noqa: B023 (awaited here)
                    timeout=(timeout - now) if timeout is not None else None,
                )

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

    async def _tasks(self, *wanted: tuple[TaskKind, Sequence[Role]]) -> list[TaskPayload]:
        """Open several tasks at once and wait until every one is done."""
        opened = [self._open_task(kind, roles) for kind, roles in wanted]
        await self._until(lambda: all(t.done_at is not None for t in opened))
        return [self._results.pop(t.id) for t in opened]

    async def _task(self, kind: TaskKind, roles: Sequence[Role]) -> TaskPayload:
        (result,) = await self._tasks((kind, roles))
        return result

    # -- side effects (activities) ------------------------------------------------------

    async def _notify(
        self, subject: str, body: str, *, role: Role | None = None, participant: bool = False
    ) -> None:
        self.case.notifications_sent += 1
        notification = self._notification(subject, body, role=role, participant=participant)
        await workflow.execute_activity_method(
            CaseActivities.send_notification, notification, start_to_close_timeout=NOTIFY_TIMEOUT
        )

    def _notification(
        self, subject: str, body: str, *, role: Role | None = None, participant: bool = False
    ) -> Notification:
        return Notification(
            id=f"{self.case.case_id}.n{self.case.notifications_sent}",
            case_id=self.case.case_id,
            jurisdiction=self.case.jurisdiction.id,
            to_role=role,
            to_participant=participant,
            subject=subject,
            body=f"Case {self.case.referral.court.case_number}: {body}",
            created_at=workflow.now(),
        )

    def _queue_notice(self, subject: str, body: str, *, role: Role) -> None:
        """For handlers, which must not block: the flow sends it at its next wait."""
        self.case.notifications_sent += 1
        self._outgoing.append(self._notification(subject, body, role=role))

    async def _drain_outgoing(self) -> None:
        while self._outgoing:
            notification = self._outgoing.pop(0)
            await workflow.execute_activity_method(
                CaseActivities.send_notification,
                notification,
                start_to_close_timeout=NOTIFY_TIMEOUT,
            )

    async def _file(self, kind: ReportKind, reason: NotProceededReason | None = None) -> None:
        """File a report; past the policy's patience, a staff task decides. Never dropped."""
        report = build_report(self.case, kind, workflow.now(), reason)
        patience = timedelta(hours=self.case.jurisdiction.policy.filing_patience_hours)
        while True:
            try:
                receipt = await workflow.execute_activity_method(
                    CaseActivities.file_report,
                    FilingRequest(jurisdiction=self.case.jurisdiction, report=report),
                    start_to_close_timeout=FILING_ATTEMPT_TIMEOUT,
                    schedule_to_close_timeout=patience,
                    retry_policy=RetryPolicy(
                        initial_interval=timedelta(seconds=10),
                        maximum_interval=timedelta(minutes=30),
                        non_retryable_error_types=["FilingRejected"],
                    ),
                )
            except ActivityError as failure:
                why = str(failure.cause or failure)
                task = self._open_task(
                    TaskKind.RESOLVE_FILING,
                    [Role.COORDINATOR],
                    urgent=True,
                    due=workflow.now() + DAY,
                    subject=f"{kind} report #{report.sequence} could not be filed: {why}",
                )
                await self._until(lambda: task.done_at is not None, interruptible=False)  # noqa: B023
                decision = self._results.pop(task.id)
                assert isinstance(decision, ResolveFiling)
                if decision.refile:
                    continue
                filed = FiledReport(
                    kind=kind,
                    sequence=report.sequence,
                    document_hash=report.document_hash(),
                    court_reference=decision.reference or "filed by staff",
                    filed_at=workflow.now(),
                )
            else:
                filed = FiledReport(
                    kind=kind,
                    sequence=report.sequence,
                    document_hash=receipt.document_hash,
                    court_reference=receipt.court_reference,
                    filed_at=receipt.filed_at,
                )
            self.case.reports.append(filed)
            self._log(f"{kind} report filed")
            return

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
        updates = sa.updates({k: v for k, v in wanted.items() if self._published.get(k, ...) != v})
        if updates:
            workflow.upsert_search_attributes(updates)
            self._published.update(wanted)

    def _due_text(self, task: Task) -> str:
        due = task.due_at.strftime("%Y-%m-%d %H:%M UTC") if task.due_at else "soon"
        return f"{task.kind} is due {due}."

    def _deadline_text(self) -> str:
        deadline = self.case.stage_deadline
        return deadline.strftime("%Y-%m-%d %H:%M UTC") if deadline else "without a deadline"

    # Provided by the safety mixin (workflows/case_safety.py).
    async def _report_safety_events(self) -> None:
        raise NotImplementedError

    async def _suspension(self) -> None:
        raise NotImplementedError
