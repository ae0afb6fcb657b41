"""What every benchmark suite and case shares: the parameters of the run and its data root.

A run works in its own data root, ``settings.paths.bench`` (or ``--root``), so that benchmark
data never mixes with the demo pipeline's. Suites run in the ``make bench`` process; each
measured case runs in a subprocess (:func:`bench.harness.run_case`) and rebuilds the settings
for that root with :func:`settings_for`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from bench.harness import Measurement, run_case
from profilehub.settings import REPO_ROOT, Paths, Settings, get_settings

BYTES_PER_MB = 2**20


def settings_for(root: Path) -> Settings:
    """This process's settings with every data path under ``root``."""
    return dataclasses.replace(get_settings(), paths=Paths(Path(root).resolve()))


@dataclass(frozen=True)
class BenchContext:
    customers: int
    days: int
    dirty_rate: float
    start: dt.date
    root: Path

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.days - 1)

    @property
    def settings(self) -> Settings:
        return settings_for(self.root)

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def parameters(self) -> dict[str, object]:
        """What a generated landing zone depends on (recorded beside it, checked by users)."""
        return {"customers": self.customers, "days": self.days, "dirty_rate": self.dirty_rate,
                "start": self.start.isoformat()}

    def measure(self, suite: str, case: str, engine: str, module: str,
                args: list[str]) -> Measurement:
        """Run ``python -m module`` for this root; wall time, peak RSS and its figures."""
        self.logs.mkdir(parents=True, exist_ok=True)
        log = self.logs / f"{suite}-{case}-{engine}.log"
        seconds, peak_bytes, figures = run_case(module, [*args, "--root", str(self.root)],
                                                cwd=REPO_ROOT, log=log)
        return Measurement(suite, case, engine, seconds, peak_bytes / BYTES_PER_MB,
                           rows=int(figures.get("rows", 0)), details=figures)


def latency_ms(seconds: list[float]) -> dict[str, float]:
    """p50 and p99 in milliseconds of request durations in seconds (linear interpolation, as
    numpy's percentile): one statistic for every suite's latency table."""
    import numpy as np

    if not seconds:
        return {"p50_ms": float("nan"), "p99_ms": float("nan")}
    p50, p99 = np.percentile(np.asarray(seconds) * 1000, [50, 99])
    return {"p50_ms": float(p50), "p99_ms": float(p99)}


def print_figures(figures: dict) -> None:
    """A case's result: one JSON object on the last line of stdout (see ``run_case``)."""
    print(json.dumps(figures), flush=True)
