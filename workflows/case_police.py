"""Asking the police (DESIGN §2 rules 4 and 6): at intake, at the readiness gate, and on
the policy's cadence while the case is open. A new incident is a safety event.

The flow's checks retry for `POLICE_PATIENCE`, then open a coordinator task naming the
outage: ask again, or record a check made by phone and what it found. `POLICE_PATIENCE`
is a constant, not policy: it is how long we tolerate another system's outage before a
person takes over, not a rule of the court's process, and the readiness gate needs it
well inside its 48-hour window whatever a jurisdiction sets. The polled watch keeps
retrying quietly beside the flow; it blocks nothing."""

from datetime import date, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.case_activities import CaseActivities
    from domain.case import ManualPoliceCheck, SafetyEventRecord
    from domain.enums import ReviewTrigger, Role, SafetyEventKind, TaskKind
    from domain.message_kinds import MessageKind
    from domain.referral import Incident
    from domain.risk import escalations_raised, flags_from_incidents
    from domain.task_payloads import ResolvePoliceCheck
    from workflows.case_base import DAY
    from workflows.case_safety import CaseSafety
    from workflows.messages import IncidentQuery, SafetyEvent

POLICE_PATIENCE = timedelta(hours=2)
POLICE_ATTEMPT_TIMEOUT = timedelta(minutes=2)
POLICE_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=10), maximum_interval=timedelta(minutes=10)
)


class CasePolice(CaseSafety):
    def _new_incident(self, incident: Incident) -> bool:
        """A police incident involving the participant: if the case did not know it, a
        safety event, suspending the case in this very workflow task; one raising an
        escalation flag after screening also needs a fresh multi-agency review before the
        case resumes. True if it was new."""
        if any(i.incident_number == incident.incident_number for i in self.case.incidents):
            return False
        known = list(self.case.incidents)
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
            raised = escalations_raised(incident, known, self.case.jurisdiction.policy)
            self._review_after_screening(
                raised, ReviewTrigger.NEW_INCIDENT, incident.incident_number
            )
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
        """Retried until the police answer: for the watch, which blocks nothing."""
        return await workflow.execute_activity_method(
            CaseActivities.fetch_incidents,
            self._incident_query(since),
            start_to_close_timeout=POLICE_ATTEMPT_TIMEOUT,
        )

    async def _police_check(self, since: date, purpose: str) -> list[Incident]:
        """The police's incidents for the participant since `since`, for the flow: past
        `POLICE_PATIENCE`, a coordinator task decides. Never a silent stall."""
        if not self._safety_first:
            return await self._incidents_since(since)
        while True:
            try:
                return await workflow.execute_activity_method(
                    CaseActivities.fetch_incidents,
                    self._incident_query(since),
                    start_to_close_timeout=POLICE_ATTEMPT_TIMEOUT,
                    schedule_to_close_timeout=POLICE_PATIENCE,
                    retry_policy=POLICE_RETRY,
                )
            except ActivityError as failure:
                why = _last_reason(failure)
            decision = await self._police_outage(purpose, why)
            if decision.retry:
                continue
            self.case.manual_police_checks.append(
                ManualPoliceCheck(
                    at=workflow.now(),
                    purpose=purpose,
                    checked_with=decision.checked_with,
                    incident_numbers=[i.incident_number for i in decision.incidents],
                )
            )
            self._log(f"police checked by hand for {purpose}", staff_only=True)
            return decision.incidents

    async def _police_outage(self, purpose: str, why: str) -> ResolvePoliceCheck:
        hours = POLICE_PATIENCE.total_seconds() / 3600
        task = self._open_task(
            TaskKind.RESOLVE_POLICE_CHECK,
            [Role.COORDINATOR],
            urgent=True,
            due=workflow.now() + DAY,
            subject=f"the police check for {purpose} had no answer in {hours:g} h: {why}",
        )
        await self._notify(MessageKind.POLICE_CHECK_FAILED, role=Role.COORDINATOR, detail=purpose)
        if self._waits_end:  # at intake no stage deadline carries it: chased on its own
            await self._chase_until(lambda: task.done_at is not None, task)
        else:
            await self._until(lambda: task.done_at is not None)
        decision = self._results.pop(task.id)
        assert isinstance(decision, ResolvePoliceCheck)
        return decision

    def _incident_query(self, since: date) -> IncidentQuery:
        return IncidentQuery(
            jurisdiction=self.case.jurisdiction,
            participant=self.case.referral.participant,
            since=since,
        )


def _last_reason(failure: BaseException) -> str:
    """The innermost cause: the last attempt's own error, not 'activity timed out'."""
    reason: BaseException = failure
    while reason.__cause__ is not None:
        reason = reason.__cause__
    return str(reason) or type(reason).__name__
