"""A contact's choice about our messages (DESIGN §9): the words that stop and resume
them, and what a contact's opt-out ledger keeps (workflows/opt_out_ledger.py).

Nothing here holds an address: a ledger is named by the contact's keyed hash
(`domain.contacts.contact_hash`).
"""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

# The carrier-standard keywords, case-insensitive, the whole message and nothing else.
STOP_WORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
)
START_WORDS = frozenset({"START", "UNSTOP"})
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


def keyword_choice(text: str) -> Choice | None:
    """What a text message says about our messages: STOP, START, or nothing at all."""
    word = text.strip().upper()
    if word in STOP_WORDS:
        return Choice.STOP
    if word in START_WORDS:
        return Choice.START
    return None
