"""Waiting in a case: for staff tasks while the stage's deadline ladder runs (remind,
escalate, fall back), interrupted by withdrawals and safety events; and filing, which
waits for staff when the court cannot take a report."""

import contextlib
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.case_activities import CaseActivities
    from domain.court_reports import build_report
    from domain.enums import NotProceededReason, ReportKind, Role, Stage, TaskKind
    from domain.reports import CourtReport, FiledReport
    from domain.tasks import ResolveFiling, Task, TaskPayload
    from workflows.case_base import DAY, CaseBase, CaseStopped, Step, not_proceeded
    from workflows.messages import FilingRequest

FILING_ATTEMPT_TIMEOUT = timedelta(minutes=2)


class CaseWaiting(CaseBase):
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

    # -- tasks and filing ---------------------------------------------------------------

    async def _tasks(self, *wanted: tuple[TaskKind, Sequence[Role]]) -> list[TaskPayload]:
        """Open several tasks at once and wait until every one is done."""
        opened = [self._open_task(kind, roles) for kind, roles in wanted]
        await self._until(lambda: all(t.done_at is not None for t in opened))
        return [self._results.pop(t.id) for t in opened]

    async def _task(self, kind: TaskKind, roles: Sequence[Role]) -> TaskPayload:
        (result,) = await self._tasks((kind, roles))
        return result

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
                if beside_flow:
                    await workflow.wait_condition(lambda: task.done_at is not None)  # noqa: B023
                else:
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

    def _reserve_sequence(self, report: CourtReport) -> CourtReport:
        """Take the report's sequence before filing starts: with two filings under way at
        once (a safety report beside a retrying one), each keeps its own number and
        idempotency key. One filing at a time gives the same numbers as before."""
        sequence = max(self.case.report_sequence, len(self.case.reports)) + 1
        self.case.report_sequence = sequence
        return report.model_copy(update={"sequence": sequence})

    # Provided by the safety mixin (workflows/case_safety.py).
    async def _report_safety_events(self) -> None:
        raise NotImplementedError

    async def _suspension(self) -> None:
        raise NotImplementedError
