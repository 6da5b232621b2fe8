"""Outbound HTTP shared by every adapter that talks to another agency's API (court or
police): settings (`settings`), OAuth2 client credentials (`oauth`) and the one place
requests are sent (`client`). Nothing here knows which agency it is talking to; the
caller names its peer ("the court") for error messages.

This module holds the one thing both `oauth` and `client` need: how a failure to reach
a host is told.
"""

import httpx

from adapters.errors import AdapterError


def unreachable(error: httpx.TransportError, what: str, url: httpx.URL) -> AdapterError:
    """`what` at `url`'s host could not be talked to, and how. Only the host is named: a
    path or query string is not ours to put in a log."""
    return AdapterError(f"{what} at {host_of(url)}: {_kind(error)} ({type(error).__name__})")


def host_of(url: httpx.URL) -> str:
    return f"{url.host}:{url.port}" if url.port is not None else url.host


def _kind(error: httpx.TransportError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    if isinstance(error, httpx.ConnectError):
        return "could not connect"
    if isinstance(error, httpx.NetworkError):
        return "network error"
    if isinstance(error, httpx.ProtocolError):
        return "broke the HTTP protocol"
    return "transport error"
