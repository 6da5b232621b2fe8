"""Real local servers the notifiers talk to: an SMTP server (aiosmtpd) and a fake of
Twilio's Messages API (Starlette under uvicorn), each in a thread on a free port."""

import base64
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

import uvicorn
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from diversion.dev_server import free_port

TWILIO_SID = "AC0123456789abcdef0123456789abcdef"
TWILIO_TOKEN = "test-twilio-auth-token"


@dataclass
class Mailbox:
    """What the SMTP server received, and the answers it is told to give."""

    received: list[Message] = field(default_factory=list)
    # address -> the reply to its RCPT TO (e.g. "550 5.1.1 No such mailbox")
    refuse: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        self.received.append(message_from_bytes(content, policy=policy.default))
        return "250 Message accepted for delivery"


def text_of(received: Message) -> str:
    """A received message's plain-text body, as written (line ends as sent: CRLF)."""
    payload = received.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode().replace("\r\n", "\n").strip()


@contextmanager
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@dataclass
class FakeTwilio:
    """Twilio's Messages API as far as we use it: each POST is recorded and answered with
    the next scripted reply, or accepted."""

    port: int
    sent: list[dict[str, str]] = field(default_factory=list)
    # The next answers, in order; None accepts that one.
    replies: list[tuple[int, dict[str, Any]] | None] = field(default_factory=list)
    requests: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def messages(self, request: Request) -> JSONResponse:
        self.requests += 1
        expected = base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return JSONResponse({"code": 20003, "message": "Authenticate"}, status_code=401)
        if request.path_params["sid"] != TWILIO_SID:
            return JSONResponse({"code": 20404, "message": "not found"}, status_code=404)
        reply = self.replies.pop(0) if self.replies else None
        if reply is not None:
            return JSONResponse(reply[1], status_code=reply[0])
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        self.sent.append(form)
        return JSONResponse({"sid": f"SM{len(self.sent):032d}", "status": "queued"}, 201)


@contextmanager
def fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio(port=free_port())
    app = Starlette(
        routes=[Route("/2010-04-01/Accounts/{sid}/Messages.json", fake.messages, methods=["POST"])]
    )
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=fake.port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:  # uvicorn's own flag: the socket is listening
        assert time.monotonic() < deadline, "the fake Twilio did not start"
        time.sleep(0.01)
    try:
        yield fake
    finally:
        server.should_exit = True
        thread.join(timeout=10)
