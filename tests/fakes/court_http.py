"""The fake court's HTTP: plain HTTP/1.1 with a Content-Length body, one request per
connection (what httpx sends), and a reset that the peer sees as one."""

import asyncio
import contextlib
import socket
import struct

from tests.fakes.court_replies import Reply

MAX_HEAD = 64 * 1024


async def read_request(
    reader: asyncio.StreamReader,
) -> tuple[str, str, dict[str, str], bytes] | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None  # a port probe: connected and left
    if len(head) > MAX_HEAD:
        raise ValueError("request head too large")
    request_line, *lines = head.decode("latin-1").split("\r\n")
    method, path, _ = request_line.split(" ", 2)
    headers = {}
    for line in lines:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    body = await reader.readexactly(length) if length else b""
    return method, path, headers, body


REASONS = {200: "OK", 201: "Created", 404: "Not Found", 409: "Conflict", 500: "Server Error"}


def response(reply: Reply) -> bytes:
    head = (
        f"HTTP/1.1 {reply.status} {REASONS.get(reply.status, 'Status')}\r\n"
        f"Content-Type: {reply.content_type}\r\n"
        f"Content-Length: {len(reply.body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode("latin-1") + reply.body


def reset(writer: asyncio.StreamWriter) -> None:
    """Close with SO_LINGER 0: the peer sees a connection reset, not an orderly close."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
