"""The ingest phase's HTTP client: keep-alive HTTP/1.1 connections spoken with h11 (the
parser httpx itself uses for HTTP/1.1) over asyncio's streams, one request at a time on
each. Why not httpx there: http_api_parts/ingest.py."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence

import h11

from .harness import BenchFailure

READ_BYTES = 65536


class Lane:
    """One TCP connection to the API."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._http = h11.Connection(h11.CLIENT)

    @classmethod
    async def open(cls, host: str, port: int) -> "Lane":
        return cls(*await asyncio.open_connection(host, port))

    @property
    def reusable(self) -> bool:
        return self._http.our_state is h11.IDLE and self._http.their_state is h11.IDLE

    @property
    def closed_by_server(self) -> bool:
        """The server closed it while idle (uvicorn does after 5 s of keep-alive)."""
        return self._reader.at_eof()

    async def post(
        self, host: str, target: str, body: bytes, headers: Sequence[tuple[str, str]]
    ) -> tuple[int, bytes]:
        """(status, body) of one POST."""
        http = self._http
        request = h11.Request(
            method="POST",
            target=target,
            headers=[("Host", host), ("Content-Length", str(len(body))), *headers],
        )
        self._writer.write(
            b"".join(
                http.send(event) or b""
                for event in (request, h11.Data(data=body), h11.EndOfMessage())
            )
        )
        status, chunks = 0, []
        while True:
            event = http.next_event()
            if event is h11.NEED_DATA:
                http.receive_data(await self._reader.read(READ_BYTES))
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                if http.our_state is h11.DONE and http.their_state is h11.DONE:
                    http.start_next_cycle()
                return status, b"".join(chunks)
            elif isinstance(event, h11.ConnectionClosed):
                raise BenchFailure(f"POST {target}: the API closed the connection")

    async def close(self) -> None:
        self._writer.close()
        with contextlib.suppress(ConnectionError):
            await self._writer.wait_closed()


class Lanes:
    """Connections opened as requests need them (inside the timed batch, as a client's
    pool would), each used by one request at a time; one the server closed, after a
    request or while idle, is replaced."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._idle: list[Lane] = []
        self._all: list[Lane] = []

    async def post(
        self, target: str, body: bytes, headers: Sequence[tuple[str, str]]
    ) -> tuple[int, bytes]:
        while self._idle and self._idle[-1].closed_by_server:
            await self._idle.pop().close()
        lane = self._idle.pop() if self._idle else await self._open()
        status, answer = await lane.post(f"{self.host}:{self.port}", target, body, headers)
        if lane.reusable:
            self._idle.append(lane)
        else:
            await lane.close()
        return status, answer

    async def _open(self) -> Lane:
        lane = await Lane.open(self.host, self.port)
        self._all.append(lane)
        return lane

    async def close(self) -> None:
        for lane in self._all:
            await lane.close()


@contextlib.asynccontextmanager
async def lanes(host: str, port: int) -> AsyncIterator[Lanes]:
    opened = Lanes(host, port)
    try:
        yield opened
    finally:
        await opened.close()
