"""Sending the case's staff messages, and what becomes of each: logged on the case, and a
message that reached nobody becomes a staff task (DESIGN §9).

Cases started since `notify-give-up` send each message beside the flow in a coroutine of
its own, retried for the policy's patience (workflows/notices.py): a provider that is
down holds back no deadline, no other message and no stop of the victim's items. The
advocate's safety alert is the exception: the court's report follows it (case_safety)."""

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.enums import Role, TaskKind
    from domain.message_kinds import URGENT_KINDS, MessageKind
    from domain.message_log import MessageRecord
    from domain.notifications import DeliveryOutcome, NotificationSettings
    from domain.reports import Notification
    from workflows import notices
    from workflows.case_base import DAY, CaseBase


class CaseNotices(CaseBase):
    async def _notify(self, kind: MessageKind, *, role: Role, **facts: str | int) -> None:
        """Send a staff message of `kind`, filled from `facts` (never the case itself):
        beside the flow where it may (`notify-give-up`), so a provider that is down delays
        no deadline; otherwise the flow waits for it."""
        message = self._notification(kind, role, facts)
        if self._sending_beside:
            self._send_beside(message)
        else:
            await self._send_now(message)

    async def _send_now(self, message: Notification) -> None:
        self._delivered(message, await notices.send(message, self._patience()))

    def _send_beside(self, message: Notification) -> None:
        """Each message in a coroutine of its own: one its provider keeps refusing holds
        back neither the flow nor another message, an urgent one least of all. A case
        closes or continues as new only once all are settled (`_urgent_busy`)."""
        self._urgent_in_flight += 1
        sending = asyncio.create_task(self._settle(message))
        self._sending = [t for t in self._sending if not t.done()] + [sending]

    async def _settle(self, message: Notification) -> None:
        try:
            await self._send_now(message)
        finally:
            self._urgent_in_flight -= 1
            self.case.version += 1  # a client waiting for the message's outcome sees it now

    async def _drain_outgoing(self) -> None:
        while self._outgoing:
            message = self._outgoing.pop(0)
            if self._sending_beside:
                self._send_beside(message)
            else:
                await self._send_now(message)

    def _delivered(self, message: Notification, outcome: DeliveryOutcome | None) -> None:
        """Log what became of a staff message; one that reached nobody becomes a task."""
        if not self._reading_outcomes:
            return
        record = notices.delivery_record(message, outcome, workflow.now())
        self.case.messages.append(record)
        self.case.version += 1
        if record.reached_nobody:
            self._alert_undelivered(record, f"{message.subject}. {message.body}")

    def _alert_undelivered(self, record: MessageRecord, about: str) -> None:
        """A staff message nobody received: the coordinator passes it on and mends the
        staff directory. One such task at a time; later failures are in the log, as are
        those of a case ending early (its tasks are closed: none could be done)."""
        open_kinds = {t.kind for t in self.case.open_tasks()}
        if self.case.stop or self.case.outcome or TaskKind.PASS_ON_MESSAGE in open_kinds:
            return
        self._open_task(
            TaskKind.PASS_ON_MESSAGE,
            [Role.COORDINATOR],
            due=workflow.now() + DAY,
            urgent=record.kind in URGENT_KINDS,
            subject=notices.pass_on_subject(record, about),
        )

    def _patience(self) -> NotificationSettings | None:
        """How long a send is retried; None (without end) in cases started before it."""
        return self.case.jurisdiction.policy.notifications if self._giving_up else None
