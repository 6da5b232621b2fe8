"""Monitoring the agreement: one Obligation child per item, breaches reported to the
court, progress reports on the policy's cadence, continue-as-new for long programmes."""

from datetime import datetime

from temporalio import workflow
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from domain.agreement import ObligationProgress
    from domain.enums import ObligationStatus, ReportKind, Role, TaskKind
    from workflows.case_base import DAY
    from workflows.case_handlers import CaseHandlers
    from workflows.case_input import CaseInput
    from workflows.case_safety import obligation_workflow_id
    from workflows.messages import ObligationInput
    from workflows.obligation import ObligationWorkflow

COORDINATOR = Role.COORDINATOR


class CaseMonitoring(CaseHandlers):
    async def _start_obligations(self) -> None:
        agreement = self.case.agreement
        assert agreement is not None
        self.case.obligations = [
            ObligationProgress(
                index=i, kind=o.kind, description=o.description, occurrences=o.occurrences
            )
            for i, o in enumerate(agreement.obligations)
        ]
        reachable = bool(
            self.case.referral.participant.phone or self.case.referral.participant.email
        )
        for index, obligation in enumerate(agreement.obligations):
            await workflow.start_child_workflow(
                ObligationWorkflow.run,
                ObligationInput(
                    case_id=self.case.case_id,
                    index=index,
                    obligation=obligation,
                    jurisdiction=self.case.jurisdiction,
                    participant_reachable=reachable,
                ),
                id=obligation_workflow_id(self.case.case_id, index),
                # Children outlive a continue-as-new of the case; they report by signal.
                parent_close_policy=ParentClosePolicy.ABANDON,
            )
        self.case.obligations_started = True

    def _obligations_resolved(self) -> bool:
        done = {ObligationStatus.MET, ObligationStatus.BREACHED, ObligationStatus.CANCELLED}
        return all(o.status in done for o in self.case.obligations)

    def _unreported_breach(self) -> int | None:
        return next(
            (
                o.index
                for o in self.case.obligations
                if o.status is ObligationStatus.BREACHED
                and o.index not in self.case.breaches_reported
            ),
            None,
        )

    async def _noncompliance(self, index: int) -> None:
        self.case.breaches_reported.append(index)
        self.case.awaiting_directive = True
        await self._file(ReportKind.NON_COMPLIANCE)
        await self._until(lambda: not self.case.awaiting_directive)

    def _next_report_at(self) -> datetime:
        policy = self.case.jurisdiction.policy
        last = self.case.last_progress_report_at or workflow.now()
        candidates = [last + policy.progress_report_every_days * DAY]
        lead = policy.progress_report_before_hearing_days * DAY
        candidates += [h.at - lead for h in self.case.referral.court.hearings if h.at - lead > last]
        return min(candidates)

    def _monitoring_should_wake(self) -> bool:
        resolved = self._obligations_resolved()
        return resolved or self._unreported_breach() is not None or self._history_too_long()

    async def _continue_as_new(self) -> None:
        """Long monitoring starts a fresh history; state and open tasks travel with it."""
        self.case.continued_as_new += 1
        self.case.version += 1  # releases waiting long-polls, so the handlers can finish
        await workflow.wait_condition(self._progress_settled)
        workflow.continue_as_new(
            CaseInput(
                referral=self.case.referral,
                jurisdiction=self.case.jurisdiction,
                state=self.case,
                continue_as_new_after_events=self._history_limit,
            )
        )

    def _history_too_long(self) -> bool:
        info = workflow.info()
        return (
            info.get_current_history_length() > self._history_limit
            or info.is_continue_as_new_suggested()
        )

    async def _chase_disposition(self) -> None:
        self._set_deadline(None)
        self._open_task(
            TaskKind.RECORD_DISPOSITION,
            [COORDINATOR],
            due=workflow.now() + 7 * DAY,
            subject="the court has not recorded its disposition",
        )
        await self._notify(
            "Disposition overdue",
            "Ask the court for its disposition and record it.",
            role=COORDINATOR,
        )

    async def _cancel_obligations(self) -> None:
        if not self.case.obligations_started:
            return
        for progress in self.case.obligations:
            if progress.status in (ObligationStatus.MET, ObligationStatus.BREACHED):
                continue
            progress.status = ObligationStatus.CANCELLED
            await workflow.get_external_workflow_handle(
                obligation_workflow_id(self.case.case_id, progress.index)
            ).cancel()
