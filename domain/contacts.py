"""Contact addresses as the notifiers and the opt-out ledger read them: one normal form
per phone number and email address, and the keyed hash that names a contact's ledger.

Pure: no I/O. The hash is keyed (HMAC-SHA256) so that a workflow id, which Temporal
shows in lists, logs and its web UI, never holds or reveals an address: without the key
nobody can test a guessed number against it.
"""

import hashlib
import hmac
import re
from enum import StrEnum
from typing import NamedTuple

# What people type between digits: spaces, dashes, dots, slashes and brackets.
_PHONE_SEPARATORS = re.compile(r"[\s().\-/]")
# E.164: a plus, a country code not starting with 0, at most 15 digits in all.
_E164 = re.compile(r"\+[1-9]\d{6,14}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


class ContactKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"


class Contact(NamedTuple):
    kind: ContactKind
    address: str  # in normal form


def normal_phone(raw: str, default_country_code: str | None = None) -> str | None:
    """`raw` as E.164 (+ and country code, digits only), or None when it cannot be one.

    A number written without a country code gets `default_country_code` (the SMS
    provider's setting, e.g. "1"), its national trunk 0 dropped; without one it is not
    usable, since guessing a country would text a stranger.
    """
    compact = _PHONE_SEPARATORS.sub("", raw.strip())
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not compact.startswith("+") and default_country_code:
        compact = f"+{default_country_code}{compact.removeprefix('0')}"
    return compact if _E164.fullmatch(compact) else None


def normal_email(raw: str) -> str | None:
    """`raw` trimmed and lower-cased, or None when it is not an address. Lower case so
    that one person's choice is found however the referral spelt their address."""
    address = raw.strip().lower()
    return address if _EMAIL.fullmatch(address) else None


def parse_contact(raw: str, default_country_code: str | None = None) -> Contact | None:
    """An address as staff type it: an email if it has an @, a phone number otherwise."""
    if "@" in raw:
        email = normal_email(raw)
        return None if email is None else Contact(ContactKind.EMAIL, email)
    phone = normal_phone(raw, default_country_code)
    return None if phone is None else Contact(ContactKind.PHONE, phone)


def contact_hash(contact: Contact, key: bytes) -> str:
    """The keyed hash of a contact in normal form: the same person, the same hash."""
    message = f"{contact.kind.value}:{contact.address}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
