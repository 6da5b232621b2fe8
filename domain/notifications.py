"""What became of a message: the contract between the case and the notifier port.

The case says who a message is for (a staff role, or the participant with the contact
details the referral gave); the send activity finds the address, checks the opt-out
ledger just before sending, and answers with a `DeliveryOutcome`. The case never learns
a staff member's address, and nothing here ever addresses the victim: news for her goes
to her advocate (DESIGN §2 rule 3).
"""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class DeliveryStatus(StrEnum):
    SENT = "sent"
    # The address asked us to stop (STOP by text, or a choice staff recorded).
    SUPPRESSED_OPT_OUT = "suppressed_opt_out"
    # Nobody to send it to: no usable phone or email for the participant, or nobody in
    # the staff directory for that role and channel.
    NO_ADDRESS = "no_address"
    # The provider refused for good: an invalid number, a bounced address.
    REFUSED = "refused"


class DeliveryOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    status: DeliveryStatus
    channel: str | None = None  # "email", "sms" or "outbox"; None when nothing was sent
    detail: str = ""  # for staff: why it was refused or not sent; never an address
    provider_id: str | None = None  # the provider's message id, when it gives one
