"""The dev notifier: one JSON file per message in a folder, read by GET /v1/outbox.

It stands in for every channel: a staff message is written once for its role, a
participant's once for the participant, and nothing in the file holds an address. The
file is named by the message id and written once, so a retried send is one message.
"""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from adapters.notifiers.base import Channel, Notifier, OutgoingMessage, SentReceipt
from adapters.registry import PluginSettings
from domain.enums import Role
from domain.reports import Notification

# The outbox's "address" of a participant message (a staff message's is its role).
PARTICIPANT = "participant"
_ROLES = {role.value: role for role in Role}


class OutboxSettings(PluginSettings):
    # Left out of a jurisdictions file, it is the process's outbox
    # (DIVERSION_DATA_DIR/outbox), the one GET /v1/outbox reads.
    folder: Path


class OutboxNotifier(Notifier):
    name: ClassVar[str] = "outbox"
    channels: ClassVar[frozenset[Channel]] = frozenset({Channel.OUTBOX})
    Settings = OutboxSettings

    def __init__(self, settings: OutboxSettings) -> None:
        super().__init__(settings)
        self.settings: OutboxSettings = settings

    @property
    def folder(self) -> Path:
        return self.settings.folder / "notifications"

    async def send(self, message: OutgoingMessage) -> SentReceipt:
        target = self.folder / f"{message.id}.json"
        if target.exists():
            return SentReceipt(provider_id=target.name, already_sent=True)
        # Kept in the shape of the case's Notification, which GET /v1/outbox answers with;
        # the body already carries the opt-out line where one belongs.
        record = Notification(
            id=message.id,
            case_id=message.case_id,
            jurisdiction=message.jurisdiction,
            to_role=_ROLES.get(message.address),
            to_participant=message.address == PARTICIPANT,
            kind=message.kind,
            subject=message.subject,
            body=message.body,
            opt_out="",
            created_at=message.created_at or datetime.now(UTC),
        )
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps(record.model_dump(mode="json"), indent=2))
        temporary.replace(target)
        return SentReceipt(provider_id=target.name)
