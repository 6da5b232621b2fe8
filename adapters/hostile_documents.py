"""Hostile documents every parser must refuse cheaply, and the guard that proves it:
no file opened, no connection attempted, under a CPU-time limit. Used by the
conformance kit and by the hardened parser's own tests."""

import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from adapters.errors import AdapterError

HOSTILE_LIMIT_SECONDS = 0.1


def hostile_documents(local_file: Path) -> dict[str, bytes]:
    """The attacks every parser must refuse, cheaply; `local_file` is a file an
    external-entity attack would try to read."""
    lol = b"&lol9;"
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">'.encode() for n in range(1, 10)
    )
    return {
        "billion laughs": b'<?xml version="1.0"?><!DOCTYPE r ['
        + entities
        + b"]><r>"
        + lol
        + b"</r>",
        "external entity to a local file": (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "'
            + local_file.as_uri().encode()
            + b'">]><r>&x;</r>'
        ),
        "external DTD": (
            b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://dtd.example.invalid/court.dtd"><r/>'
        ),
        "parameter entity from the network": (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM '
            b'"http://dtd.example.invalid/p.ent"> %p;]><r/>'
        ),
        "100 MB document": b"<r>" + b"A" * (100 * 1024 * 1024) + b"</r>",
        "10,000-deep nesting": b"<r>" * 10_000 + b"</r>" * 10_000,
    }


@contextmanager
def no_io() -> Iterator[list[str]]:
    """Records (and blocks) every connection attempt and Python-level file open."""
    attempts: list[str] = []

    def refuse_connect(self: socket.socket, address: Any) -> None:
        attempts.append(f"connect {address!r}")
        raise OSError("network use during parsing")

    def refuse_lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.append(f"getaddrinfo {host!r}")
        raise OSError("network use during parsing")

    def audit(event: str, args: tuple[Any, ...]) -> None:
        if recording and event == "open":
            attempts.append(f"open {args[0]!r}")

    recording = True
    original_connect, original_lookup = socket.socket.connect, socket.getaddrinfo
    socket.socket.connect = refuse_connect  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = refuse_lookup
    sys.addaudithook(audit)  # hooks cannot be removed; `recording` switches this one off
    try:
        yield attempts
    finally:
        recording = False
        socket.socket.connect = original_connect  # type: ignore[method-assign]
        socket.getaddrinfo = original_lookup


def refuses_hostile_documents(tmp_path: Path, parse: Callable[[bytes], object]) -> None:
    """Each hostile document refused with an `AdapterError`, fast, with no file or network."""
    secret = tmp_path / "secret.txt"
    secret.write_text("CONFORMANCE-SECRET-4471")
    for name, document in hostile_documents(secret).items():
        with no_io() as attempts:
            # CPU time: the limit is on the document's work, not on a loaded machine.
            started = time.thread_time()
            with pytest.raises(AdapterError) as refused:
                parse(document)
            elapsed = time.thread_time() - started
        assert elapsed < HOSTILE_LIMIT_SECONDS, f"{name}: refused after {elapsed:.3f} s"
        assert not attempts, f"{name}: {attempts}"
        assert "CONFORMANCE-SECRET" not in str(refused.value), name
