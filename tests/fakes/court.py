"""A fake court's e-filing system, served for real on a local port: REST (json format) at
`/filings` and `/cases/{number}`, SOAP 1.1 at `/ecf` (ECF 4.01) and `/ecf5` (ECF 5.0).

An ECF filing is only received; the clerk decides later (`decide`, or `take_callbacks_due`
for the clerk who dockets each and calls back), and GetFilingStatus answers with the
filing's status as the court holds it then (tests/fakes/court_ecf.py). Questions see no
faults (those are for filings), only the court being down.

It dockets every filing by its idempotency key, as real e-filing systems do: a key it has
already docketed is answered as already filed (REST 409 `already_filed`, SOAP the same
receipt) and counted as received twice, never docketed again. Faults are switched from
the outside, for the next n filings or until cleared:

- `Fault.LATENCY`: answer after `latency` seconds;
- `Fault.ERROR`: HTTP 500 (a SOAP Server fault), nothing docketed;
- `Fault.RESET`: the connection reset before any answer, nothing docketed;
- `Fault.LOST_ANSWER`: docketed, then no answer until the caller gives up (its timeout);
- `Fault.REFUSE`: an answer refusing the filing (not docketed; staff must decide);
- `down()` / `up()`: nothing listens on the port (connection refused) meanwhile.

Unlike tests/workflows/fake_court.py (an adapter in the worker's process), this one is
reached over sockets by the transports as they are deployed, so a worker or server killed
mid-request and the court's own failures meet the real HTTP client and its retries.

The server has its own thread and event loop, so a test or bench drives it from any loop
(or none) and a busy caller never slows the court down. Only plain HTTP/1.1 with a
Content-Length body is spoken, one request per connection: what httpx sends.
"""

import asyncio
import hashlib
import socket
import threading
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from tests.fakes import court_ecf
from tests.fakes import court_replies as replies
from tests.fakes.court_ecf import CourtStatus
from tests.fakes.court_http import read_request, reset, response
from tests.fakes.court_replies import REFUSAL, Reply

T = TypeVar("T")
RECEIVED = CourtStatus("received")


class Fault(StrEnum):
    LATENCY = "latency"
    ERROR = "error"
    RESET = "reset"
    LOST_ANSWER = "lost_answer"
    REFUSE = "refuse"


@dataclass
class Filing:
    """One docketed filing: what the court holds under an idempotency key."""

    key: str
    transport: str  # "rest" or "soap"
    reference: str
    content_hash: str
    received: int = 1  # how many times this key arrived; more than 1 was deduplicated
    status: CourtStatus = RECEIVED  # the clerk's decision, once made


@dataclass
class Counts:
    requests: int = 0
    errors_sent: int = 0  # 5xx answered
    resets: int = 0
    answers_lost: int = 0
    refused: int = 0
    outages: int = 0
    faults: Counter[str] = field(default_factory=Counter)


class FakeCourt:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.latency = 0.5
        self.lost_answer_hold = 60.0  # longer than any caller's timeout
        self.docket: dict[str, Filing] = {}
        self.refusals: dict[str, str] = {}  # key -> reference of the refusal
        self.content_mismatches: list[str] = []  # a key resent with other bytes
        # ECF over SOAP only receives a filing; the clerk's docketing comes back later as a
        # callback the court posts to the service (taken by whoever delivers them).
        self._callbacks_due: list[str] = []
        self.asked: list[str] = []  # filing ids GetFilingStatus asked about, in order
        self.asked_courts: list[str | None] = []  # the court each question named, or None
        self.counts = Counts()
        self._faults: list[tuple[Fault, int | None]] = []  # (fault, times left or None)
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()
        self._serial = 0

    # -- lifecycle (called from any thread) ----------------------------------------------

    def start(self) -> "FakeCourt":
        self._thread.start()
        self._call(self._listen())
        return self

    def close(self) -> None:
        self._call(self._stop_listening())
        self._call(self._end_answers())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def __enter__(self) -> "FakeCourt":
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def down(self) -> None:
        """Stop listening and cut every open connection: the court is unreachable."""
        with self._lock:
            self.counts.outages += 1
        self._call(self._stop_listening())

    def up(self) -> None:
        self._call(self._listen())

    @property
    def is_up(self) -> bool:
        return self._server is not None

    # -- faults -------------------------------------------------------------------------

    def fail_next(self, fault: Fault, times: int = 1) -> None:
        with self._lock:
            self._faults.append((fault, times))

    def always(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append((fault, None))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_fault(self) -> Fault | None:
        with self._lock:
            if not self._faults:
                return None
            fault, left = self._faults[0]
            if left is not None:
                if left <= 1:
                    self._faults.pop(0)
                else:
                    self._faults[0] = (fault, left - 1)
            self.counts.faults[fault] += 1
            return fault

    # -- what it holds ------------------------------------------------------------------

    def filings(self) -> dict[str, Filing]:
        with self._lock:
            return dict(self.docket)

    def decide(self, key: str, accepted: bool = True, reason: str | None = None) -> str:
        """The clerk decides on the filing under `key` (no callback); its reference."""
        status = CourtStatus("docketed") if accepted else CourtStatus("rejected", reason)
        with self._lock:
            filing = self.docket[key]
            filing.status = status
            return filing.reference

    def received_twice(self) -> int:
        """Resends of keys already docketed (each answered as already filed)."""
        with self._lock:
            return sum(f.received - 1 for f in self.docket.values())

    # -- serving ------------------------------------------------------------------------

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    async def _listen(self) -> None:
        if self._server is not None:
            return
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        self._server = await asyncio.start_server(self._serve, sock=sock)

    async def _stop_listening(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for writer in list(self._open):
            reset(writer)
        if server is not None:
            await server.wait_closed()

    async def _end_answers(self) -> None:
        """Answers still held back (a lost answer's wait) end with the court."""
        current = asyncio.current_task()
        held = [t for t in asyncio.all_tasks() if t is not current]
        for task in held:
            task.cancel()
        await asyncio.gather(*held, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._open.add(writer)
        try:
            request = await read_request(reader)
            if request is None:
                return
            with self._lock:
                self.counts.requests += 1
            reply = await self._answer(*request, writer)
            if reply is not None:
                writer.write(response(reply))
                await writer.drain()
            writer.close()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            writer.close()
        except asyncio.CancelledError:
            # The court closing while it holds an answer back: the connection ends with it.
            # Not re-raised: the stream's own callback would log the cancellation as an error.
            writer.transport.abort()
        finally:
            self._open.discard(writer)

    async def _answer(
        self,
        method: str,
        path: str,
        headers: dict[str, str],
        body: bytes,
        writer: asyncio.StreamWriter,
    ) -> Reply | None:
        soap = path.startswith("/ecf")
        if method == "GET" and path.startswith("/cases/"):
            return replies.rest_no_such_case()
        if soap and "GetCase" in headers.get("soapaction", ""):
            return replies.soap_case(court_ecf.generation(path))
        if method != "POST" or not (soap or path.startswith("/filings")):
            return replies.Reply(404, b'{"title": "Not Found"}')
        asked = court_ecf.status_question(body) if soap else None
        if asked is not None:
            with self._lock:
                self.asked_courts.append(asked.court)
            return self._status(court_ecf.generation(path), asked.reference)
        fault = self._take_fault()
        if fault is Fault.LATENCY:
            await asyncio.sleep(self.latency)
        elif fault is Fault.RESET:
            with self._lock:
                self.counts.resets += 1
            reset(writer)
            return None
        elif fault is Fault.ERROR:
            with self._lock:
                self.counts.errors_sent += 1
            return replies.soap_error() if soap else replies.rest_error()
        key = headers.get("idempotency-key") or hashlib.sha256(body).hexdigest()
        reply = self._file(key, path, body, refuse=fault is Fault.REFUSE)
        if fault is Fault.LOST_ANSWER:
            with self._lock:
                self.counts.answers_lost += 1
            await asyncio.sleep(self.lost_answer_hold)  # the caller times out first
            reset(writer)
            return None
        return reply

    def _file(self, key: str, path: str, body: bytes, *, refuse: bool) -> Reply:
        soap = path.startswith("/ecf")
        gen = court_ecf.generation(path)
        content_hash = hashlib.sha256(body).hexdigest()
        with self._lock:
            known = self.docket.get(key)
            if known is not None:
                known.received += 1
                if known.content_hash != content_hash:
                    self.content_mismatches.append(key)
                if soap:
                    return court_ecf.receipt(gen, known.reference, 0, "No error")
                return replies.rest_already_filed(key, known.reference)
            if key in self.refusals or refuse:
                reference = self.refusals.setdefault(key, self._next_reference())
                self.counts.refused += 1
                if soap:
                    return court_ecf.receipt(gen, reference, -22, REFUSAL)
                return replies.rest_refused(reference)
            filing = Filing(key, "soap" if soap else "rest", self._next_reference(), content_hash)
            self.docket[key] = filing
            if soap:
                self._callbacks_due.append(key)
        if soap:
            return court_ecf.receipt(gen, filing.reference, 0, "No error")
        return replies.rest_filed(filing.reference)

    def _status(self, gen: court_ecf.Generation, reference: str) -> Reply:
        """GetFilingStatus: the filing as docketed, refused at receipt, or unknown."""
        with self._lock:
            self.asked.append(reference)
            filing = next((f for f in self.docket.values() if f.reference == reference), None)
            refused = reference in self.refusals.values()
        if filing is not None:
            return court_ecf.status_answer(gen, reference, filing.status)
        if refused:
            return court_ecf.status_answer(gen, reference, CourtStatus("rejected", REFUSAL))
        return court_ecf.status_answer(gen, reference, None)

    def take_callbacks_due(self) -> list[str]:
        """The keys of SOAP filings received since the last call, each docketed now by the
        clerk, to be called back (GetFilingStatus says docketed from now on too)."""
        with self._lock:
            due, self._callbacks_due = self._callbacks_due, []
            for key in due:
                self.docket[key].status = CourtStatus("docketed")
        return due

    def _next_reference(self) -> str:
        self._serial += 1
        return f"FC-{self._serial:06d}"
