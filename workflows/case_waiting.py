"""Waiting in a case: for staff tasks while the stage's deadline ladder runs (remind,
escalate, fall back), interrupted by withdrawals and safety events; and filing, which
waits for staff when the court cannot take a report. While a report waits on staff the
stage's ladder holds: the wait is the report's own, chased (case_chasing) and never
ended by the stage's deadline, and the stage's deadline moves on by the time it took."""

import contextlib
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.case_activities import CaseActivities
    from domain.court_reports import build_report
    from domain.enums import NotProceededReason, ReportKind, Role, Stage, TaskKind
    from domain.message_kinds import MessageKind
    from domain.reports import CourtReport, FiledReport, FilingReceipt
    from domain.task_payloads import ResolveFiling, TaskPayload
    from domain.tasks import Task
    from workflows.case_base import DAY, CaseStopped, Step, not_proceeded
    from workflows.case_chasing import CaseChasing
    from workflows.messages import FilingRequest

FILING_ATTEMPT_TIMEOUT = timedelta(minutes=2)
# The filing heartbeats (activities/case_activities.py): an attempt on a worker that died is
# tried again this soon, not once the whole attempt's timeout has run out. A change of
# timeouts only, so histories replay unchanged.
FILING_HEARTBEAT_TIMEOUT = timedelta(seconds=20)


class CaseWaiting(CaseChasing):
    # -- the deadline ladder ------------------------------------------------------------

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
                await self._notify(
                    MessageKind.TASK_REMINDER, role=role, task=task.kind, due=self._due_text(task)
                )

    async def _escalate(self) -> None:
        self.case.stage_escalated = True
        tasks = self._stage_tasks()
        for task in tasks:
            task.escalated = True
        if tasks:
            kinds = ", ".join(t.kind for t in tasks)
            await self._notify(
                MessageKind.STAGE_ESCALATION,
                role=Role.COORDINATOR,
                stage=self.case.stage,
                detail=kinds,
                deadline=self._deadline_text(),
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
        if self._safety_first:  # reports and notices go out beside the flow (case_safety)
            return bool(self._stopping or suspended)
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
                if self._safety_to_report and not self._safety_first:
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

    async def _chase_until(self, done: Callable[[], bool], task: Task) -> None:
        """Wait for `done()` as `_until` does, chasing `task` while it stays open."""
        while not await self._until(
            done, wake_at=self._chase_at(task) if task.done_at is None else None
        ):
            await self._chase(task)

    # -- tasks and filing ---------------------------------------------------------------

    async def _tasks(self, *wanted: tuple[TaskKind, Sequence[Role]]) -> list[TaskPayload]:
        """Open several tasks at once and wait until every one is done."""
        opened = [self._open_task(kind, roles) for kind, roles in wanted]
        await self._until(lambda: all(t.done_at is not None for t in opened))
        return [self._results.pop(t.id) for t in opened]

    async def _task(self, kind: TaskKind, roles: Sequence[Role]) -> TaskPayload:
        (result,) = await self._tasks((kind, roles))
        return result

    async def _send_filing(self, report: CourtReport) -> FilingReceipt:
        """One filing of `report`, retried within the policy's patience; a court's refusal
        is not retried (the caller turns it into a staff task)."""
        patience = timedelta(hours=self.case.jurisdiction.policy.filing_patience_hours)
        return await workflow.execute_activity_method(
            CaseActivities.file_report,
            FilingRequest(jurisdiction=self.case.jurisdiction, report=report),
            start_to_close_timeout=FILING_ATTEMPT_TIMEOUT,
            heartbeat_timeout=FILING_HEARTBEAT_TIMEOUT,
            schedule_to_close_timeout=patience,
            retry_policy=RetryPolicy(
                initial_interval=timedelta(seconds=10),
                maximum_interval=timedelta(minutes=30),
                non_retryable_error_types=["FilingRejected"],
            ),
        )

    async def _file(
        self,
        kind: ReportKind,
        reason: NotProceededReason | None = None,
        *,
        beside_flow: bool = False,
    ) -> None:
        """File a report; past the policy's patience, a staff task decides. Never dropped.

        `beside_flow`: filed by a coroutine running beside the flow (a safety report),
        which waits for staff without running the stage's ladder: that is the flow's.
        """
        report = self._reserve_sequence(build_report(self.case, kind, workflow.now(), reason))
        while True:
            try:
                receipt = await self._send_filing(report)
            except ActivityError as failure:
                why = str(failure.cause or failure)
                task = self._open_task(
                    TaskKind.RESOLVE_FILING,
                    [Role.COORDINATOR],
                    urgent=True,
                    due=workflow.now() + DAY,
                    subject=f"{kind} report #{report.sequence} could not be filed: {why}",
                )
                decision = await self._filing_decision(task, beside_flow)
                if decision.refile:
                    if self._waits_end and (decision.amended or refused_by_court(failure)):
                        report = self._next_version(report, reason)
                    continue
                filed = FiledReport(
                    kind=kind,
                    sequence=report.sequence,
                    version=report.version,
                    document_hash=report.structured_hash(),
                    court_reference=decision.reference or "filed by staff",
                    filed_at=workflow.now(),
                    report=report,
                )
                filed = self._as_filed(filed, None)
            else:
                filed = FiledReport(
                    kind=kind,
                    sequence=report.sequence,
                    version=report.version,
                    document_hash=receipt.document_hash,
                    court_reference=receipt.court_reference,
                    filed_at=receipt.filed_at,
                    report=report,
                )
                filed = self._as_filed(filed, receipt)
            self.case.reports.append(filed)
            self._log(f"{kind} report filed")
            if filed.status == "received":  # the court answers later (case_answers)
                self._follow_answer(filed.sequence)
            return

    async def _filing_decision(self, task: Task, beside_flow: bool) -> ResolveFiling:
        """Staff's decision on a report the court did not take. Cases started before
        `waits-end` wait under the stage's ladder, which could end the case meanwhile."""
        if not self._waits_end:
            if beside_flow:
                await workflow.wait_condition(lambda: task.done_at is not None)
            else:
                await self._until(lambda: task.done_at is not None, interruptible=False)
        else:
            await self._notify(
                MessageKind.REPORT_NOT_FILED, role=Role.COORDINATOR, subject=task.subject
            )
            held_from = workflow.now()
            await self._await_staff(task)
            if not beside_flow:  # a safety report's wait holds nothing of the flow's
                self._hold_stage(workflow.now() - held_from)
        decision = self._results.pop(task.id)
        assert isinstance(decision, ResolveFiling)
        return decision

    def _hold_stage(self, waited: timedelta) -> None:
        """The flow's stage waited while its report did: its deadline moves on by as much,
        as after a suspension, so the wait costs the stage none of its time."""
        held = self.case.suspension
        if held is not None:
            self.case.suspension = held.model_copy(
                update={
                    "entered_at": held.entered_at + waited if held.entered_at else None,
                    "deadline": held.deadline + waited if held.deadline else None,
                }
            )
            return
        if self.case.stage_entered_at is not None:
            self.case.stage_entered_at += waited
        if self.case.stage_deadline is not None:
            self.case.stage_deadline += waited
        self._publish()

    def _next_version(self, report: CourtReport, reason: NotProceededReason | None) -> CourtReport:
        """The report built again from the case as it stands: same sequence, next version,
        its own idempotency key."""
        rebuilt = build_report(self.case, report.kind, workflow.now(), reason)
        return rebuilt.model_copy(
            update={"sequence": report.sequence, "version": report.version + 1}
        )

    def _reserve_sequence(self, report: CourtReport) -> CourtReport:
        """Take the report's sequence before filing starts: with two filings under way at
        once (a safety report beside a retrying one), each keeps its own number and
        idempotency key. One filing at a time gives the same numbers as before."""
        sequence = max(self.case.report_sequence, len(self.case.reports)) + 1
        self.case.report_sequence = sequence
        return report.model_copy(update={"sequence": sequence})

    # Provided by the court's answers (workflows/case_answers.py).
    def _as_filed(self, filed: FiledReport, receipt: FilingReceipt | None) -> FiledReport:
        raise NotImplementedError

    def _follow_answer(self, sequence: int) -> None:
        raise NotImplementedError

    # Provided by the safety mixin (workflows/case_safety.py).
    async def _report_safety_events(self) -> None:
        raise NotImplementedError

    async def _suspension(self) -> None:
        raise NotImplementedError


def refused_by_court(failure: ActivityError) -> bool:
    """The court answered and refused the filing (not: could not be reached)."""
    cause = failure.cause
    return isinstance(cause, ApplicationError) and cause.type == "FilingRejected"
