"""The readiness gate before each conference (DESIGN §2 rule 6): the advocate's check
(victim safe, no new incidents, risk re-checked), the safety plan in place, and a fresh
police check. An incident found there is a safety event, as anywhere else.

A conference the gate has not cleared by its scheduled time, or one a safety event
overtook after the advocate's check, goes back to scheduling with fresh time for it."""

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.enums import NotProceededReason, Role, Stage, TaskKind
    from domain.message_kinds import MessageKind
    from domain.risk import at_least, risk_level
    from domain.task_payloads import ReadinessCheck
    from workflows.case_base import not_proceeded
    from workflows.case_ending import CaseEnding


class CaseReadiness(CaseEnding):
    async def _readiness_gate(self) -> bool:
        """True if the conference may go ahead; False if it is to be scheduled again.
        Raises CaseStopped if the gate is not passed."""
        ready = await self._readiness_check()
        if ready is None:
            self._reschedule("the readiness check was not done before the conference time")
            return False
        events = len(self.case.safety_events)  # the ones the advocate's check knew of
        policy = self.case.jurisdiction.policy
        level = risk_level(ready.risk_rechecked, policy)
        known = {i.incident_number for i in self.case.incidents}
        since = self.case.referral.referred_on or workflow.now().date()
        found = await self._police_check(since, "the readiness gate")
        if self._safety_first:
            for incident in found:
                self._new_incident(incident)
            if len(self.case.safety_events) > events:
                await self._until(lambda: self.case.suspension is None)
                self._reschedule("a safety event came after the readiness check")
                return False
        new = [i for i in found if i.incident_number not in known]
        safe = ready.victim_safe_to_proceed and ready.no_new_incidents and not new
        if (
            not safe
            or not self.case.safety_plan_in_place
            or at_least(level, policy.exclude_at_level)
        ):
            raise not_proceeded(NotProceededReason.NOT_SUITABLE, "readiness gate not passed")
        return True

    async def _readiness_check(self) -> ReadinessCheck | None:
        """The advocate's check; None if the conference's time came first."""
        if not self._safety_first:
            ready = await self._task(TaskKind.READINESS_CHECK, [Role.VICTIM_ADVOCATE])
            assert isinstance(ready, ReadinessCheck)
            return ready
        task = self._open_task(TaskKind.READINESS_CHECK, [Role.VICTIM_ADVOCATE])
        if not await self._until(lambda: task.done_at is not None, wake_at=self.case.conference.at):
            self._close_task(task, cancelled=True)
            return None
        ready = self._results.pop(task.id)
        assert isinstance(ready, ReadinessCheck)
        return ready

    def _reschedule(self, why: str) -> None:
        """Back to scheduling, with the conference stage's full time to do it."""
        days = self.case.jurisdiction.policy.stage_deadline_days[Stage.CONFERENCE]
        self._set_deadline(workflow.now() + timedelta(days=days))
        self._log(f"conference to be scheduled again: {why}", staff_only=True)
        self._queue_notice(MessageKind.CONFERENCE_RESCHEDULE, role=Role.COORDINATOR, detail=why)
