"""Waits that no stage deadline carries: a report waiting on staff, and the court's
directive or disposition once a task chases it. The task is reminded when due, then
escalated to the coordinator on the policy's cadence for as long as it stays open; it
never expires into an outcome (DESIGN §3, "Every wait has an end")."""

import contextlib
from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.enums import Role
    from domain.message_kinds import MessageKind
    from domain.tasks import Task
    from workflows.case_base import DAY
    from workflows.case_notices import CaseNotices


class CaseChasing(CaseNotices):
    def _chase_at(self, task: Task) -> datetime:
        """When the open `task` is chased next: reminded at its due time, then escalated
        every `escalate_every_days` after that."""
        due = task.due_at or task.opened_at
        if not task.reminded:
            return due
        every = self.case.jurisdiction.policy.escalate_every_days * DAY
        return due + every * (task.escalations + 1)

    async def _chase(self, task: Task) -> None:
        if not task.reminded:
            task.reminded = True
            for role in task.roles:
                await self._notify(
                    MessageKind.TASK_REMINDER, role=role, task=task.kind, due=self._due_text(task)
                )
        else:
            task.escalated = True
            task.escalations += 1
            await self._notify(
                MessageKind.TASK_ESCALATION,
                role=Role.COORDINATOR,
                task=task.kind,
                subject=task.subject,
                due=self._due_text(task),
            )
        self.case.version += 1  # a client waiting on the case sees the task chased

    async def _await_staff(self, task: Task) -> None:
        """Wait for staff to do `task`, chased, however long it takes. Nothing else runs
        in this wait: no stage ladder, no stop or suspension (what is waited for, a report
        on its way to the court, is settled before anything else happens to the case)."""
        while task.done_at is None:
            now, at = workflow.now(), self._chase_at(task)
            if at <= now:
                await self._chase(task)
                continue
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(lambda: task.done_at is not None, timeout=at - now)
