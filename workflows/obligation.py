"""ObligationWorkflow: one agreement item, with its escalation ladder (DESIGN §3).

For each due date: reminders to the participant (e.g. 7 d and 1 d before), then on a
miss a grace period, a warning, and, once misses exceed what the item allows, a
`review_missed_obligation` task on the case (extend / excuse / breach), escalated to the
coordinator when overdue and again on the policy's cadence until decided. A breach is
reported to the case, which files the significant-failure report to the court. A
participant with no phone or email gets no silent reminders: each message goes to the
case as a staff task to pass on, as does one the provider refused or could not address.
A message to the participant due in the jurisdiction's quiet hours waits for their end,
and one the provider cannot take is retried only outside them, for the policy's patience;
what became of each message is reported to the case, which keeps the log staff read.

Signals: evidence_verified, review_outcome, pause, resume (from the case).
Reports to its case through the case's `obligation_progress` signal.
"""

import contextlib
from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.agreement import ObligationProgress
    from domain.enums import ObligationStatus, ReviewDecision, Role
    from domain.local_time import local_time
    from domain.message_kinds import (
        ITEM_WORDS,
        MessageKind,
        StaffContext,
    )
    from domain.message_log import MessageRecord
    from domain.notifications import DeliveryOutcome, DeliveryStatus, NotificationSettings
    from domain.reports import Notification
    from rendering.message_text import MessageText, participant_message, render_message
    from workflows import notices
    from workflows.messages import (
        EvidenceVerified,
        ObligationEvent,
        ObligationInput,
        ObligationReport,
        Resume,
        ReviewOutcome,
    )

DAY = timedelta(days=1)
# Obligations started before it escalate an overdue review once, and say nothing when
# the participant has no phone or email (tests/histories).
WAITS_END_PATCH = "waits-end"
# Obligations started before it send at any hour and report nothing of what became of a
# message (tests/histories).
NOTIFY_FLOW_PATCH = "notify-flow"
# Obligations started before it, whose patience with the provider ran out in his quiet
# hours, gave up only when those hours ended, up to eleven hours late (tests/histories).
GIVE_UP_IN_QUIET_HOURS_PATCH = "give-up-in-quiet-hours"


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
        # Asked once, before any handler can run, so the marker has one place in history.
        self._waits_end = workflow.patched(WAITS_END_PATCH)
        self._reading_outcomes = workflow.patched(NOTIFY_FLOW_PATCH)
        self._giving_up = workflow.patched(notices.NOTIFY_GIVE_UP_PATCH)

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
                    await self._tell_participant(MessageKind.OBLIGATION_REMINDER, n, due)
            if await self._evidence_by(n, due + ladder.grace_days * DAY):
                self.progress.met += 1
                await self._report("met", n)
                return True
            self.progress.missed += 1
            self.progress.status = ObligationStatus.MISSED
            if self._reading_outcomes:  # staff hear of it at once; his warning may wait
                await self._report("missed", n)
                await self._tell_participant(MessageKind.OBLIGATION_WARNING, n, due)
            else:
                await self._tell_participant(MessageKind.OBLIGATION_WARNING, n, due)
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
            await self._tell_coordinator(n, escalations=1)
            if self._waits_end:
                await self._escalate_review(n)
            await workflow.wait_condition(lambda: n in self._reviews)
        return self._reviews.pop(n)

    async def _escalate_review(self, n: int) -> None:
        """Escalated and still undecided: escalate again on the policy's cadence."""
        every = self.input.jurisdiction.policy.escalate_every_days * DAY
        escalations = 1
        while n not in self._reviews:
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(lambda: n in self._reviews, timeout=every)
                return
            escalations += 1
            await self._tell_coordinator(n, escalations)

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
        self,
        event: ObligationEvent,
        occurrence: int,
        due: datetime | None = None,
        message: str = "",
        delivery: MessageRecord | None = None,
    ) -> None:
        report = ObligationReport(
            index=self.input.index,
            event=event,
            occurrence=occurrence,
            due=due + self._shift if due else None,
            progress=self.progress,
            message=message,
            delivery=delivery,
        )
        await workflow.get_external_workflow_handle(self.input.case_id).signal(
            "obligation_progress", report
        )

    async def _tell_participant(self, kind: MessageKind, n: int, due: datetime) -> None:
        """A reminder or warning about occurrence `n`: to his phone or email once quiet
        hours end, or to staff to pass on when it cannot reach him."""
        held_until = None
        if self._reading_outcomes and self.input.participant_reachable:
            held_until = await self._until_he_may_be_told()
            if kind is MessageKind.OBLIGATION_REMINDER and n in self._evidence:
                return  # done while the reminder waited
        item, timezone = self.input.obligation, self.input.jurisdiction.timezone
        text = participant_message(kind, item, n, due + self._shift, timezone)
        # For staff, who may read the item's own words: never sent to him.
        pass_on = (
            f"{text.subject}: {item.description}, due {local_time(due + self._shift, timezone)}"
        )
        if not self.input.participant_reachable:
            if self._waits_end:  # no phone or email: staff pass it on
                unsent = self._unsent(kind) if self._reading_outcomes else None
                await self._report("contact_needed", n, self.progress.next_due, pass_on, unsent)
            return
        notification = self._notification(kind, text, None)
        outcome = await self._send_by_day(notification)
        if not self._reading_outcomes:
            return
        record = notices.delivery_record(notification, outcome, workflow.now(), held_until)
        if record.reached_nobody:
            await self._report("contact_needed", n, self.progress.next_due, pass_on, record)
        else:
            await self._report("message", n, delivery=record)

    async def _send_by_day(self, notification: Notification) -> DeliveryOutcome | None:
        """Tried only outside quiet hours: a provider back at 23:00 must not text him then.
        Tries stop when quiet hours begin and go on when they end, within the patience,
        which is never stretched: run out in quiet hours, it ends then."""
        patience = self._patience()
        if patience is None:
            return await notices.send(notification, patience)
        policy, timezone = self.input.jurisdiction.policy, self.input.jurisdiction.timezone
        give_up_at = workflow.now() + patience.patience(urgent=False)
        while True:
            quiet = policy.quiet_hours.next_start(workflow.now(), timezone)
            until = min(give_up_at, quiet) if quiet else give_up_at
            outcome = await notices.send(notification, patience, until - workflow.now())
            cut_by_quiet_hours = quiet is not None and quiet < give_up_at
            if not (outcome and outcome.status is DeliveryStatus.NOT_SENT and cut_by_quiet_hours):
                return outcome
            assert quiet is not None
            if quiet > workflow.now():  # the server stops short of a retry the window would cut
                await workflow.sleep(quiet - workflow.now())
            ends = policy.quiet_hours.ends_after(workflow.now(), timezone)
            if workflow.patched(GIVE_UP_IN_QUIET_HOURS_PATCH) and ends and ends >= give_up_at:
                # The patience runs out in these quiet hours: staff hear of it then, and
                # pass the message on, not the next morning.
                if give_up_at > workflow.now():
                    await workflow.sleep(give_up_at - workflow.now())
                return outcome
            await self._until_he_may_be_told()
            if workflow.now() >= give_up_at:
                return outcome

    async def _until_he_may_be_told(self) -> datetime | None:
        """Wait, by durable timers, until the jurisdiction's quiet hours end and the case
        is not suspended (the item paused: its dates move on); when it waited, the moment
        it was held until."""
        policy, timezone = self.input.jurisdiction.policy, self.input.jurisdiction.timezone
        held_until = None
        while True:
            if self._paused:
                await workflow.wait_condition(lambda: not self._paused)
            elif ends := policy.quiet_hours.ends_after(workflow.now(), timezone):
                await workflow.sleep(ends - workflow.now())
            else:
                return held_until
            held_until = workflow.now()

    async def _tell_coordinator(self, n: int, escalations: int) -> None:
        """A missed occurrence still awaits review: never held, staff read it at work."""
        context = StaffContext(
            case_number=self.input.case_number or self.input.case_id,
            item=ITEM_WORDS[self.input.obligation.kind].removeprefix("your "),
            occurrence=n + 1,
            count=escalations,
        )
        text = render_message(MessageKind.MISSED_ITEM_ESCALATION, context)
        notification = self._notification(
            MessageKind.MISSED_ITEM_ESCALATION, text, Role.COORDINATOR
        )
        outcome = await notices.send(notification, self._patience())
        if self._reading_outcomes:
            record = notices.delivery_record(notification, outcome, workflow.now())
            about = f"{text.subject}: {text.body}"
            await self._report("message", n, message=about, delivery=record)

    def _patience(self) -> NotificationSettings | None:
        """How long a send is retried; None (without end) in obligations started before it."""
        return self.input.jurisdiction.policy.notifications if self._giving_up else None

    def _notification(
        self, kind: MessageKind, text: MessageText, role: Role | None
    ) -> Notification:
        self._sent += 1
        return notices.notification(
            f"{workflow.info().workflow_id}.n{self._sent}",
            self.input.case_id,
            self.input.jurisdiction.id,
            kind,
            text,
            workflow.now(),
            role=role,
            phone=self.input.participant_phone,
            email=self.input.participant_email,
        )

    def _unsent(self, kind: MessageKind) -> MessageRecord:
        self._sent += 1  # the id it would have had
        return notices.unsent_record(
            f"{workflow.info().workflow_id}.n{self._sent}", kind, workflow.now()
        )
