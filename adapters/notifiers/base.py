"""The notifier port: one message, one address, one channel.

Implementations are registered by entry point (group `registry.NOTIFIERS`) like court and police
adapters and chosen per jurisdiction in its configuration. A notifier only sends: the
send activity has already chosen the address, checked the opt-out ledger and added the
opt-out line, and it turns the errors below into a retry (temporary) or a staff task
(permanent).
"""

from abc import abstractmethod
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from adapters.registry import NOTIFIERS, Plugin


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    OUTBOX = "outbox"  # the dev notifier: a folder of JSON files


class OutgoingMessage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str  # deterministic (the case's notification id): a retry is the same message
    case_id: str
    jurisdiction: str
    channel: Channel
    address: str  # an email address, an E.164 phone number, or a role for the outbox
    subject: str
    body: str  # the whole text, the opt-out line included where one belongs
    # Added after the port was first agreed, so optional: what the dev outbox records of
    # a message besides its text (when the case wrote it, and its template).
    created_at: datetime | None = None
    kind: str = "notice"


class SentReceipt(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    provider_id: str | None = None
    already_sent: bool = False  # the provider (or our record) says this id went before


class NotifierError(Exception):
    """Base of what a notifier raises; the message is for staff and holds no address."""


class TemporaryFailure(NotifierError):
    """Try again later: the provider is down, rate-limited, or timed out."""


class PermanentFailure(NotifierError):
    """Trying again will not help: the number is invalid, the address bounced."""


class RecipientOptedOut(PermanentFailure):
    """The provider itself refuses because the recipient unsubscribed there (an SMS
    provider that saw STOP before our webhook did): the send activity records the choice
    in the opt-out ledger and answers as for any opt-out."""


class Notifier(Plugin):
    group: ClassVar[str] = NOTIFIERS
    channels: ClassVar[frozenset[Channel]]

    @abstractmethod
    async def send(self, message: OutgoingMessage) -> SentReceipt: ...
