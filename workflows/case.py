"""DiversionCase: one court-referred domestic-violence case, from referral to closure.

referral → screening → engagement → preparation → facilitated conference →
agreement monitoring → final report → court disposition → closed. Any stage may end
early with a neutral not-proceeded report (DESIGN §3).

Updates: complete_task, withdraw_consent, report_safety_event, report_incident, court_directive,
record_disposition, set_statement_sharing, filing_status (the court's later answer, in
case_answers). Signal: obligation_progress (from its Obligation children).
Queries: view, open_tasks. Search attributes: workflows/search_attributes.py.
"""

import asyncio
from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.case import ConsentRecord, ScreeningRecord, Statement
    from domain.court_reports import compliance_level
    from domain.eligibility import assess_eligibility
    from domain.enums import ConferenceResult as Result
    from domain.enums import (
        ConsentMode,
        DispositionKind,
        NotProceededReason,
        Outcome,
        Party,
        ReportKind,
        ReviewTrigger,
        Role,
        Stage,
        TaskKind,
    )
    from domain.risk import flags_from_incidents
    from domain.task_payloads import (
        AssignFacilitators,
        MultiAgencyReview,
        ParticipantConsent,
        RecordOutcome,
        SafetyPlan,
        ScheduleConference,
        ScreenCase,
        VictimConsent,
    )
    from workflows.case_base import DAY, CaseStopped, not_proceeded
    from workflows.case_input import CaseInput
    from workflows.case_readiness import CaseReadiness

NEUTRAL = NotProceededReason.PROCESS_DID_NOT_PROCEED
COORDINATOR, ADVOCATE, FACILITATOR = Role.COORDINATOR, Role.VICTIM_ADVOCATE, Role.FACILITATOR


@workflow.defn
class DiversionCase(CaseReadiness):
    @workflow.init
    def __init__(self, input: CaseInput) -> None:
        self._setup(input)

    @workflow.run
    async def run(self, input: CaseInput) -> Outcome:
        stages = [
            (Stage.REFERRED, self._intake),
            (Stage.SCREENING, self._screening),
            (Stage.ENGAGEMENT, self._engagement),
            (Stage.PREPARATION, self._preparation),
            (Stage.CONFERENCE, self._conference),
            (Stage.MONITORING, self._monitoring),
            (Stage.FINAL_REPORT, self._final_report),
        ]
        if self._progress_queued:
            self._progress_applier = asyncio.create_task(self._apply_queued_progress())
        if self._watching_police:
            self._incident_watch = asyncio.create_task(self._watch_incidents())
        if self._safety_first:
            self._urgent_sender = asyncio.create_task(self._send_urgent())
        self._resume_following()  # filings still awaiting the court's answer
        order = [stage for stage, _ in stages]
        current = self._flow_stage() if self._safety_first else self.case.stage
        resume_at = order.index(current) if current in order else 0
        try:
            for _, step in stages[resume_at:]:
                await step()
        except CaseStopped as stopped:
            await self._end_early(stopped.stop)
        self._stop_watching()
        await workflow.wait_condition(self._progress_settled)
        assert self.case.outcome is not None
        return self.case.outcome

    async def _intake(self) -> None:
        referral = self.case.referral
        offences = [c.offense_date for c in referral.charges if c.offense_date]
        since = min(offences, default=workflow.now().date()) - timedelta(days=5 * 365)
        fetched = await self._police_check(since, "intake")
        # An incident pushed while this fetch ran is kept, not overwritten, or a second
        # push of it would read as new.
        seen = {i.incident_number for i in fetched}
        pushed = [i for i in self.case.incidents if i.incident_number not in seen]
        self.case.incidents = fetched + pushed
        self.case.auto_flags = flags_from_incidents(self.case.incidents)
        if self._pulling_hearings:
            await self._refresh_hearings()
        self._log("referral received")

    async def _screening(self) -> None:
        self._enter(Stage.SCREENING)
        screening = await self._task(TaskKind.SCREEN_CASE, [COORDINATOR])
        assert isinstance(screening, ScreenCase)
        policy = self.case.jurisdiction.policy
        if self.case.referral.prior_rj_for_offence:  # the court's word counts too
            screening = screening.model_copy(update={"prior_rj_for_offence": True})
        verdict = assess_eligibility(screening, self.case.auto_flags, policy)
        self.case.screening = ScreeningRecord(
            eligible=verdict.eligible,
            reasons=verdict.reasons,
            risk=screening.risk,
            risk_level=verdict.risk_level,
            flags=verdict.flags,
            review_required=verdict.review_required,
        )
        if not verdict.eligible:
            raise not_proceeded(NotProceededReason.NOT_ELIGIBLE, "; ".join(verdict.reasons))
        if verdict.review_required:
            escalations = [f for f in verdict.flags if f in policy.escalation_items]
            task = self._open_review(ReviewTrigger.SCREENING, escalations)
            await self._until(lambda: task.done_at is not None)
            review = self._results.pop(task.id)
            assert isinstance(review, MultiAgencyReview)
            self.case.screening.review_passed = review.may_proceed
            if not review.may_proceed:
                raise not_proceeded(NotProceededReason.NOT_SUITABLE, "multi-agency review")
        await self._file(ReportKind.SCREENING_OUTCOME)

    async def _engagement(self) -> None:
        """Victim first, through the advocate only; then the participant."""
        self._enter(Stage.ENGAGEMENT)
        victim = await self._task(TaskKind.VICTIM_CONSENT, [ADVOCATE])
        assert isinstance(victim, VictimConsent)
        if victim.statement:
            shared = victim.share_statement_with_court
            self.case.victim_statements.append(
                Statement(text=victim.statement, share_with_court=shared)
            )
        if not victim.consents:
            raise not_proceeded(NEUTRAL, "the victim declined")
        self._consented(Party.VICTIM, victim.mode)
        self.case.victim_wants_updates = victim.wants_progress_updates
        participant = await self._task(TaskKind.PARTICIPANT_CONSENT, [COORDINATOR])
        assert isinstance(participant, ParticipantConsent)
        if not participant.consents:
            raise not_proceeded(NEUTRAL, "the participant declined")
        self._consented(Party.PARTICIPANT, None)

    async def _preparation(self) -> None:
        self._enter(Stage.PREPARATION)
        assigned = await self._task(TaskKind.ASSIGN_FACILITATORS, [COORDINATOR])
        assert isinstance(assigned, AssignFacilitators)
        self.case.facilitators = assigned.assigned()  # id, name and token subject of each
        *_, plan = await self._tasks(
            (TaskKind.PRE_MEETING_VICTIM, [FACILITATOR, ADVOCATE]),
            (TaskKind.PRE_MEETING_PARTICIPANT, [FACILITATOR]),
            (TaskKind.SAFETY_PLAN, [ADVOCATE]),
        )
        assert isinstance(plan, SafetyPlan)
        self.case.meetings_held = [Party.VICTIM, Party.PARTICIPANT]
        self.case.safety_plan_in_place = plan.in_place
        if not plan.in_place:
            raise not_proceeded(NEUTRAL, "no safety plan could be put in place")

    async def _conference(self) -> None:
        self._enter(Stage.CONFERENCE)
        policy = self.case.jurisdiction.policy
        while True:
            scheduled = await self._task(TaskKind.SCHEDULE_CONFERENCE, [COORDINATOR])
            assert isinstance(scheduled, ScheduleConference)
            self.case.conference.at, self.case.conference.location = (
                scheduled.at,
                scheduled.location,
            )
            self._set_deadline(scheduled.at + DAY)
            self._log("conference scheduled")
            await self._until(
                lambda: False, wake_at=scheduled.at - policy.readiness_window_hours * DAY / 24
            )
            if not await self._readiness_gate():
                continue  # not cleared for this date: schedule again
            outcome = await self._task(TaskKind.RECORD_OUTCOME, [FACILITATOR])
            assert isinstance(outcome, RecordOutcome)
            self.case.conference.result = outcome.result
            if outcome.victim_statement:
                self.case.victim_statements.append(
                    Statement(
                        text=outcome.victim_statement,
                        share_with_court=outcome.share_statement_with_court,
                    )
                )
            if outcome.result is Result.AGREEMENT:
                self.case.agreement = outcome.agreement
                await self._file(ReportKind.AGREEMENT_REACHED)
                return
            reschedules = self.case.conference.reschedules
            if (
                outcome.result is Result.VICTIM_NO_SHOW
                and reschedules < policy.victim_no_show_reschedules
            ):
                self.case.conference.reschedules += 1
                self._log("conference to be rescheduled", staff_only=True)
                continue
            raise not_proceeded(NEUTRAL, f"conference ended: {outcome.result}")

    async def _monitoring(self) -> None:
        if not self.case.obligations_started:
            self._enter(Stage.MONITORING)
            self.case.last_progress_report_at = workflow.now()
            await self._start_obligations()
        while True:
            breach = self._unreported_breach()
            if breach is not None:
                await self._noncompliance(breach)
            elif self._obligations_resolved():
                return
            elif self._history_too_long():
                await self._continue_as_new()
            else:
                report_at = self._next_report_at()
                wake_at = self._monitoring_wake_at(report_at)
                if not await self._until(self._monitoring_should_wake, wake_at=wake_at):
                    if self._pulling_hearings:
                        await self._refresh_hearings()
                        if not self._progress_report_due():
                            continue  # a check between reports, or the hearing moved later
                        self._mark_hearings_reported()
                    # The schedule, not the filing time, sets the next date, so no drift; a
                    # hearing moved earlier than the schedule brings its report to now.
                    self.case.last_progress_report_at = min(report_at, workflow.now())
                    await self._file(ReportKind.PROGRESS)

    async def _final_report(self) -> None:
        self._enter(Stage.FINAL_REPORT)
        self.case.compliance = compliance_level(self.case)
        await self._file(ReportKind.FINAL)
        await self._until(
            lambda: self.case.disposition is not None, on_deadline=self._chase_disposition
        )
        completed = self.case.disposition is DispositionKind.COMPLETED
        await self._close(Outcome.COMPLETED if completed else Outcome.NONCOMPLIANT)

    # -- stage helpers --------------------------------------------------------------------

    def _consented(self, party: Party, mode: ConsentMode | None) -> None:
        record = self.case.consent(party)
        if record is None:
            record = ConsentRecord(party=party)
            self.case.consents.append(record)
        record.given_at, record.mode = workflow.now(), mode.value if mode else None
        self._log(f"{party} consented", staff_only=True)
