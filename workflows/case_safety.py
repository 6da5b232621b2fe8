"""Safety events jump the queue (DESIGN §2 rule 4): suspend at once, urgent advocate
task, court report; resume only on the advocate's review or the court's direction."""

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.case import StopRecord, SuspendedStage
    from domain.enums import NotProceededReason, Outcome, ReportKind, Role, Stage, TaskKind
    from domain.tasks import SafetyReview
    from workflows.case_base import CaseStopped
    from workflows.case_waiting import CaseWaiting
    from workflows.messages import Resume, SafetyEvent

DAY = timedelta(days=1)


def obligation_workflow_id(case_id: str, index: int) -> str:
    return f"{case_id}.o{index}"


class CaseSafety(CaseWaiting):
    def _suspend_now(self, event: SafetyEvent) -> None:
        """Called from the update handler: the case is suspended before the handler returns."""
        self._safety_to_report += 1
        if self.case.stage is Stage.SUSPENDED:
            return
        self.case.suspension = SuspendedStage(
            stage=self.case.stage,
            at=workflow.now(),
            entered_at=self.case.stage_entered_at,
            deadline=self.case.stage_deadline,
            reminded=self.case.stage_reminded,
            escalated=self.case.stage_escalated,
        )
        self._enter(Stage.SUSPENDED)
        self._open_task(
            TaskKind.SAFETY_REVIEW,
            [Role.VICTIM_ADVOCATE],
            urgent=True,
            subject=f"safety event: {event.kind}",
            stage=Stage.SUSPENDED,
        )

    async def _report_safety_events(self) -> None:
        while self._safety_to_report:
            self._safety_to_report -= 1
            await self._notify(
                "URGENT: safety event",
                "A safety event was reported; the case is suspended. Review it now.",
                role=Role.VICTIM_ADVOCATE,
            )
            await self._file(ReportKind.SAFETY_EVENT)

    async def _suspension(self) -> None:
        """Wait for the advocate's safety review or the court's direction."""
        self._in_suspension = True
        await self._signal_obligations("pause", None)
        # The latest review, which the advocate may already have done while we filed.
        review = [t for t in self.case.tasks if t.kind is TaskKind.SAFETY_REVIEW][-1]
        await self._until(
            lambda: review.done_at is not None or self._resume_requested,
            on_deadline=self._escalate_review,
        )
        if review.done_at is None:
            self._close_task(review, cancelled=True)
        else:
            result = self._results.pop(review.id)
            assert isinstance(result, SafetyReview)
            if not result.safe_to_resume:
                raise CaseStopped(
                    StopRecord(
                        outcome=Outcome.TERMINATED_SAFETY,
                        reason=NotProceededReason.NOT_SUITABLE,
                        cause="the advocate's safety review ended the process",
                    )
                )
        await self._resume()

    async def _escalate_review(self) -> None:
        self._apply_deadline(None)
        await self._notify(
            "Escalation: safety review overdue",
            "The urgent safety review is past due; the case stays suspended.",
            role=Role.COORDINATOR,
        )

    async def _resume(self) -> None:
        held = self.case.suspension
        assert held is not None
        paused = workflow.now() - held.at
        self.case.stage = held.stage
        self.case.stage_entered_at = held.entered_at + paused if held.entered_at else None
        self.case.stage_deadline = held.deadline + paused if held.deadline else None
        self.case.stage_reminded, self.case.stage_escalated = held.reminded, held.escalated
        for task in self.case.open_tasks():
            if task.due_at is not None:
                task.due_at += paused
        self.case.suspension = None
        self._in_suspension = self._resume_requested = False
        self._log(f"resumed {held.stage}")
        await self._signal_obligations("resume", Resume(paused_seconds=paused.total_seconds()))

    async def _signal_obligations(self, signal: str, arg: object) -> None:
        if not self.case.obligations_started:
            return
        for progress in self.case.obligations:
            if progress.status.value in {"met", "breached", "cancelled"}:
                continue
            handle = workflow.get_external_workflow_handle(
                obligation_workflow_id(self.case.case_id, progress.index)
            )
            if arg is None:
                await handle.signal(signal)
            else:
                await handle.signal(signal, arg)
