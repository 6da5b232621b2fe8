"""What the opt-out ledger (workflows/opt_out_ledger.py) keeps and is told, and its id.

Nothing here holds an address: the ledger is named by the contact's keyed hash
(`domain.contacts.contact_hash`), and the API and the send activity hash before asking.
"""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

# How many of a contact's latest sent message ids the ledger remembers: a retried send
# comes within hours, long before this many other messages went to the same address.
SENT_IDS_KEPT = 200


class Choice(StrEnum):
    STOP = "stop"
    START = "start"


class ChoiceSource(StrEnum):
    TEXT = "text"  # the person texted STOP or START (the inbound webhook)
    STAFF = "staff"  # staff recorded a choice the person made by phone or in person
    PROVIDER = "provider"  # the SMS provider refused: the number unsubscribed there


class ChoiceMade(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    choice: Choice
    source: ChoiceSource
    by: str | None = Field(default=None, description="The staff member's subject, for staff.")
    note: str = Field(default="", max_length=500)
    at: datetime | None = None  # set by the ledger when it records the choice


class LedgerState(BaseModel):
    """What a contact's ledger knows; carried over when it continues as new."""

    opted_out: bool = False
    last_choice: ChoiceMade | None = None
    sent_ids: list[str] = Field(default_factory=list)  # newest last, at most SENT_IDS_KEPT


def ledger_workflow_id(contact_hash: str) -> str:
    return f"opt-out-{contact_hash}"
