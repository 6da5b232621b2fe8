"""The SMTP notifier over STARTTLS with a login, to an aiosmtpd server that requires both,
its certificate from a private CA named by `ca_bundle`."""

import datetime
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from adapters.notifiers.base import TemporaryFailure
from adapters.notifiers.smtp import SmtpNotifier, SmtpSettings
from diversion.dev_server import free_port
from tests.notifications.servers import Mailbox, text_of
from tests.notifications.test_smtp_notifier import FROM, message

USER, PASSWORD = "rj-relay", "correct horse battery staple"


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "relay.pem", folder / "relay.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def check_login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[tuple[Mailbox, int, Path]]:
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mailbox, port = Mailbox(), free_port()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        authenticator=check_login,
    )
    controller.start()
    try:
        yield mailbox, port, cert
    finally:
        controller.stop()


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_SMTP_USER", USER)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)


def relay_notifier(port: int, ca: Path | None) -> SmtpNotifier:
    return SmtpNotifier(
        SmtpSettings(
            host="127.0.0.1",
            port=port,
            security="starttls",
            username_env="TEST_SMTP_USER",
            password_env="TEST_SMTP_PASSWORD",
            from_address=FROM,
            ca_bundle=ca,
        )
    )


async def test_starttls_and_login_deliver(
    relay: tuple[Mailbox, int, Path], credentials: None
) -> None:
    mailbox, port, ca = relay
    sent = message()
    await relay_notifier(port, ca).send(sent)
    [received] = mailbox.received
    assert text_of(received) == sent.body


async def test_an_untrusted_certificate_is_not_sent_to(
    relay: tuple[Mailbox, int, Path], credentials: None
) -> None:
    mailbox, port, _ = relay
    with pytest.raises(TemporaryFailure, match="could not be reached"):
        await relay_notifier(port, ca=None).send(message())  # the system CAs only
    assert mailbox.received == []


async def test_a_refused_login_is_temporary_for_an_operator_to_fix(
    relay: tuple[Mailbox, int, Path], credentials: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailbox, port, ca = relay
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "last year's password")
    with pytest.raises(TemporaryFailure, match="refused our login"):
        await relay_notifier(port, ca).send(message())
    assert mailbox.received == []


# aiosmtpd warns of AUTH without STARTTLS; here the whole connection is TLS.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
async def test_implicit_tls_delivers(tmp_path: Path, credentials: None) -> None:
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mailbox, port = Mailbox(), free_port()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        ssl_context=context,  # TLS from the first byte, as on port 465
        auth_required=True,
        auth_require_tls=False,  # aiosmtpd counts only STARTTLS as TLS; this is TLS throughout
        authenticator=check_login,
    )
    controller.start()
    try:
        notifier = SmtpNotifier(
            SmtpSettings(
                host="127.0.0.1",
                port=port,
                security="tls",
                username_env="TEST_SMTP_USER",
                password_env="TEST_SMTP_PASSWORD",
                from_address=FROM,
                ca_bundle=cert,
            )
        )
        await notifier.send(message())
    finally:
        controller.stop()
    [received] = mailbox.received
    assert text_of(received) == message().body
