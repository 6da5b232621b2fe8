"""What goes wrong during a fault run, at seeded random moments: a worker killed with
SIGKILL, the Temporal server killed and started again on its database file, the court
down for a while, an API process restarted, a burst of court faults (5xx, resets, answers
lost after the court accepted, latency, a refusal)."""

import asyncio
import random
import sys
from dataclasses import dataclass, field
from enum import StrEnum

from tests.fakes.court import Fault
from tests.faults.stack import Stack


class Event(StrEnum):
    KILL_WORKER = "kill_worker"
    RESTART_SERVER = "restart_server"
    COURT_OUTAGE = "court_outage"
    RESTART_API = "restart_api"
    COURT_FAULTS = "court_faults"
    LOST_ANSWERS = "lost_answers"  # the court dockets a filing, and its answer never comes


EVERY_KIND = [
    Event.KILL_WORKER,
    Event.RESTART_SERVER,
    Event.COURT_OUTAGE,
    Event.RESTART_API,
    Event.LOST_ANSWERS,
]
COURT_FAULTS = [Fault.ERROR, Fault.RESET, Fault.LOST_ANSWER, Fault.LATENCY, Fault.REFUSE]


@dataclass
class ChaosPlan:
    """`first` happen in order, then random events until `extra` more or the run is done."""

    first: list[Event]
    extra: int = 0
    gap_seconds: tuple[float, float] = (6.0, 14.0)
    outage_seconds: tuple[float, float] = (4.0, 10.0)
    log: list[str] = field(default_factory=list)


async def run_chaos(stack: Stack, plan: ChaosPlan, rng: random.Random, done: asyncio.Event) -> None:
    events = list(plan.first) + [
        rng.choice([*EVERY_KIND, Event.COURT_FAULTS, Event.COURT_FAULTS]) for _ in range(plan.extra)
    ]
    loop = asyncio.get_running_loop()
    started = loop.time()
    for event in events:
        # The run being over ends the chaos at once: a wait on an event, not a sleep.
        try:
            await asyncio.wait_for(done.wait(), rng.uniform(*plan.gap_seconds))
            return
        except TimeoutError:
            pass
        note = await _happen(stack, event, plan, rng)
        line = f"[{loop.time() - started:6.1f} s] {event}: {note}"
        plan.log.append(line)
        print(f"  chaos {line}", file=sys.stderr, flush=True)


async def _happen(stack: Stack, event: Event, plan: ChaosPlan, rng: random.Random) -> str:
    match event:
        case Event.KILL_WORKER:
            n = rng.randrange(stack.workers)
            await stack.kill_worker(n)
            return f"worker {n} killed (SIGKILL) and started again"
        case Event.RESTART_SERVER:
            await stack.restart_server()
            return "Temporal server killed (SIGKILL) and started on the same database"
        case Event.COURT_OUTAGE:
            seconds = rng.uniform(*plan.outage_seconds)
            stack.court_down()
            await asyncio.sleep(seconds)  # the outage itself lasts this long
            stack.court_up()
            return f"court down for {seconds:.1f} s"
        case Event.RESTART_API:
            n = rng.randrange(stack.apis)
            await stack.restart_api(n)
            return f"API {n} restarted"
        case Event.LOST_ANSWERS:
            stack.court.fail_next(Fault.LOST_ANSWER, 2)
            return "the court's next 2 filing(s): docketed, the answer lost"
        case Event.COURT_FAULTS:
            fault = rng.choice(COURT_FAULTS)
            times = rng.randint(1, 3)
            stack.court.fail_next(fault, times)
            return f"the court's next {times} filing(s): {fault}"
