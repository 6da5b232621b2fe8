"""The worker under measure: its own process, and its resident memory sampled from /proc."""

import asyncio
import contextlib
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.workflows.* are not an installed package


RSS_EVERY = 0.5  # seconds between RSS samples


@dataclass
class Rss:
    """VmRSS and VmHWM (the peak RSS of the process so far), in MB, from /proc."""

    now_mb: float
    peak_mb: float

    @classmethod
    def of(cls, pid: int) -> "Rss":
        fields: dict[str, float] = {}
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) / 1024  # kB
        return cls(fields["VmRSS"], fields["VmHWM"])


class RssSampler:
    """Samples a process's RSS in the background; keeps the highest VmRSS seen."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.highest_mb = 0.0
        self._task: asyncio.Task[None] | None = None

    def sample(self) -> Rss:
        rss = Rss.of(self.pid)
        self.highest_mb = max(self.highest_mb, rss.now_mb, rss.peak_mb)
        return rss

    async def _loop(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(RSS_EVERY)

    def __enter__(self) -> "RssSampler":
        self._task = asyncio.get_running_loop().create_task(self._loop())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()


@contextlib.contextmanager
def worker_process(data_dir: Path, address: str) -> Iterator[subprocess.Popen[bytes]]:
    log = (data_dir / "bench-worker.log").open("wb")
    # monitoring_memory.py --worker is the worker entry point.
    script = Path(__file__).with_name("monitoring_memory.py")
    command = [sys.executable, str(script), "--worker", "--data-dir", str(data_dir)]
    process = subprocess.Popen(
        [*command, "--address", address], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=45)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def worker_log_tail(data_dir: Path, lines: int = 30) -> str:
    text = (data_dir / "bench-worker.log").read_text(errors="replace")
    return "\n".join(text.splitlines()[-lines:])
