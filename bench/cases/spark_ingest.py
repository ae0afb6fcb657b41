"""Benchmark case: the Spark ingest, one ``ingest_range`` over every date and source of the bench
landing zone, exactly as the pipeline runs it (sources side by side, one pass per source and
batch of dates).

The session start-up is timed on its own. The ingest's result gives rows per source but no
durations, so each source-and-batch call of ``spark.ingest.job.ingest_source`` is timed where the
job makes it; those seconds overlap when sources run side by side, so per source they measure
latency, and only the whole call measures throughput.
"""

from __future__ import annotations

import argparse
import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from bench.context import print_figures, settings_for
from spark.ingest import job
from spark.session import spark_session


@contextmanager
def seconds_per_source() -> Iterator[Counter]:
    """Within the block, the seconds of every ``ingest_source`` call, summed per source."""
    seconds: Counter = Counter()
    lock = threading.Lock()
    untimed = job.ingest_source

    def timed(spark, settings, contract, dates):
        began = time.perf_counter()
        try:
            return untimed(spark, settings, contract, dates)
        finally:
            with lock:
                seconds[contract.name] += time.perf_counter() - began

    job.ingest_source = timed
    try:
        yield seconds
    finally:
        job.ingest_source = untimed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--start", required=True, type=dt.date.fromisoformat)
    parser.add_argument("--end", required=True, type=dt.date.fromisoformat)
    args = parser.parse_args()
    settings = settings_for(args.root)
    started = time.perf_counter()
    spark = spark_session(settings, job.APP_NAME)
    startup_seconds = time.perf_counter() - started
    try:
        with seconds_per_source() as seconds:
            began = time.perf_counter()
            result = job.ingest_range(settings, start=args.start, end=args.end, sources=None,
                                      spark=spark)
            ingest_seconds = time.perf_counter() - began
    finally:
        spark.stop()
    print(result.summary(), flush=True)
    sources: dict[str, dict] = {}
    for r in result.reconciliations:
        figures = sources.setdefault(r.source, Counter())
        figures.update(partitions=1, rows_in=r.rows_in, accepted=r.accepted,
                       quarantined=r.quarantined)
    if set(seconds) != set(sources):
        raise RuntimeError(f"timed sources {sorted(seconds)} are not the ingested ones "
                           f"{sorted(sources)}: has the job stopped calling ingest_source?")
    print_figures({"rows": sum(s["rows_in"] for s in sources.values()),
                   "startup_seconds": startup_seconds, "ingest_seconds": ingest_seconds,
                   "sources": {name: {**figures, "seconds": seconds[name]}
                               for name, figures in sources.items()}})


if __name__ == "__main__":
    main()
