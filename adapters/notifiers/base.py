"""The notifier port: one message, one address, one channel.

Implementations are registered by entry point (group `NOTIFIERS`) like court and police
adapters and chosen per jurisdiction in its configuration. A notifier only sends: the
send activity has already chosen the address, checked the opt-out ledger and added the
opt-out line, and it turns the errors below into a retry (temporary) or a staff task
(permanent).
"""

from abc import abstractmethod
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from adapters.registry import Plugin


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


class Notifier(Plugin):
    group: ClassVar[str] = "restorative_diversion.notifiers"
    channels: ClassVar[frozenset[Channel]]

    @abstractmethod
    async def send(self, message: OutgoingMessage) -> SentReceipt: ...
