"""The send activity: a case's notification, addressed, checked against the opt-out
ledger just before it goes, and handed to the jurisdiction's notifier (DESIGN §9).

What it answers (`DeliveryOutcome`) is for the case to act on: SENT, SUPPRESSED_OPT_OUT,
NO_ADDRESS (nobody to send it to: never a silent drop) or REFUSED (the provider refused
for good). A provider's temporary failure raises, so Temporal retries with backoff.

At most once where we can know it: each address's ledger records the message ids it was
sent, read before sending, so a retry after one address failed does not send again to
those that succeeded. A crash between the provider's answer and that record can still
send a message twice: SMTP and Twilio's Messages API take no idempotency key.
"""

from collections.abc import Callable
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from activities.adapter_directory import AdapterDirectory
from activities.addressing import Recipient, Unaddressed, recipients
from adapters.notifiers.base import (
    Channel,
    Notifier,
    OutgoingMessage,
    PermanentFailure,
    RecipientOptedOut,
    TemporaryFailure,
)
from diversion.opt_out_ledgers import OptOutLedgers
from domain.notifications import DeliveryOutcome, DeliveryStatus
from domain.opt_outs import Choice, ChoiceMade, ChoiceSource
from domain.reports import Notification


class NotificationActivities:
    def __init__(self, adapters: AdapterDirectory, contact_key: bytes) -> None:
        self.adapters = adapters
        self.contact_key = contact_key  # keys the hash that names each contact's ledger

    @activity.defn
    async def send_notification(self, notification: Notification) -> DeliveryOutcome:
        notifier = self.adapters.notifier(notification.jurisdiction)
        staff = self.adapters.jurisdiction(notification.jurisdiction).staff
        # Any notifier whose settings have a default_country_code (ours: sms) completes
        # a referral's phone number written without one.
        country = getattr(notifier.settings, "default_country_code", None)
        found = recipients(
            notification, staff, notifier.channels, self.contact_key, default_country_code=country
        )
        if isinstance(found, Unaddressed):
            return DeliveryOutcome(status=DeliveryStatus.NO_ADDRESS, detail=found.reason)
        ledgers = OptOutLedgers(activity.client(), self.contact_key, activity.info().task_queue)
        outcomes = [
            await self._deliver(notifier, ledgers, notification, recipient) for recipient in found
        ]
        return combined(outcomes)

    async def _deliver(
        self,
        notifier: Notifier,
        ledgers: OptOutLedgers,
        notification: Notification,
        recipient: Recipient,
    ) -> DeliveryOutcome:
        channel = recipient.channel.value
        already = False
        for contact in recipient.contacts:
            state = await ledgers.state(contact)  # just before the send, every time
            if notification.to_participant and state.opted_out:
                return DeliveryOutcome(
                    status=DeliveryStatus.SUPPRESSED_OPT_OUT,
                    channel=None,
                    detail="the participant asked us to stop these messages",
                )
            already = already or recipient.message_id in state.sent_ids
        if already:
            return DeliveryOutcome(status=DeliveryStatus.SENT, channel=channel)
        try:
            receipt = await notifier.send(outgoing(notification, recipient))
        except RecipientOptedOut as e:
            for contact in recipient.contacts:
                await ledgers.record_choice(
                    contact, ChoiceMade(choice=Choice.STOP, source=ChoiceSource.PROVIDER)
                )
            if notification.to_participant:
                return DeliveryOutcome(
                    status=DeliveryStatus.SUPPRESSED_OPT_OUT, detail=str(e), channel=None
                )
            return DeliveryOutcome(status=DeliveryStatus.REFUSED, channel=channel, detail=str(e))
        except PermanentFailure as e:
            return DeliveryOutcome(status=DeliveryStatus.REFUSED, channel=channel, detail=str(e))
        except TemporaryFailure as e:
            log_unavailable(recipient.message_id, e)
            # Benign: the SDK would otherwise log a warning with a traceback on every try,
            # and a provider down for a day is about fifty tries a message.
            raise ApplicationError(
                str(e), type="NotifierUnavailable", category=ApplicationErrorCategory.BENIGN
            ) from e
        if recipient.channel is not Channel.OUTBOX:  # the outbox keeps its own record
            for contact in recipient.contacts:
                try:
                    await ledgers.record_sent(contact, recipient.message_id)
                except Exception as e:  # the message went: failing now would send it again
                    activity.logger.warning(
                        "message %s sent but not recorded as sent (%s): a retry of this "
                        "activity could send it again",
                        recipient.message_id,
                        type(e).__name__,
                    )
        return DeliveryOutcome(
            status=DeliveryStatus.SENT, channel=channel, provider_id=receipt.provider_id
        )

    def all(self) -> list[Callable[..., Any]]:
        return [self.send_notification]


def log_unavailable(message_id: str, failure: TemporaryFailure) -> None:
    """One line, no traceback, on the 1st, 2nd, 4th, 8th ... try at a message: an operator
    learns the provider is down, and a day's outage is seven lines a message, not fifty
    tracebacks. A temporary failure's text names no address (docs/notifiers.md)."""
    attempt = activity.info().attempt
    if attempt & (attempt - 1) == 0:
        activity.logger.warning(
            "the notifier could not send message %s (try %d; retried with backoff, logged "
            "again at try %d): %s",
            message_id,
            attempt,
            attempt * 2,
            failure,
        )


# Nothing reads replies to an email (STOP works by text only): an email says how to stop
# that works, a call staff record as the person's choice (POST /v1/notifications/opt-outs).
EMAIL_OPT_OUT = "To stop these emails, call the programme office and staff will record your choice."


def outgoing(notification: Notification, recipient: Recipient) -> OutgoingMessage:
    # The participant's messages carry the opt-out line; staff alerts carry none.
    body = notification.body
    if notification.to_participant and notification.opt_out:
        line = EMAIL_OPT_OUT if recipient.channel is Channel.EMAIL else notification.opt_out
        body = f"{body}\n\n{line}"
    return OutgoingMessage(
        id=recipient.message_id,
        case_id=notification.case_id,
        jurisdiction=notification.jurisdiction,
        channel=recipient.channel,
        address=recipient.address,
        subject=notification.subject,
        body=body,
        created_at=notification.created_at,
        kind=notification.kind,
    )


def combined(outcomes: list[DeliveryOutcome]) -> DeliveryOutcome:
    """One answer for a message to several people: sent if anyone received it (saying
    who did not), otherwise the first refusal or opt-out."""
    sent = [o for o in outcomes if o.status is DeliveryStatus.SENT]
    missed = [o for o in outcomes if o.status is not DeliveryStatus.SENT]
    if not sent:
        return missed[0]
    if not missed:
        return sent[0]
    reasons = "; ".join(sorted({o.detail for o in missed if o.detail}))
    detail = f"not delivered to {len(missed)} of {len(outcomes)}: {reasons}"
    return sent[0].model_copy(update={"detail": detail})
