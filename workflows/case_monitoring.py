"""Monitoring the agreement: one Obligation child per item and the reports each sends
back (tasks for the coordinator, news the victim asked for), breaches reported to the
court, progress reports on the policy's cadence, continue-as-new for long programmes."""

from datetime import timedelta

from temporalio import workflow
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from domain.agreement import ObligationProgress
    from domain.enums import ObligationStatus, ReportKind, Role, TaskKind
    from workflows.case_base import DAY
    from workflows.case_hearings import CaseHearings
    from workflows.case_input import CaseInput
    from workflows.case_safety import obligation_workflow_id
    from workflows.messages import ObligationInput, ObligationReport
    from workflows.obligation import ObligationWorkflow

COORDINATOR = Role.COORDINATOR


class CaseMonitoring(CaseHearings):
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

    def _monitoring_should_wake(self) -> bool:
        resolved = self._obligations_resolved()
        return resolved or self._unreported_breach() is not None or self._history_too_long()

    async def _continue_as_new(self) -> None:
        """Long monitoring starts a fresh history; state and open tasks travel with it."""
        if self._safety_first:
            self.case.version += 1  # releases waiting long-polls, so the handlers can finish
            # What runs beside the flow does not travel: safety reports and notices go out
            # first, and a stop or a suspension arriving meanwhile is the flow's to handle.
            await self._until(lambda: self._progress_settled() and not self._urgent_busy())
            self.case.continued_as_new += 1
        else:
            self.case.continued_as_new += 1
            self.case.version += 1
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

    # -- from the obligation workflows ---------------------------------------------------

    @workflow.signal
    def obligation_progress(self, report: ObligationReport) -> None:
        if self._progress_queued:
            self._progress.append(report)  # see _apply_queued_progress
        else:
            self._apply_progress(report)

    async def _apply_queued_progress(self) -> None:
        """Apply obligation reports after every handler of the workflow task has run.

        On replay a signal and an update that arrived in one workflow task can reach the
        handlers in the other order than they did live. Applied in its handler, a report
        emitted its commands (memo, search attributes) before or after the update's
        acceptance depending on that order, and the history no longer replayed. Queued, the
        signal handler emits nothing; this coroutine, waiting since the case started, wakes
        only once the handlers are done, in the same place live and on replay."""
        while True:
            await workflow.wait_condition(lambda: bool(self._progress))
            while self._progress:
                self._apply_progress(self._progress.pop(0))

    def _progress_settled(self) -> bool:
        """No handler still running and no obligation report waiting to be applied."""
        return workflow.all_handlers_finished() and not self._progress

    def _apply_progress(self, report: ObligationReport) -> None:
        if self.case.stop or self.case.outcome:
            # The flow is ending the case and cancels its obligations: no new tasks. Only
            # flow-set state is read here, so replay cannot reorder this against an update.
            return
        self.case.obligations[report.index] = report.progress
        if report.event in ("met", "missed", "excused", "breached", "extended"):
            self._close_obligation_tasks(report.index, report.occurrence)
        if report.event == "due":
            self._open_task(
                TaskKind.VERIFY_EVIDENCE,
                [Role.COORDINATOR],
                due=report.due,
                subject=f"{report.progress.description} (#{report.occurrence + 1})",
                obligation_index=report.index,
                occurrence=report.occurrence,
            )
        elif report.event == "review_needed":
            days = self.case.jurisdiction.policy.obligation_ladder.review_days
            self._open_task(
                TaskKind.REVIEW_MISSED_OBLIGATION,
                [Role.COORDINATOR],
                due=workflow.now() + timedelta(days=days),
                subject=f"missed: {report.progress.description} (#{report.occurrence + 1})",
                obligation_index=report.index,
                occurrence=report.occurrence,
            )
        elif report.event == "met":
            self._tell_victim_if_asked(report.progress)
        self._log(f"obligation {report.index + 1} {report.event}", staff_only=True)

    def _close_obligation_tasks(self, index: int, occurrence: int) -> None:
        for task in self.case.open_tasks():
            if task.obligation_index == index and task.occurrence == occurrence:
                self._close_task(task, cancelled=True)

    def _tell_victim_if_asked(self, progress: ObligationProgress) -> None:
        """Only through the advocate, only if the victim asked and has not withdrawn."""
        agreement = self.case.agreement
        informed = agreement is not None and agreement.obligations[progress.index].victim_informed
        if informed and self.case.victim_wants_updates and self.case.victim_contact_allowed():
            self._queue_notice(
                "Progress the victim asked to hear about",
                f"{progress.description}: {progress.met} of {progress.occurrences} met.",
                role=Role.VICTIM_ADVOCATE,
            )
