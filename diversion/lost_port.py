"""A Temporal dev server that could not listen on its port as it started: started again.

The dev server picks free ports for its internal services (history, matching, worker) by
binding port 0 and letting go, as `dev_server.free_port()` does for ours; so one of them
can be the very port it was asked to serve on, free until then, and its frontend then
cannot bind it. Another start picks other ports. Seen once in a fault run's start
("bind: address already in use" for the frontend, then the server exited). Both ways of
starting one use this: `dev_server.running_dev_server` and the fault run's stack.
"""

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

START_ATTEMPTS = 3
_PORT_TAKEN = "address already in use"
_log = logging.getLogger(__name__)

T = TypeVar("T")


class PortTaken(Exception):
    """The server exited as it started, a listener of it finding its address taken."""


def lost_its_port(output: str) -> bool:
    """Whether a dev server's output says a listener of it found its address taken."""
    return _PORT_TAKEN in output


async def started_again_if_port_lost(start: Callable[[], Awaitable[T]]) -> T:
    """`start()`, once more each time it raises `PortTaken`, up to `START_ATTEMPTS` in all
    (the last `PortTaken` then raised). `start` stops what it started before it raises."""
    for attempt in range(1, START_ATTEMPTS):
        try:
            return await start()
        except PortTaken:
            _log.warning(
                "the Temporal dev server found a port of its taken; starting it again (%d of %d)",
                attempt + 1,
                START_ATTEMPTS,
            )
    return await start()
