"""One time-skipping server clock shared by concurrent cases, and a record of what
the driver sends, so the baseline can be driven with exactly the same calls."""

import asyncio
import collections
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.workflows.* are not an installed package

from temporalio.client import (
    Interceptor,
    OutboundInterceptor,
    QueryWorkflowInput,
    StartWorkflowUpdateInput,
    WorkflowUpdateHandle,
)
from temporalio.testing import WorkflowEnvironment

from tests.workflows.harness import Case


class SharedClock:
    """Moves the one test-server clock for many concurrent drivers.

    A driver `join`s while it runs; `advance(delta)` waits until every joined driver is
    waiting on the clock, then skips to the earliest target (with the targets within
    `SLACK` of it) and releases those drivers. No one joins while the clock moves.
    """

    SLACK = timedelta(minutes=5)

    def __init__(self, env: WorkflowEnvironment) -> None:
        self._env = env
        self._active = 0
        self._waiting: list[tuple[datetime, asyncio.Future[None]]] = []
        self._still = asyncio.Event()
        self._still.set()
        self._mover: asyncio.Task[None] | None = None

    @asynccontextmanager
    async def joined(self) -> AsyncIterator[None]:
        while not self._still.is_set():
            await self._still.wait()
        self._active += 1
        try:
            yield
        finally:
            self._active -= 1
            self._maybe_move()

    async def advance(self, delta: timedelta) -> None:
        target = await self._env.get_current_time() + delta
        released = asyncio.get_running_loop().create_future()
        self._waiting.append((target, released))
        self._maybe_move()
        await released

    def _maybe_move(self) -> None:
        if self._still.is_set() and self._waiting and len(self._waiting) >= self._active:
            self._still.clear()
            self._mover = asyncio.create_task(self._move())

    async def _move(self) -> None:
        first = min(target for target, _ in self._waiting)
        group = [w for w in self._waiting if w[0] <= first + self.SLACK]
        self._waiting = [w for w in self._waiting if w[0] > first + self.SLACK]
        try:
            now = await self._env.get_current_time()
            target = max(t for t, _ in group)
            if target > now:
                await self._env.sleep(target - now)
        except Exception as e:
            for _, released in group:
                released.set_exception(e)
            raise
        else:
            for _, released in group:
                released.set_result(None)
        finally:
            self._still.set()


Step = str | timedelta  # "update", "query", or a clock move


class CallLog(Interceptor):
    """Records, per workflow id, the updates and queries a client sends, in order."""

    def __init__(self) -> None:
        self.recording = False
        self.steps: dict[str, list[Step]] = collections.defaultdict(list)

    def note(self, workflow_id: str, step: Step) -> None:
        if self.recording:
            self.steps[workflow_id].append(step)

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        return _Recorder(next, self)


class _Recorder(OutboundInterceptor):
    def __init__(self, next: OutboundInterceptor, log: CallLog) -> None:
        super().__init__(next)
        self.log = log

    async def start_workflow_update(
        self, input: StartWorkflowUpdateInput
    ) -> WorkflowUpdateHandle[Any]:
        self.log.note(input.id, "update")
        return await super().start_workflow_update(input)

    async def query_workflow(self, input: QueryWorkflowInput) -> Any:
        self.log.note(input.id, "query")
        return await super().query_workflow(input)


@dataclass
class ClockedCase(Case):
    """The tests' `Case`, moving the shared clock (and noting when it does)."""

    clock: SharedClock | None = None
    log: CallLog | None = None

    async def advance(self, delta: timedelta) -> None:
        assert self.clock is not None and self.log is not None
        self.log.note(self.handle.id, delta)
        await self.clock.advance(delta)
