"""What the outside world can do to a running case: its updates and queries. (The
signal an obligation sends with its progress is monitoring's, in `case_monitoring`.)

Every update has a validator, so a wrong or late request is rejected with a message
before it touches history.
"""

import contextlib
from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.case import CaseState, ConsentRecord, DirectiveRecord, SafetyEventRecord, StopRecord
    from domain.enums import (
        DirectiveKind,
        NotProceededReason,
        Outcome,
        Party,
        ReviewTrigger,
        RiskFlag,
        Role,
        SafetyEventKind,
        Stage,
        TaskKind,
    )
    from domain.message_kinds import MessageKind
    from domain.referral import Incident, VictimContact
    from domain.task_payloads import (
        ContactParticipant,
        MultiAgencyReview,
        PassOnMessage,
        RecordDirective,
        RecordDisposition,
        ReviewMissedObligation,
        ReviewVictimContact,
        VerifyEvidence,
    )
    from domain.task_rules import TaskRejected, check_completion
    from domain.tasks import Task, TaskCompletion
    from workflows.case_police import CasePolice
    from workflows.case_safety import obligation_workflow_id
    from workflows.messages import (
        ConsentWithdrawal,
        CourtDirective,
        Disposition,
        EvidenceVerified,
        NumberedStatementSharing,
        ReviewOutcome,
        SafetyEvent,
    )

NEUTRAL = NotProceededReason.PROCESS_DID_NOT_PROCEED


class CaseHandlers(CasePolice):
    # -- tasks ----------------------------------------------------------------------------

    @workflow.update
    async def complete_task(self, completion: TaskCompletion) -> Task:
        task = self._task_by_id(completion.task_id)
        assert task is not None, "the validator checked it is open"
        payload = completion.payload
        self._close_task(task)
        task.completed_with = completion.mark  # an identical repeat is answered as done
        self._log(f"{task.kind} done", staff_only=True)
        if isinstance(payload, VerifyEvidence | ReviewMissedObligation):
            await self._relay_to_obligation(task, payload)
        elif isinstance(payload, RecordDisposition):
            self.case.disposition = payload.disposition
        elif isinstance(payload, RecordDirective):
            self._direct(CourtDirective(kind=payload.directive, note=payload.note))
        elif isinstance(payload, ContactParticipant):
            reached = "reached" if payload.reached else "not reached"
            self._log(f"participant {reached}: {payload.how}", staff_only=True)
        elif isinstance(payload, PassOnMessage):
            reached = "passed on" if payload.passed_on else "not passed on"
            self._log(f"undelivered message {reached}: {payload.how}", staff_only=True)
        elif isinstance(payload, ReviewVictimContact):
            self._review_contact(payload)
        elif not isinstance(payload, MultiAgencyReview) or self._record_review(
            task, payload, completion.completed_by
        ):
            self._results[task.id] = payload
        return task

    @complete_task.validator
    def _check_completion(self, completion: TaskCompletion) -> None:
        check_completion(self.case, completion, workflow.now())
        if isinstance(completion.payload, RecordDirective):
            self._check_directive(CourtDirective(kind=completion.payload.directive))

    async def _relay_to_obligation(
        self, task: Task, payload: VerifyEvidence | ReviewMissedObligation
    ) -> None:
        assert task.obligation_index is not None and task.occurrence is not None
        child = workflow.get_external_workflow_handle(
            obligation_workflow_id(self.case.case_id, task.obligation_index)
        )
        if isinstance(payload, VerifyEvidence):
            if payload.evidence_seen:
                await child.signal(
                    "evidence_verified", EvidenceVerified(occurrence=task.occurrence)
                )
            return
        await child.signal(
            "review_outcome",
            ReviewOutcome(
                occurrence=task.occurrence,
                decision=payload.decision,
                extend_days=payload.extend_days,
            ),
        )

    @workflow.update
    async def wait_for_change(self, seen_version: int) -> int:
        """Long-poll: return the case's version once it is past `seen_version` (or after an hour).

        Lets a client that just acted wait for the case's next step without polling.
        """
        with contextlib.suppress(TimeoutError):
            await workflow.wait_condition(
                lambda: self.case.version > seen_version, timeout=timedelta(hours=1)
            )
        return self.case.version

    # -- consent, safety, the court -------------------------------------------------------

    @workflow.update
    def withdraw_consent(self, withdrawal: ConsentWithdrawal) -> None:
        record = self.case.consent(withdrawal.party)
        if record is None:
            record = ConsentRecord(party=withdrawal.party)
            self.case.consents.append(record)
        record.withdrawn_at = workflow.now()
        self._log(f"{withdrawal.party} withdrew consent", staff_only=True)
        if withdrawal.party is Party.VICTIM:
            self._queue_notice(MessageKind.VICTIM_WITHDREW, role=Role.VICTIM_ADVOCATE)
        if self._waits_end and self.case.agreement is not None:
            self._after_agreement_withdrawal(withdrawal.party)
            return
        self._stop(Outcome.NOT_PROCEEDED, NEUTRAL, f"{withdrawal.party} withdrew consent")

    @withdraw_consent.validator
    def _check_withdrawal(self, withdrawal: ConsentWithdrawal) -> None:
        # Accepted even while the case is closing: a withdrawal is always recorded.
        if self.case.outcome is not None:
            raise TaskRejected(f"the case is closed ({self.case.outcome})")
        record = self.case.consent(withdrawal.party)
        if record is not None and record.withdrawn_at is not None:
            raise TaskRejected(f"the {withdrawal.party}'s consent is already withdrawn")

    @workflow.update
    def report_safety_event(self, event: SafetyEvent) -> None:
        self.case.safety_events.append(
            SafetyEventRecord(kind=event.kind, at=workflow.now(), description=event.description)
        )
        self._log("safety event reported")
        if self._stopping is None:
            self._suspend_now(event)
            if event.kind is SafetyEventKind.ORDER_BREACH:
                self._review_after_screening(
                    [RiskFlag.ORDER_BREACH], ReviewTrigger.ORDER_BREACH, None
                )

    @report_safety_event.validator
    def _check_safety_event(self, event: SafetyEvent) -> None:
        self._require_open()

    @workflow.update
    def report_incident(self, incident: Incident) -> bool:
        """A police incident matched to the participant (pushed by a police system): a
        safety event if the case did not know it. True if it was new."""
        return self._new_incident(incident)

    @report_incident.validator
    def _check_incident(self, incident: Incident) -> None:
        self._require_open()

    @workflow.update
    def court_directive(self, directive: CourtDirective) -> None:
        self._direct(directive)

    def _direct(self, directive: CourtDirective) -> None:
        """The court's directive, from the court or recorded by the coordinator."""
        for task in self.case.open_tasks():
            if task.kind is TaskKind.RECORD_DIRECTIVE:
                self._close_task(task, cancelled=True)
        self.case.directives.append(
            DirectiveRecord(kind=directive.kind, at=workflow.now(), note=directive.note)
        )
        self._log(f"court directed: {directive.kind}")
        if directive.kind is DirectiveKind.WITHDRAW:
            self._stop(Outcome.WITHDRAWN_BY_COURT, None, "the court withdrew the referral")
        elif directive.kind is DirectiveKind.TERMINATE:
            outcome = (
                Outcome.TERMINATED_SAFETY
                if self.case.stage is Stage.SUSPENDED
                else Outcome.NONCOMPLIANT
                if self.case.stage in (Stage.MONITORING, Stage.FINAL_REPORT)
                else Outcome.WITHDRAWN_BY_COURT
            )
            self._stop(outcome, None, "the court terminated the process")
        elif self.case.stage is Stage.SUSPENDED:
            self._resume_requested = True
        else:
            self.case.awaiting_directive = False
            for index in self.case.breaches_reported:
                self.case.obligations[index].continued_by_court = True

    @court_directive.validator
    def _check_directive(self, directive: CourtDirective) -> None:
        self._require_open()
        waiting = self.case.stage is Stage.SUSPENDED or self.case.awaiting_directive
        if directive.kind is DirectiveKind.CONTINUE and not waiting:
            raise TaskRejected(
                "nothing awaits a 'continue' directive: the case is neither suspended "
                "nor waiting after a non-compliance report"
            )

    @workflow.update
    def record_disposition(self, disposition: Disposition) -> None:
        self.case.disposition = disposition.kind
        self._log(f"court disposition: {disposition.kind}")
        for task in self.case.open_tasks():
            if task.kind is TaskKind.RECORD_DISPOSITION:
                self._close_task(task, cancelled=True)

    @record_disposition.validator
    def _check_disposition(self, disposition: Disposition) -> None:
        self._require_open()
        if self.case.stage is not Stage.FINAL_REPORT:
            raise TaskRejected(
                f"a disposition is recorded after the final report, not in {self.case.stage}"
            )
        if self.case.disposition is not None:
            raise TaskRejected(f"the disposition is already recorded ({self.case.disposition})")

    # -- the victim's statements ---------------------------------------------------------

    @workflow.update
    def set_statement_sharing(self, choice: NumberedStatementSharing) -> None:
        """Later reports carry the statement only while it is shared; reports already
        filed stay as the court received them."""
        statement = self.case.victim_statements[choice.number - 1]
        if statement.share_with_court is choice.share_with_court:
            return  # asked twice: already so
        statement.share_with_court = choice.share_with_court
        sharing = "shared with" if choice.share_with_court else "withdrawn from"
        self._log(f"victim statement {choice.number} {sharing} the court", staff_only=True)

    @set_statement_sharing.validator
    def _check_statement_sharing(self, choice: NumberedStatementSharing) -> None:
        self._require_open()
        count = len(self.case.victim_statements)
        if choice.number > count:
            raise TaskRejected(
                f"no victim statement {choice.number}: the case holds {count} statement(s)"
            )

    # -- the victim's contact details ----------------------------------------------------

    @workflow.update
    def propose_victim_contact(self, contact: VictimContact) -> None:
        """Contact details a repeat referral gave: never applied as they come, and never
        said back to whoever sent them. The advocate decides (`review_victim_contact`);
        details the case already holds or already proposes change nothing."""
        if contact in (self.case.referral.victim.contact, self.case.proposed_victim_contact):
            return
        self.case.proposed_victim_contact = contact
        if not any(t.kind is TaskKind.REVIEW_VICTIM_CONTACT for t in self.case.open_tasks()):
            self._open_task(
                TaskKind.REVIEW_VICTIM_CONTACT,
                [Role.VICTIM_ADVOCATE],
                subject="a repeat referral gave other contact details for the victim",
            )
        self._log("a repeat referral gave other victim contact details", staff_only=True)

    @propose_victim_contact.validator
    def _check_proposed_contact(self, contact: VictimContact) -> None:
        self._require_open()

    def _review_contact(self, review: ReviewVictimContact) -> None:
        proposed, self.case.proposed_victim_contact = self.case.proposed_victim_contact, None
        if review.use_new_contact and proposed is not None:
            self.case.referral.victim.contact = proposed
            self._log("the advocate took the victim's new contact details", staff_only=True)

    # -- queries --------------------------------------------------------------------------

    @workflow.query
    def view(self) -> CaseState:
        """The whole case, as kept: callers show it through domain.case_views, per role."""
        return self.case

    @workflow.query
    def open_tasks(self) -> list[Task]:
        return self.case.open_tasks()

    # -- helpers --------------------------------------------------------------------------

    def _task_by_id(self, task_id: str) -> Task | None:
        return next((t for t in self.case.tasks if t.id == task_id), None)

    def _require_open(self) -> None:
        if self.case.outcome is not None or self.case.stage is Stage.CLOSED:
            raise TaskRejected(f"the case is closed ({self.case.outcome})")
        if self._stopping is not None:
            raise TaskRejected("the case is already closing")

    def _stop(
        self,
        outcome: Outcome,
        reason: NotProceededReason | None,
        cause: str,
        *,
        not_completed: bool = False,
    ) -> None:
        if self._stopping is None:
            self._stopping = StopRecord(
                outcome=outcome, reason=reason, cause=cause, not_completed=not_completed
            )

    # Provided by the withdrawal mixin (workflows/case_withdrawal.py).
    def _after_agreement_withdrawal(self, party: Party) -> None:
        raise NotImplementedError
