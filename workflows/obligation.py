"""ObligationWorkflow: one agreement item, with its escalation ladder (DESIGN §3).

For each due date: reminders to the participant (e.g. 7 d and 1 d before), then on a
miss a grace period, a warning, and, once misses exceed what the item allows, a
`review_missed_obligation` task on the case (extend / excuse / breach). A breach is
reported to the case, which files the significant-failure report to the court.

Signals: evidence_verified, review_outcome, pause, resume (from the case).
Reports to its case through the case's `obligation_progress` signal.
"""

import contextlib
from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.case_activities import CaseActivities
    from domain.agreement import ObligationProgress
    from domain.enums import ObligationStatus, ReviewDecision, Role
    from domain.local_time import local_date
    from domain.reports import Notification
    from workflows.messages import (
        EvidenceVerified,
        ObligationEvent,
        ObligationInput,
        ObligationReport,
        Resume,
        ReviewOutcome,
    )

DAY = timedelta(days=1)


@workflow.defn
class ObligationWorkflow:
    @workflow.init
    def __init__(self, input: ObligationInput) -> None:
        self.input = input
        item = input.obligation
        self.progress = ObligationProgress(
            index=input.index,
            kind=item.kind,
            description=item.description,
            occurrences=item.occurrences,
        )
        self._evidence: set[int] = set()
        self._reviews: dict[int, ReviewOutcome] = {}
        self._paused = False
        self._shift = timedelta(0)
        self._sent = 0

    @workflow.run
    async def run(self, input: ObligationInput) -> ObligationProgress:
        for occurrence, due in enumerate(input.obligation.due_dates()):
            if not await self._occurrence(occurrence, due):
                return self.progress
        self.progress.status = ObligationStatus.MET
        self.progress.next_due = None
        await self._report("completed", input.obligation.occurrences - 1)
        return self.progress

    async def _occurrence(self, n: int, due: datetime) -> bool:
        """One due date through the ladder; False once the item is breached."""
        ladder = self.input.jurisdiction.policy.obligation_ladder
        item = self.input.obligation
        while True:
            self.progress.status, self.progress.next_due = ObligationStatus.PENDING, due
            await self._report("due", n, due)
            for days in sorted(ladder.reminder_days_before, reverse=True):
                if await self._evidence_by(n, due - days * DAY):
                    break
                # An item agreed close to its due date skips reminders already long past.
                if workflow.now() - (due - days * DAY + self._shift) < DAY:
                    await self._tell_participant(
                        "Reminder",
                        f"{item.description} is due {self._local_date(due + self._shift)}.",
                    )
            if await self._evidence_by(n, due + ladder.grace_days * DAY):
                self.progress.met += 1
                await self._report("met", n)
                return True
            self.progress.missed += 1
            self.progress.status = ObligationStatus.MISSED
            await self._tell_participant(
                "Warning", f"{item.description} was missed ({self._local_date(due + self._shift)})."
            )
            await self._report("missed", n)
            if item.occurrences > 1 and self.progress.missed <= item.allowed_misses:
                return True
            review = await self._review(n)
            if review.decision is ReviewDecision.EXTEND:
                assert review.extend_days is not None
                self.progress.missed -= 1
                self.progress.extensions += 1
                due = workflow.now() + review.extend_days * DAY
                await self._report("extended", n)
                continue
            if review.decision is ReviewDecision.EXCUSE:
                self.progress.missed -= 1
                self.progress.excused += 1
                await self._report("excused", n)
                return True
            self.progress.status = ObligationStatus.BREACHED
            await self._report("breached", n)
            return False

    async def _evidence_by(self, n: int, until: datetime) -> bool:
        """Wait for evidence of occurrence `n` until `until` (later by any suspension)."""
        while n not in self._evidence:
            if self._paused:
                await workflow.wait_condition(lambda: not self._paused or n in self._evidence)
                continue
            remaining = until + self._shift - workflow.now()
            if remaining <= timedelta(0):
                return False
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: n in self._evidence or self._paused, timeout=remaining
                )
        return True

    async def _review(self, n: int) -> ReviewOutcome:
        self.progress.status = ObligationStatus.UNDER_REVIEW
        await self._report("review_needed", n)
        days = self.input.jurisdiction.policy.obligation_ladder.review_days
        try:
            await workflow.wait_condition(lambda: n in self._reviews, timeout=days * DAY)
        except TimeoutError:
            await self._notify(Role.COORDINATOR, "Escalation", "A missed obligation awaits review.")
            await workflow.wait_condition(lambda: n in self._reviews)
        return self._reviews.pop(n)

    # -- from the case --------------------------------------------------------------------

    @workflow.signal
    def evidence_verified(self, evidence: EvidenceVerified) -> None:
        self._evidence.add(evidence.occurrence)

    @workflow.signal
    def review_outcome(self, outcome: ReviewOutcome) -> None:
        self._reviews[outcome.occurrence] = outcome

    @workflow.signal
    def pause(self) -> None:
        self._paused = True

    @workflow.signal
    def resume(self, resumed: Resume) -> None:
        self._paused = False
        self._shift += timedelta(seconds=resumed.paused_seconds)

    @workflow.query
    def status(self) -> ObligationProgress:
        return self.progress

    # -- to the case and the participant --------------------------------------------------

    async def _report(
        self, event: ObligationEvent, occurrence: int, due: datetime | None = None
    ) -> None:
        report = ObligationReport(
            index=self.input.index,
            event=event,
            occurrence=occurrence,
            due=due + self._shift if due else None,
            progress=self.progress,
        )
        await workflow.get_external_workflow_handle(self.input.case_id).signal(
            "obligation_progress", report
        )

    def _local_date(self, moment: datetime) -> str:
        """The day as the participant reads it, in the jurisdiction's time zone."""
        return local_date(moment, self.input.jurisdiction.timezone)

    async def _tell_participant(self, subject: str, body: str) -> None:
        if self.input.participant_reachable:
            await self._notify(None, subject, body)

    async def _notify(self, role: Role | None, subject: str, body: str) -> None:
        self._sent += 1
        notification = Notification(
            id=f"{workflow.info().workflow_id}.n{self._sent}",
            case_id=self.input.case_id,
            jurisdiction=self.input.jurisdiction.id,
            to_role=role,
            to_participant=role is None,
            subject=subject,
            body=body,
            created_at=workflow.now(),
        )
        await workflow.execute_activity_method(
            CaseActivities.send_notification,
            notification,
            start_to_close_timeout=timedelta(seconds=30),
        )
