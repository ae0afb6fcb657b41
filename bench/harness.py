"""Measure a piece of work: wall time and peak resident memory of its whole process tree.

Each measured case runs in its own subprocess so that a JVM started by one case (Spark) does
not inflate the memory of the next, and so that the reference (DuckDB) and the candidate run
side by side on the same files in the same `make bench` invocation.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.05


@dataclass
class Measurement:
    suite: str
    case: str
    engine: str
    seconds: float
    peak_rss_mb: float
    rows: int = 0
    details: dict = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


class PeakRssSampler(threading.Thread):
    """Samples the RSS of a process and all its descendants until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self._process = psutil.Process(pid)
        self._stop_event = threading.Event()
        self.peak_bytes = 0

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                self.peak_bytes = max(self.peak_bytes, _tree_rss(self._process))
            except psutil.NoSuchProcess:
                return
            self._stop_event.wait(SAMPLE_SECONDS)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak_bytes


def run_case(module: str, args: list[str], *, cwd: Path, log: Path) -> tuple[float, int, dict]:
    """Run ``python -m module args`` and return (seconds, peak RSS bytes, its JSON result).

    The case prints one JSON object as its last stdout line: its own figures (rows, per-source
    timings). Everything else it prints goes to ``log`` for post-mortems.
    """
    started = time.perf_counter()
    with log.open("w") as log_file:
        child = subprocess.Popen([sys.executable, "-m", module, *args], cwd=cwd,
                                 stdout=subprocess.PIPE, stderr=log_file, text=True)
        sampler = PeakRssSampler(child.pid)
        sampler.start()
        stdout, _ = child.communicate()
        peak = sampler.stop()
        log_file.write(stdout)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"benchmark case {module} {' '.join(args)} failed "
                           f"(exit {child.returncode}); see {log}")
    last_line = stdout.strip().splitlines()[-1] if stdout.strip() else "{}"
    return seconds, peak, json.loads(last_line)
