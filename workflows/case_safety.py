"""Safety events jump the queue (DESIGN §2 rule 4): suspend at once, urgent advocate
task, court report; resume only on the advocate's review or the court's direction, and,
when a new incident raised an escalation flag, a multi-agency review (case_reviews).

The urgent notice and the court's report go out beside the flow (`_send_urgent`), in the
workflow task that learns of the event, whatever the flow is waiting for: a filing
retrying for hours, a staff decision on a refused filing, the police."""

import asyncio
import contextlib

from temporalio import workflow
from temporalio.exceptions import FailureError

with workflow.unsafe.imports_passed_through():
    from domain.case import StopRecord, SuspendedStage
    from domain.enums import NotProceededReason, Outcome, ReportKind, Role, Stage, TaskKind
    from domain.message_kinds import MessageKind
    from domain.task_payloads import SafetyReview
    from domain.tasks import Task
    from workflows.case_base import CaseStopped
    from workflows.case_reviews import CaseReviews
    from workflows.messages import Resume, SafetyEvent


def obligation_workflow_id(case_id: str, index: int) -> str:
    return f"{case_id}.o{index}"


class CaseSafety(CaseReviews):
    # -- a safety event -----------------------------------------------------------------

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
        """Cases started before `safety-first`: reported by the flow at its next wait."""
        while self._safety_to_report:
            self._safety_to_report -= 1
            await self._notify(MessageKind.SAFETY_EVENT, role=Role.VICTIM_ADVOCATE)
            await self._file(ReportKind.SAFETY_EVENT)

    # -- beside the flow ----------------------------------------------------------------

    async def _send_urgent(self) -> None:
        """Started with the case; woken by a safety event, a notice a handler queued, or
        obligations the victim's withdrawal ended (their workflows stopped at once).

        Each safety event's report is filed in a coroutine of its own, so one waiting for
        staff (a refused filing) holds back neither the next event nor any notice."""
        while True:
            await workflow.wait_condition(
                lambda: bool(self._safety_to_report or self._outgoing or self._releasing)
            )
            while self._safety_to_report:
                self._safety_to_report -= 1
                self._urgent_in_flight += 1
                report = asyncio.create_task(self._report_safety_event())
                self._safety_reports = [t for t in self._safety_reports if not t.done()] + [report]
            self._urgent_in_flight += 1
            try:
                await self._drain_outgoing()
                await self._stop_released()
            finally:
                self._urgent_in_flight -= 1
            self.case.version += 1  # sent: a client waiting for the notice sees it now

    async def _report_safety_event(self) -> None:
        """The advocate's urgent notice, then the court's report: whoever sees it filed
        knows the advocate was told."""
        try:
            # Awaited, even where other messages go beside the flow: the court's report
            # follows the advocate's alert, which gives up within minutes (its policy).
            message = self._notification(MessageKind.SAFETY_EVENT, Role.VICTIM_ADVOCATE, {})
            await self._send_now(message)
            await self._file(ReportKind.SAFETY_EVENT, beside_flow=True)
        finally:
            self._urgent_in_flight -= 1

    def _urgent_busy(self) -> bool:
        """Something beside the flow is still to go out: a case closes or continues as
        new only once it has."""
        return bool(
            self._safety_to_report or self._outgoing or self._urgent_in_flight or self._releasing
        )

    async def _stop_released(self) -> None:
        """Stop the workflows of obligations the victim's withdrawal ended."""
        while self._releasing:
            index = self._releasing.pop(0)
            handle = workflow.get_external_workflow_handle(
                obligation_workflow_id(self.case.case_id, index)
            )
            with contextlib.suppress(FailureError):  # it had already finished: nothing to stop
                await handle.cancel()

    # -- suspension ---------------------------------------------------------------------

    async def _suspension(self) -> None:
        """Wait for the advocate's safety review or the court's direction, and for the
        multi-agency reviews new incidents asked for."""
        self._in_suspension = True
        await self._signal_obligations("pause", None)
        # The latest review, which the advocate may already have done while we filed.
        review = [t for t in self.case.tasks if t.kind is TaskKind.SAFETY_REVIEW][-1]
        if self._safety_first:
            await self._until(
                lambda: self._suspension_decided(review), on_deadline=self._escalate_review
            )
            self._stop_if_a_review_refused()
        else:
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

    def _suspension_decided(self, review: Task) -> bool:
        """Ended (a review refused the case, the advocate found it unsafe) or cleared: the
        advocate or the court allows it, and no multi-agency review is still pending."""
        advocate = self._results.get(review.id)
        unsafe = isinstance(advocate, SafetyReview) and not advocate.safe_to_resume
        if unsafe or self._review_refused() is not None:
            return True
        cleared = review.done_at is not None or self._resume_requested
        return cleared and not self.case.pending_reviews()

    async def _escalate_review(self) -> None:
        self._apply_deadline(None)
        await self._notify(MessageKind.SAFETY_REVIEW_OVERDUE, role=Role.COORDINATOR)

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
        if any(r.requested_at >= held.at for r in self.case.reviews):
            self._note_reviews(f"resuming {held.stage}")
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
