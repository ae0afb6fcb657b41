"""Benchmark case: generate the landing zone. Prints its figures as JSON on the last line."""

from __future__ import annotations

import argparse
import datetime as dt

from bench.context import print_figures, settings_for
from profilehub.generator import generate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--customers", type=int, required=True)
    parser.add_argument("--days", type=int, required=True)
    parser.add_argument("--dirty", type=float, default=0.001)
    parser.add_argument("--start", default="2026-10-01")
    args = parser.parse_args()
    settings = settings_for(args.root)
    report = generate(settings.paths, customers=args.customers, days=args.days, seed=11,
                      dirty_rate=args.dirty, start=dt.date.fromisoformat(args.start),
                      progress=False)
    print(report.summary(), flush=True)
    print_figures({"rows": report.total_rows(), "rows_by_source": report.rows_by_source(),
                   "files": sum(report.files.values()), "generator_seconds": report.seconds})


if __name__ == "__main__":
    main()
