"""Benchmark case: the DuckDB reference ingest over every date of the bench landing zone,
writing under its own output root beside the Spark ingest's folders."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from bench.context import print_figures, settings_for
from profilehub.duckdb_ingest import ingest_range


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--output", required=True, type=Path)
    parser.add_argument("--start", required=True, type=dt.date.fromisoformat)
    parser.add_argument("--end", required=True, type=dt.date.fromisoformat)
    args = parser.parse_args()
    started = time.perf_counter()
    result = ingest_range(settings_for(args.root), args.output, start=args.start, end=args.end)
    seconds = time.perf_counter() - started
    for run in result.runs:
        print(f"{run.reconciliation.source} {run.reconciliation.day}: "
              f"{run.reconciliation.figures()} in {run.seconds:.2f}s", flush=True)
    sources = result.by_source()
    print_figures({"rows": sum(int(s["rows_in"]) for s in sources.values()),
                   "ingest_seconds": seconds, "sources": sources})


if __name__ == "__main__":
    main()
