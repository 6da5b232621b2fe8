"""OptOutLedger: one contact's choice about our messages, and the messages it was sent.

One workflow per phone number or email address, its id the address's keyed hash
(`opt-out-<hmac>`), started by the first signal that concerns it (signal-with-start)
and running as long as the contact may be messaged.

Signals: `record_choice` (STOP/START by text, a choice staff recorded, a provider's
refusal), `record_sent` (a message id the send activity delivered).
Query: `state` — read by the send activity just before each send.

History stays bounded: after CHANGES_PER_RUN signals it continues as new with its state.
"""

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.opt_outs import SENT_IDS_KEPT, Choice, ChoiceMade, LedgerState

CHANGES_PER_RUN = 100


@workflow.defn
class OptOutLedger:
    @workflow.init
    def __init__(self, state: LedgerState) -> None:
        self._state = state
        self._changes = 0

    @workflow.run
    async def run(self, state: LedgerState) -> None:
        await workflow.wait_condition(
            lambda: self._changes >= CHANGES_PER_RUN and workflow.all_handlers_finished()
        )
        workflow.continue_as_new(self._state)

    @workflow.signal
    def record_choice(self, made: ChoiceMade) -> None:
        self._changes += 1
        recorded = made.model_copy(update={"at": workflow.now()})
        self._state = self._state.model_copy(
            update={"opted_out": made.choice is Choice.STOP, "last_choice": recorded}
        )

    @workflow.signal
    def record_sent(self, message_id: str) -> None:
        self._changes += 1
        if message_id not in self._state.sent_ids:
            kept = [*self._state.sent_ids, message_id][-SENT_IDS_KEPT:]
            self._state = self._state.model_copy(update={"sent_ids": kept})

    @workflow.query
    def state(self) -> LedgerState:
        return self._state
