"""The time-skipping test server's own output, kept out of the bench's.

The test server prints its time-lock bookkeeping with Java stack traces whenever a lock is
taken or released out of turn, which the leaked-lock healing (heal.py) makes it do: over
100,000 lines in one `make bench`. It inherits this process's stdout and stderr when it
starts, so pointing those at a file just while it starts sends its output there for good,
and leaves this process's own output where it was.
"""

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def children_write_to(path: Path) -> Iterator[None]:
    """Processes started inside write their stdout and stderr to `path`."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with path.open("ab") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, copy in zip((1, 2), saved, strict=True):
            os.dup2(copy, fd)
            os.close(copy)
