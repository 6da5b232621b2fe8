"""How a case ends: early (a neutral not-proceeded report where one is due) or after its
disposition; then the re-arrest follow-up. The participant's withdrawal after an agreement
is no early end but the agreement's non-completion: the final report says so."""

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.case_activities import CaseActivities
    from domain.agreement import ObligationProgress
    from domain.case import StopRecord
    from domain.enums import ObligationStatus, Outcome, ReportKind, Role, Stage, TaskKind
    from domain.message_kinds import MessageKind
    from workflows.case_base import CaseStopped
    from workflows.case_monitoring import CaseMonitoring
    from workflows.follow_up_input import FollowUpInput


class CaseEnding(CaseMonitoring):
    async def _end_early(self, stop: StopRecord) -> None:
        if stop.not_completed:
            await self._not_completed()
            return
        self.case.stop = stop
        self._log(
            "restorative process did not proceed" if stop.reason else f"ended: {stop.outcome}"
        )
        for task in self.case.open_tasks():
            # A refused filing still open is a safety report's, filed beside the flow: it is
            # settled before the case closes, never dropped (DESIGN §2 rule 7).
            if task.kind is not TaskKind.RESOLVE_FILING:
                self._close_task(task, cancelled=True)
        await self._cancel_obligations()
        if stop.outcome in (Outcome.NOT_PROCEEDED, Outcome.TERMINATED_SAFETY) and stop.reason:
            await self._file(ReportKind.NOT_PROCEEDED, stop.reason)
        await self._drain_outgoing()
        await self._notify(MessageKind.CASE_CLOSED, role=Role.COORDINATOR, detail=stop.outcome)
        await self._close(stop.outcome)

    async def _not_completed(self) -> None:
        """The participant withdrew after the agreement: his open items are cancelled, the
        final report tells the court the agreement was not completed, with the obligations
        table, and the court's disposition closes the case."""
        self._stopping = None
        self.case.agreement_not_completed = True
        self.case.awaiting_directive = False
        self._log("the agreement was not completed", staff_only=True)
        for task in self.case.open_tasks():
            if task.obligation_index is not None or task.kind is TaskKind.RECORD_DIRECTIVE:
                self._close_task(task, cancelled=True)
        agreement = self.case.agreement
        if not self.case.obligations_started and agreement is not None:  # agreed, not begun
            self.case.obligations = [
                ObligationProgress(
                    index=i,
                    kind=o.kind,
                    description=o.description,
                    occurrences=o.occurrences,
                    status=ObligationStatus.CANCELLED,
                )
                for i, o in enumerate(agreement.obligations)
            ]
        await self._cancel_obligations()
        # A suspension the withdrawal cut short is waited for again before the disposition.
        self._in_suspension = False
        try:
            await self._final_report()
        except CaseStopped as stopped:
            await self._end_early(stopped.stop)

    # Provided by the case (workflows/case.py).
    async def _final_report(self) -> None:
        raise NotImplementedError

    async def _close(self, outcome: Outcome) -> None:
        await self._until_answered()  # every filing settled: none is dropped by closing
        if self._safety_first:
            # Safety reports and notices under way beside the flow go out first.
            await workflow.wait_condition(lambda: not self._urgent_busy())
        self.case.outcome = outcome
        self.case.stage = Stage.CLOSED
        self.case.stage_deadline = None
        self._log(f"closed: {outcome}")
        self._publish()
        if self._keeping_evidence and self.case.jurisdiction.policy.recidivism_follow_up_months:
            await self._start_follow_up(outcome)

    async def _start_follow_up(self, outcome: Outcome) -> None:
        """Re-arrest checks after closure, in a workflow of their own: the case's result is
        not held back for two years."""
        await workflow.execute_activity_method(
            CaseActivities.start_follow_up,
            FollowUpInput(
                case_id=self.case.case_id,
                jurisdiction=self.case.jurisdiction,
                participant=self.case.referral.participant,
                closed_at=workflow.now(),
                outcome=outcome,
            ),
            start_to_close_timeout=timedelta(minutes=1),
        )
