"""Monitoring the agreement: one Obligation child per item and the reports each sends
back (tasks for the coordinator, news the victim asked for, messages staff pass on to a
participant with no phone or email), breaches reported to the court and its directive
awaited (then chased), progress reports on the policy's cadence, continue-as-new for long
programmes."""

from collections.abc import Callable
from datetime import timedelta

from temporalio import workflow
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from domain.agreement import ObligationProgress
    from domain.enums import ObligationStatus, ReportKind, Role, TaskKind
    from domain.message_kinds import MessageKind
    from domain.message_log import NO_CONTACT_ON_FILE, MessageRecord
    from domain.notifications import DeliveryStatus
    from workflows.case_base import DAY
    from workflows.case_input import CaseInput
    from workflows.case_safety import obligation_workflow_id
    from workflows.case_withdrawal import CaseWithdrawal
    from workflows.messages import ObligationInput, ObligationReport
    from workflows.obligation import ObligationWorkflow

COORDINATOR = Role.COORDINATOR


class CaseMonitoring(CaseWithdrawal):
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
        if self._waits_end and self._victim_withdrew():  # while the agreement was filed
            self._release_victim_items()
        started = []
        for index, obligation in enumerate(agreement.obligations):
            if self.case.obligations[index].released_for_victim:
                continue
            started.append(index)
            await workflow.start_child_workflow(
                ObligationWorkflow.run,
                ObligationInput(
                    case_id=self.case.case_id,
                    index=index,
                    obligation=obligation,
                    jurisdiction=self.case.jurisdiction,
                    participant_reachable=reachable,
                    participant_phone=self.case.referral.participant.phone,
                    participant_email=self.case.referral.participant.email,
                    case_number=self.case.referral.court.case_number,
                ),
                id=obligation_workflow_id(self.case.case_id, index),
                # Children outlive a continue-as-new of the case; they report by signal.
                parent_close_policy=ParentClosePolicy.ABANDON,
            )
        self.case.obligations_started = True
        # The victim withdrew while they were being started: stop those already running.
        self._releasing += [i for i in started if self.case.obligations[i].released_for_victim]

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

        def directed() -> bool:
            return not self.case.awaiting_directive

        if not self._waits_end:
            await self._until(directed)
            return
        days = self.case.jurisdiction.policy.directive_wait_days
        if not await self._until(directed, wake_at=workflow.now() + days * DAY):
            await self._chase_directive(directed)

    async def _chase_directive(self, directed: Callable[[], bool]) -> None:
        """The court gave no directive in the policy's days: the coordinator asks it and
        records the answer (or the court gives it itself meanwhile)."""
        task = self._open_task(
            TaskKind.RECORD_DIRECTIVE,
            [COORDINATOR],
            due=workflow.now() + 7 * DAY,
            subject="the court has given no directive after the non-compliance report",
        )
        await self._notify(MessageKind.DIRECTIVE_OVERDUE, role=COORDINATOR)
        await self._chase_until(directed, task)

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
        task = self._open_task(
            TaskKind.RECORD_DISPOSITION,
            [COORDINATOR],
            due=workflow.now() + 7 * DAY,
            subject="the court has not recorded its disposition",
        )
        await self._notify(MessageKind.DISPOSITION_OVERDUE, role=COORDINATOR)
        if self._waits_end:
            await self._chase_until(lambda: self.case.disposition is not None, task)

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
        if report.delivery is not None:  # kept whatever the case is doing: staff read it
            self.case.messages.append(report.delivery)
            self.case.version += 1
        if self.case.stop or self.case.outcome or self.case.agreement_not_completed:
            # The flow is ending the case, or the agreement, and cancels its obligations:
            # no new tasks. Only flow-set state is read here, so replay cannot reorder this
            # against an update.
            return
        if self.case.obligations[report.index].released_for_victim:
            # Ended when the victim withdrew; its workflow, being stopped, said more. (The
            # queue applies reports after every handler, so the order cannot change.)
            return
        if report.event == "message":
            if report.delivery is not None and report.delivery.reached_nobody:
                self._alert_undelivered(report.delivery, report.message)
            return
        self.case.obligations[report.index] = report.progress
        if report.event in ("met", "excused", "breached", "extended"):
            self._close_obligation_tasks(report.index, report.occurrence)
        elif report.event == "missed":  # what staff are to pass on about it stays open
            keep = TaskKind.CONTACT_PARTICIPANT
            self._close_obligation_tasks(report.index, report.occurrence, keep=keep)
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
        elif report.event == "contact_needed":
            self._pass_on_to_participant(report)
        elif report.event == "met":
            self._tell_victim_if_asked(report.progress)
        self._log(f"obligation {report.index + 1} {report.event}", staff_only=True)

    def _pass_on_to_participant(self, report: ObligationReport) -> None:
        """A reminder or warning that cannot reach the participant (no phone or email on
        file, none usable, or the provider refused it): a staff task instead, replacing
        the one before it for the same item."""
        for task in self.case.open_tasks():
            if task.kind is TaskKind.CONTACT_PARTICIPANT and task.obligation_index == report.index:
                self._close_task(task, cancelled=True)
        now = workflow.now()
        self._open_task(
            TaskKind.CONTACT_PARTICIPANT,
            [Role.COORDINATOR],
            due=max(report.due, now + DAY) if report.due else now + DAY,
            subject=f"{undelivered_because(report.delivery)}; pass on: {report.message}",
            obligation_index=report.index,
            occurrence=report.occurrence,
        )

    def _tell_victim_if_asked(self, progress: ObligationProgress) -> None:
        """Only through the advocate, only if the victim asked and has not withdrawn."""
        agreement = self.case.agreement
        informed = agreement is not None and agreement.obligations[progress.index].victim_informed
        if informed and self.case.victim_wants_updates and self.case.victim_contact_allowed():
            self._queue_notice(
                MessageKind.VICTIM_UPDATE,
                role=Role.VICTIM_ADVOCATE,
                detail=progress.description,
                count=progress.met,
                total=progress.occurrences,
            )


def undelivered_because(delivery: MessageRecord | None) -> str:
    """Why a message to the participant is staff's to pass on, in a task's words."""
    if delivery is None or delivery.detail == NO_CONTACT_ON_FILE:
        return NO_CONTACT_ON_FILE
    if delivery.status is DeliveryStatus.REFUSED:
        return f"the message was refused ({delivery.detail or 'no reason given'})"
    if delivery.status is DeliveryStatus.NOT_SENT:
        return f"the message could not be sent ({delivery.detail or 'provider unavailable'})"
    return f"no usable phone or email ({delivery.detail or 'none the provider could use'})"
