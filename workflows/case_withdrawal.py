"""Withdrawal once an agreement is reached (README, "Withdrawal after an agreement").

The victim's ends only the items that involve her (`Obligation.involves_victim`): each
is excused from then on and its workflow stopped, while the participant's other items go
on to completion. Nothing of it reaches the court: an excused item reads as any other.
The participant's is the agreement's non-completion: his remaining items are cancelled
and the final report says the agreement was not completed (case_ending)."""

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.agreement import release_for_victim
    from domain.enums import ObligationStatus, Outcome, Party, Role, Stage, TaskKind
    from domain.message_kinds import MessageKind
    from workflows.case_hearings import CaseHearings

CONCLUDED = (ObligationStatus.MET, ObligationStatus.BREACHED, ObligationStatus.CANCELLED)


class CaseWithdrawal(CaseHearings):
    def _after_agreement_withdrawal(self, party: Party) -> None:
        """Called by the withdrawal's handler once the case has an agreement."""
        if party is Party.VICTIM:
            self._release_victim_items()
        elif self._flow_stage() is not Stage.FINAL_REPORT:
            self._queue_notice(MessageKind.PARTICIPANT_WITHDREW, role=Role.COORDINATOR)
            self._stop(
                Outcome.NONCOMPLIANT,
                None,
                "the participant withdrew after the agreement",
                not_completed=True,
            )
        # In the final report stage the agreement has run its course and been reported:
        # the court's disposition is awaited as before.

    def _victim_withdrew(self) -> bool:
        victim = self.case.consent(Party.VICTIM)
        return victim is not None and victim.withdrawn_at is not None

    def _release_victim_items(self) -> None:
        """End, at once, the open items that involve the victim. Their workflows are
        stopped beside the flow (case_safety), so no reminder about her goes out after."""
        agreement = self.case.agreement
        assert agreement is not None
        released = []
        for progress in self.case.obligations:
            item = agreement.obligations[progress.index]
            if not item.involves_victim or progress.status in CONCLUDED:
                continue
            self.case.obligations[progress.index] = release_for_victim(progress)
            self._close_obligation_tasks(progress.index)
            if self.case.obligations_started:
                self._releasing.append(progress.index)
            released.append(progress.description)
        if not released:
            return
        listed = "; ".join(released)
        self._log(f"ended as the victim withdrew: {listed}", staff_only=True)
        self._queue_notice(MessageKind.VICTIM_ITEMS_ENDED, role=Role.COORDINATOR, detail=listed)

    def _close_obligation_tasks(
        self, index: int, occurrence: int | None = None, *, keep: TaskKind | None = None
    ) -> None:
        """Close the open tasks of one obligation: of one occurrence, or all of them."""
        for task in self.case.open_tasks():
            if task.obligation_index != index or task.kind is keep:
                continue
            if occurrence is None or task.occurrence == occurrence:
                self._close_task(task, cancelled=True)
