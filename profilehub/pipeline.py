"""The demo pipeline behind ``profilehub run``: each stage skips work that is already done.

Stages are plain functions so that the Airflow DAGs and the CLI call the same code.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from profilehub.settings import Settings

GENERATION_MARKER = "_generation.json"


@dataclass(frozen=True)
class DemoParameters:
    customers: int
    days: int
    seed: int
    dirty_rate: float
    start: dt.date

    @property
    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=offset) for offset in range(self.days)]

    def as_json(self) -> str:
        return json.dumps({**asdict(self), "start": self.start.isoformat()}, sort_keys=True)


def stage(name: str) -> Callable:
    """Print when a stage starts and how long it took, so long runs show where they are."""

    def decorate(func: Callable) -> Callable:
        def run(*args, **kwargs):
            print(f"==> {name}", flush=True)
            started = time.perf_counter()
            result = func(*args, **kwargs)
            print(f"<== {name} done in {time.perf_counter() - started:.1f}s", flush=True)
            return result

        return run

    return decorate


@stage("generate landing data")
def generate_landing(settings: Settings, params: DemoParameters) -> None:
    """Generate the demo landing zone unless the same parameters already produced it."""
    from profilehub.generator import generate

    marker = settings.paths.landing / GENERATION_MARKER
    if marker.exists() and marker.read_text() == params.as_json():
        print(f"landing data for {params.as_json()} already present: reused")
        return
    report = generate(settings.paths, customers=params.customers, days=params.days,
                      seed=params.seed, dirty_rate=params.dirty_rate, start=params.start)
    print(report.summary())
    marker.write_text(params.as_json())


@stage("ingest landing into the lake (Spark)")
def ingest_landing(settings: Settings, params: DemoParameters) -> None:
    from spark.ingest import ingest_range

    result = ingest_range(settings, start=params.dates[0], end=params.dates[-1], sources=None)
    print(result.summary())


def run_demo(settings: Settings, params: DemoParameters) -> None:
    generate_landing(settings, params)
    ingest_landing(settings, params)
