"""How a case ends: early (a neutral not-proceeded report where one is due) or after its
disposition; then the re-arrest follow-up."""

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.case_activities import CaseActivities
    from domain.case import StopRecord
    from domain.enums import Outcome, ReportKind, Role, Stage, TaskKind
    from workflows.case_monitoring import CaseMonitoring
    from workflows.follow_up_input import FollowUpInput


class CaseEnding(CaseMonitoring):
    async def _end_early(self, stop: StopRecord) -> None:
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
        await self._notify(
            "Case closed", f"The case closed: {stop.outcome}.", role=Role.COORDINATOR
        )
        await self._close(stop.outcome)

    async def _close(self, outcome: Outcome) -> None:
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
