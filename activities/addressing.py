"""Who a notification reaches, by which channel: the send activity's addressing.

A staff message goes to every person in the jurisdiction's staff directory who holds
the role, by a channel the notifier has; the participant's to the phone (text) or
email the referral gave. The dev outbox stands in for every channel: it records a
message once for its role or for the participant (who must have given a phone or email,
as with a real notifier, so dev shows the staff task a real one would open). Nobody
usable is a reason, for staff to read, and never an address.
"""

from dataclasses import dataclass

from adapters.notifiers.base import Channel
from adapters.notifiers.outbox import PARTICIPANT
from domain.contacts import Contact, ContactKind, contact_hash, normal_email, normal_phone
from domain.enums import Role
from domain.reports import Notification
from domain.staff_directory import StaffMember, staff_with_role

_CHANNEL_OF = {ContactKind.PHONE: Channel.SMS, ContactKind.EMAIL: Channel.EMAIL}


@dataclass(frozen=True)
class Recipient:
    channel: Channel
    address: str  # a phone number or email address; for the outbox, a role or "participant"
    # Whose opt-out ledger is read (and records the message as sent).
    contacts: tuple[Contact, ...]
    message_id: str  # deterministic: the same on every try


@dataclass(frozen=True)
class Unaddressed:
    reason: str


def recipients(
    notification: Notification,
    staff: list[StaffMember],
    channels: frozenset[Channel],
    key: bytes,
    default_country_code: str | None = None,
) -> list[Recipient] | Unaddressed:
    if notification.to_participant:
        return _participant(notification, channels, default_country_code)
    if notification.to_role is not None:
        return _staff(notification, notification.to_role, staff, channels, key)
    return Unaddressed("the message names neither a staff role nor the participant")


def _participant(
    notification: Notification, channels: frozenset[Channel], default_country_code: str | None
) -> list[Recipient] | Unaddressed:
    phone = notification.participant_phone
    email = notification.participant_email
    contacts: list[Contact] = []
    if phone and (number := normal_phone(phone, default_country_code)):
        contacts.append(Contact(ContactKind.PHONE, number))
    if email and (address := normal_email(email)):
        contacts.append(Contact(ContactKind.EMAIL, address))
    if Channel.OUTBOX in channels and contacts:  # every address given answers for the person
        return [Recipient(Channel.OUTBOX, PARTICIPANT, tuple(contacts), notification.id)]
    for contact in contacts:  # a text first: more people read it the same day
        channel = _CHANNEL_OF[contact.kind]
        if channel in channels:
            return [Recipient(channel, contact.address, (contact,), notification.id)]
    wanted = " or ".join(
        "mobile number in international form" if c is Channel.SMS else "email address"
        for c in sorted(channels - {Channel.OUTBOX})
    )
    return Unaddressed(f"the referral gave no usable {wanted or 'address'} for the participant")


def _staff(
    notification: Notification,
    role: Role,
    staff: list[StaffMember],
    channels: frozenset[Channel],
    key: bytes,
) -> list[Recipient] | Unaddressed:
    if Channel.OUTBOX in channels:
        return [Recipient(Channel.OUTBOX, role.value, (), notification.id)]
    holders = staff_with_role(staff, role)
    found: list[Recipient] = []
    for member in holders:
        contact = _staff_contact(member, channels, urgent=notification.urgent)
        if contact is not None:
            # One message per person, each with its own deterministic id.
            suffix = contact_hash(contact, key)[:12]
            found.append(
                Recipient(
                    _CHANNEL_OF[contact.kind],
                    contact.address,
                    (contact,),
                    f"{notification.id}.{suffix}",
                )
            )
    if found:
        return found
    who = role.value.replace("_", " ")
    if not holders:
        return Unaddressed(f"nobody in the staff directory is a {who}")
    kinds = " or ".join(
        "a phone" if c is Channel.SMS else "an email address" for c in sorted(channels)
    )
    return Unaddressed(f"no {who} in the staff directory has {kinds or 'a usable address'}")


def _staff_contact(
    member: StaffMember, channels: frozenset[Channel], *, urgent: bool
) -> Contact | None:
    phone = normal_phone(member.phone) if member.phone else None
    email = normal_email(member.email) if member.email else None
    options = [(Channel.EMAIL, ContactKind.EMAIL, email), (Channel.SMS, ContactKind.PHONE, phone)]
    if urgent:  # a safety alert by text first: it is read sooner
        options.reverse()
    for channel, kind, address in options:
        if channel in channels and address is not None:
            return Contact(kind, address)
    return None
