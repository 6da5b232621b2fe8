"""Email through an SMTP relay (aiosmtplib): a plain-text message per address.

[jurisdictions.<id>.notifier]
kind = "smtp"
settings = { host = "smtp.example.org", port = 587, security = "starttls",
             username_env = "DEMO_SMTP_USER", password_env = "DEMO_SMTP_PASSWORD",
             from_address = "reminders@rj.example.org" }

The Message-ID is derived from the message id, so a resent message is recognisably the
same one. A 5xx refusal (no such mailbox, message refused) is permanent; 4xx answers,
timeouts and connection errors are temporary and retried by the activity's policy.
"""

import hashlib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import ClassVar, Literal, Self

import aiosmtplib
from pydantic import Field, field_validator, model_validator

from adapters.notifiers.base import (
    Channel,
    Notifier,
    OutgoingMessage,
    PermanentFailure,
    SentReceipt,
    TemporaryFailure,
)
from adapters.notifiers.secrets import checked_env_name, read_secret
from adapters.registry import PluginSettings
from domain.contacts import normal_email


class SmtpSettings(PluginSettings):
    host: str = Field(min_length=1)
    port: int = Field(default=587, ge=1, le=65535)
    # starttls (submission, port 587), tls (implicit TLS, port 465), or none: only for a
    # relay on this host, since credentials and messages would cross the wire in clear.
    security: Literal["starttls", "tls", "none"] = "starttls"
    username_env: str | None = None
    password_env: str | None = None
    from_address: str
    ca_bundle: Path | None = Field(default=None, description="The relay's private CA, if any.")
    timeout_seconds: float = Field(default=20, gt=0)

    @field_validator("from_address")
    @classmethod
    def _an_address(cls, value: str) -> str:
        if normal_email(value) is None:
            raise ValueError("must be an email address")
        return value

    @field_validator("username_env")
    @classmethod
    def _username_set(cls, name: str | None) -> str | None:
        return None if name is None else checked_env_name(name, "the SMTP user name")

    @field_validator("password_env")
    @classmethod
    def _password_set(cls, name: str | None) -> str | None:
        return None if name is None else checked_env_name(name, "the SMTP password")

    @field_validator("ca_bundle")
    @classmethod
    def _file_exists(cls, path: Path | None) -> Path | None:
        if path is not None and not path.is_file():
            raise ValueError(f"no such file: {path}")
        return path

    @model_validator(mode="after")
    def _credentials_together(self) -> Self:
        if (self.username_env is None) != (self.password_env is None):
            raise ValueError("username_env and password_env must be given together")
        if self.username_env is not None and self.security == "none":
            raise ValueError("a password is never sent without TLS: set security")
        return self


def message_id(message: OutgoingMessage, from_address: str) -> str:
    """`<hash@domain>`: the same for every try of one message, and no case number in a
    header that mail systems log."""
    digest = hashlib.sha256(message.id.encode()).hexdigest()[:32]
    return f"<{digest}@{from_address.rpartition('@')[2]}>"


class SmtpNotifier(Notifier):
    name: ClassVar[str] = "smtp"
    channels: ClassVar[frozenset[Channel]] = frozenset({Channel.EMAIL})
    Settings = SmtpSettings

    def __init__(self, settings: SmtpSettings) -> None:
        super().__init__(settings)
        self.settings: SmtpSettings = settings

    def email(self, message: OutgoingMessage) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self.settings.from_address
        email["To"] = message.address
        email["Subject"] = message.subject
        email["Date"] = format_datetime(message.created_at or datetime.now(UTC))
        email["Message-ID"] = message_id(message, self.settings.from_address)
        email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
        email.set_content(message.body)
        return email

    async def send(self, message: OutgoingMessage) -> SentReceipt:
        s = self.settings
        username = password = None
        if s.username_env is not None and s.password_env is not None:
            username = read_secret(s.username_env, "the SMTP user name")
            password = read_secret(s.password_env, "the SMTP password")
        context = None
        if s.security != "none":
            context = ssl.create_default_context(cafile=s.ca_bundle)
        email = self.email(message)
        try:
            await aiosmtplib.send(
                email,
                hostname=s.host,
                port=s.port,
                use_tls=s.security == "tls",
                start_tls=s.security == "starttls",
                tls_context=context,
                username=username,
                password=password,
                timeout=s.timeout_seconds,
            )
        except aiosmtplib.SMTPRecipientsRefused as e:
            codes = [refused.code for refused in e.recipients]
            raise _by_code(min(codes, default=550), "the mail server refused the address") from e
        except aiosmtplib.SMTPAuthenticationError as e:
            # Our credentials, not the message: retried while an operator fixes them.
            raise TemporaryFailure(f"the mail server refused our login ({e.code})") from e
        except aiosmtplib.SMTPResponseException as e:
            raise _by_code(e.code, "the mail server refused the message") from e
        except (aiosmtplib.SMTPException, OSError) as e:
            raise TemporaryFailure(
                f"the mail server could not be reached ({type(e).__name__})"
            ) from e
        return SentReceipt(provider_id=email["Message-ID"])


def _by_code(code: int, what: str) -> TemporaryFailure | PermanentFailure:
    if 500 <= code < 600:
        return PermanentFailure(f"{what} ({code})")
    return TemporaryFailure(f"{what} for now ({code})")
