"""The opt-out ledgers as the API and the send activity reach them: by contact, hashed
with the contact key before anything is sent to Temporal."""

from datetime import timedelta

from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from domain.contacts import Contact, contact_hash
from domain.opt_outs import ChoiceMade, LedgerState
from workflows.opt_out_input import ledger_workflow_id
from workflows.opt_out_ledger import OptOutLedger

QUERY_TIMEOUT = timedelta(seconds=10)


class OptOutLedgers:
    def __init__(self, client: Client, key: bytes, task_queue: str) -> None:
        self.client = client
        self.key = key
        self.task_queue = task_queue

    def workflow_id(self, contact: Contact) -> str:
        return ledger_workflow_id(contact_hash(contact, self.key))

    async def state(self, contact: Contact) -> LedgerState:
        """What the contact's ledger says now; a contact never heard of has said nothing."""
        handle = self.client.get_workflow_handle_for(OptOutLedger.run, self.workflow_id(contact))
        try:
            # Bounded: a query left unanswered fails this try, and the activity's retry
            # (or the caller) asks again, rather than holding a send for the default minute.
            return await handle.query(OptOutLedger.state, rpc_timeout=QUERY_TIMEOUT)
        except RPCError as e:
            if e.status == RPCStatusCode.NOT_FOUND:
                return LedgerState()
            raise

    async def record_choice(self, contact: Contact, made: ChoiceMade) -> None:
        await self._signal(contact, "record_choice", made)

    async def record_sent(self, contact: Contact, message_id: str) -> None:
        await self._signal(contact, "record_sent", message_id)

    async def _signal(self, contact: Contact, signal: str, arg: object) -> None:
        # Signal-with-start: the first word about a contact starts its ledger.
        await self.client.start_workflow(
            OptOutLedger.run,
            LedgerState(),
            id=self.workflow_id(contact),
            task_queue=self.task_queue,
            start_signal=signal,
            start_signal_args=[arg],
        )
