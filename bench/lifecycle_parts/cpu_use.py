"""The CPU a round spends, read from /proc: this process (the driver and the worker) and
every process under it (the time-skipping test server, the worker's rendering process).

Why: the throughput ratio says how much slower the real cases are, not whether they could
be faster on this machine. With a round's CPU seconds beside its wall seconds, the bench
shows whether a contender was held back by the machine's cores or by waiting, and what
ratio the machine's cores allow at most for the CPU a case costs.
"""

import os
from dataclasses import dataclass
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")


def _stat_fields(pid: str) -> list[str] | None:
    """The fields after the command name of /proc/<pid>/stat (the name, in parentheses,
    may hold spaces), or None for a process that has ended meanwhile."""
    try:
        text = (PROC / pid / "stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def tree_cpu_seconds(root: int | None = None) -> float:
    """User and system CPU seconds of `root` (this process by default) and of every live
    process descended from it. A process that ended within the interval measured takes its
    CPU with it; none of the bench's do."""
    root_pid = str(root if root is not None else os.getpid())
    children: dict[str, list[str]] = {}
    ticks: dict[str, int] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(entry.name)
        if fields is None:
            continue
        # After the name: state, ppid, ... utime is the 12th, stime the 13th (proc(5)).
        children.setdefault(fields[1], []).append(entry.name)
        ticks[entry.name] = int(fields[11]) + int(fields[12])
    total, waiting = 0, [root_pid]
    while waiting:
        pid = waiting.pop()
        total += ticks.get(pid, 0)
        waiting.extend(children.get(pid, []))
    return total / TICKS_PER_SECOND


@dataclass(frozen=True)
class RoundCpu:
    """What one round of `cases` cases spent: wall seconds and CPU seconds."""

    cases: int
    wall_s: float
    cpu_s: float

    @property
    def cores_busy(self) -> float:
        return self.cpu_s / self.wall_s

    @property
    def cpu_ms_per_case(self) -> float:
        return self.cpu_s * 1000 / self.cases

    def most_cases_per_s(self, cores: int) -> float:
        """The throughput `cores` fully busy would allow at this round's CPU per case."""
        return cores / (self.cpu_s / self.cases)


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0))
