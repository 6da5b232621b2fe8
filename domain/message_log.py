"""What became of each message a case sent: the log staff read on the case page.

Kept on the case (`CaseState.messages`), shown to staff and advocates, never to the court:
whether a reminder went out, failed, or was suppressed by the participant's opt-out is
about the parties, and the court must not be able to tell (DESIGN §2 rule 2).
"""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from domain.notifications import DeliveryStatus

PARTICIPANT = "participant"
# Why a message for a participant without a phone or email was never sent.
NO_CONTACT_ON_FILE = "no phone or email on file"


class MessageRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="The message's deterministic id.")
    kind: str = Field(description="The message kind (its template).")
    to: str = Field(description="'participant', or the staff role it was for.")
    status: DeliveryStatus
    at: datetime = Field(description="When it was sent, or found unsendable.")
    channel: str | None = None
    held_until: datetime | None = Field(
        default=None, description="Held for the jurisdiction's quiet hours until then."
    )
    detail: str = Field(default="", description="Why it was refused or not sent; no address.")

    @property
    def delivered(self) -> bool:
        return self.status is DeliveryStatus.SENT

    @property
    def reached_nobody(self) -> bool:
        """Nobody could be sent it: a staff task takes its place (DESIGN §9)."""
        return self.status in (
            DeliveryStatus.NO_ADDRESS,
            DeliveryStatus.REFUSED,
            DeliveryStatus.NOT_SENT,
        )
