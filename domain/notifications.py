"""What became of a message: the contract between the case and the notifier port.

The case says who a message is for (a staff role, or the participant with the contact
details the referral gave); the send activity finds the address, checks the opt-out
ledger just before sending, and answers with a `DeliveryOutcome`. The case never learns
a staff member's address, and nothing here ever addresses the victim: news for her goes
to her advocate (DESIGN §2 rule 3).
"""

from datetime import timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class DeliveryStatus(StrEnum):
    SENT = "sent"
    # The address asked us to stop (STOP by text, or a choice staff recorded).
    SUPPRESSED_OPT_OUT = "suppressed_opt_out"
    # Nobody to send it to: no usable phone or email for the participant, or nobody in
    # the staff directory for that role and channel.
    NO_ADDRESS = "no_address"
    # The provider refused for good: an invalid number, a bounced address.
    REFUSED = "refused"
    # The provider stayed unavailable for the policy's whole patience (`NotificationSettings`):
    # the case stopped trying, and a staff task sends it another way.
    NOT_SENT = "not_sent"


class DeliveryOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    status: DeliveryStatus
    channel: str | None = None  # "email", "sms" or "outbox"; None when nothing was sent
    detail: str = ""  # for staff: why it was refused or not sent; never an address
    provider_id: str | None = None  # the provider's message id, when it gives one


class NotificationSettings(BaseModel):
    """How long a message may wait for its provider (the policy's `notifications`): a
    provider down for days must not hold the case at one message (DESIGN §3, every wait
    has an end). Past the patience the case gives up, logs it `not_sent` and opens the
    staff task that passes the message on. Policies kept before it read as the defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    give_up_after_hours: float = Field(
        default=24, gt=0, description="Hours a message is retried before staff send it."
    )
    urgent_give_up_after_minutes: float = Field(
        default=10,
        gt=0,
        description="Minutes an urgent alert (a safety event, the victim's withdrawal) is "
        "retried before the coordinator passes it on: it must not wait as long.",
    )
    retry_at_most_every_minutes: float = Field(
        default=30, gt=0, description="The longest pause between two tries."
    )

    def patience(self, urgent: bool) -> timedelta:
        if urgent:
            return timedelta(minutes=self.urgent_give_up_after_minutes)
        return timedelta(hours=self.give_up_after_hours)

    def longest_pause(self, urgent: bool) -> timedelta:
        """Backoff capped both by the setting and at a quarter of the patience, so a short
        patience still gets several tries, the last of them near its end."""
        return min(timedelta(minutes=self.retry_at_most_every_minutes), self.patience(urgent) / 4)
