"""Safety events jump the queue (DESIGN §2 rule 4): suspend at once, urgent advocate
task, court report; resume only on the advocate's review or the court's direction."""

from datetime import date, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.case_activities import CaseActivities
    from domain.case import SafetyEventRecord, StopRecord, SuspendedStage
    from domain.enums import (
        NotProceededReason,
        Outcome,
        ReportKind,
        Role,
        SafetyEventKind,
        Stage,
        TaskKind,
    )
    from domain.referral import Incident
    from domain.risk import flags_from_incidents
    from domain.tasks import SafetyReview
    from workflows.case_base import CaseStopped
    from workflows.case_waiting import CaseWaiting
    from workflows.messages import IncidentQuery, Resume, SafetyEvent

DAY = timedelta(days=1)


def obligation_workflow_id(case_id: str, index: int) -> str:
    return f"{case_id}.o{index}"


class CaseSafety(CaseWaiting):
    # -- police incidents (DESIGN §2 rule 4) ---------------------------------------------

    def _new_incident(self, incident: Incident) -> bool:
        """A police incident involving the participant: if the case did not know it, a
        safety event, suspending the case in this very workflow task. True if it was new."""
        if any(i.incident_number == incident.incident_number for i in self.case.incidents):
            return False
        self.case.incidents.append(incident)
        self.case.auto_flags = flags_from_incidents(self.case.incidents)
        event = SafetyEvent(
            kind=SafetyEventKind.NEW_INCIDENT,
            description=f"police incident {incident.incident_number}",
        )
        self.case.safety_events.append(
            SafetyEventRecord(kind=event.kind, at=workflow.now(), description=event.description)
        )
        self._log("new police incident", staff_only=True)
        if self._stopping is None:
            self._suspend_now(event)
        return True

    async def _watch_incidents(self) -> None:
        """Ask the police on the policy's cadence while the case is open."""
        every = self.case.jurisdiction.policy.incident_check_every_days
        if not every:
            return
        first = self.case.timeline[0].at if self.case.timeline else workflow.now()
        while True:
            await workflow.sleep(timedelta(days=every))
            if self.case.outcome is not None or self._stopping is not None:
                return
            for incident in await self._incidents_since(first.date()):
                self._new_incident(incident)

    def _stop_watching(self) -> None:
        if self._incident_watch is not None:
            self._incident_watch.cancel()

    async def _incidents_since(self, since: date) -> list[Incident]:
        return await workflow.execute_activity_method(
            CaseActivities.fetch_incidents,
            IncidentQuery(
                jurisdiction=self.case.jurisdiction,
                participant=self.case.referral.participant,
                since=since,
            ),
            start_to_close_timeout=timedelta(minutes=2),
        )

    # -- suspension ---------------------------------------------------------------------

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
