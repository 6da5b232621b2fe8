"""Multi-agency reviews (DESIGN §2 rule 5): asked for at screening when a high-risk
indicator is found, and again when a new incident (or an order breach staff report)
after screening raises one of the policy's escalation items; the suspension that came
with it then lasts until the review is recorded. Every review is kept on the case
(`CaseState.reviews`) with its agencies, decision, conditions and date, and listed for
the coordinator at each later stage (`CaseBase._note_reviews`)."""

from collections.abc import Sequence

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.case import ReviewRecord, StopRecord, review_cause
    from domain.enums import (
        NotProceededReason,
        Outcome,
        ReviewTrigger,
        RiskFlag,
        Role,
        Stage,
        TaskKind,
    )
    from domain.task_payloads import MultiAgencyReview
    from domain.tasks import Task
    from workflows.case_answers import CaseAnswers
    from workflows.case_base import CaseStopped


class CaseReviews(CaseAnswers):
    def _review_after_screening(
        self, flags: Sequence[RiskFlag], trigger: ReviewTrigger, incident_number: str | None
    ) -> None:
        """A risk found after screening: the policy's escalation items among `flags` ask
        for a fresh review, which the suspension they came with waits for. Before
        screening, screening itself weighs them."""
        escalations = [f for f in flags if f in self.case.jurisdiction.policy.escalation_items]
        if self._safety_first and self.case.screening is not None and escalations:
            self._open_review(
                trigger, escalations, incident_number=incident_number, stage=Stage.SUSPENDED
            )

    def _open_review(
        self,
        trigger: ReviewTrigger,
        flags: Sequence[RiskFlag],
        *,
        incident_number: str | None = None,
        stage: Stage | None = None,
    ) -> Task:
        """Open the coordinator's `multi_agency_review` task and its pending record."""
        fresh = trigger is not ReviewTrigger.SCREENING
        cause = review_cause(trigger, flags, incident_number)
        task = self._open_task(
            TaskKind.MULTI_AGENCY_REVIEW,
            [Role.COORDINATOR],
            urgent=fresh,
            subject=f"after screening, {cause}" if fresh else "",
            stage=stage,
        )
        self.case.reviews.append(
            ReviewRecord(
                task_id=task.id,
                trigger=trigger,
                incident_number=incident_number,
                flags=list(flags),
                requested_at=workflow.now(),
            )
        )
        return task

    def _record_review(self, task: Task, review: MultiAgencyReview, recorded_by: str) -> bool:
        """Called by the task's handler. True if the flow awaits the result itself (at
        screening); a review after a new incident is read from its record."""
        record = next((r for r in self.case.reviews if r.task_id == task.id), None)
        if record is None:
            return True  # opened before reviews were recorded (tests/histories)
        record.may_proceed = review.may_proceed
        record.agencies = list(review.agencies)
        record.conditions = review.conditions
        record.decided_on = review.decided_on or workflow.now().date()
        record.recorded_by = recorded_by
        decision = "may go on" if review.may_proceed else "may not go on"
        self._log(f"multi-agency review recorded: the case {decision}", staff_only=True)
        return record.trigger is ReviewTrigger.SCREENING

    def _stop_if_a_review_refused(self) -> None:
        """A review after screening that refused the case ends it, as at screening:
        terminated for safety, 'not suitable' for the court."""
        refused = self._review_refused()
        if refused is None:
            return
        cause = review_cause(refused.trigger, refused.flags, refused.incident_number)
        raise CaseStopped(
            StopRecord(
                outcome=Outcome.TERMINATED_SAFETY,
                reason=NotProceededReason.NOT_SUITABLE,
                cause=f"the multi-agency review after {cause} ended the process",
            )
        )

    def _review_refused(self) -> ReviewRecord | None:
        """A review after screening that decided the case may not go on."""
        return next(
            (
                r
                for r in self.case.reviews
                if r.trigger is not ReviewTrigger.SCREENING and r.may_proceed is False
            ),
            None,
        )
