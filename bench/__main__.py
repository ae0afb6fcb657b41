"""``make bench``: run the benchmark suites and write their sections to BENCHMARKS.md.

``python -m bench --customers N --days D [--only generate,ingest] [--root PATH]``. Everything
runs under one bench data root (``settings.paths.bench`` unless ``--root``); each measured case
runs in a subprocess beside its reference. With ``--only`` the report holds only the chosen
suites' sections.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from bench.context import BenchContext
from bench.report import Section, write_report
from bench.suites import SUITES, SuiteError, load_suite
from profilehub.settings import REPO_ROOT, get_settings

REPORT = REPO_ROOT / "BENCHMARKS.md"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, required=True)
    parser.add_argument("--days", type=int, required=True)
    parser.add_argument("--dirty", type=float, default=0.001, help="generator defect rate")
    parser.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2026, 10, 1))
    parser.add_argument("--only", default=",".join(SUITES),
                        help=f"comma-separated suites, from: {', '.join(SUITES)}")
    parser.add_argument("--root", type=Path, default=None, help="bench data root")
    parser.add_argument("--report", type=Path, default=REPORT)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(SUITES))
    if unknown:
        raise SystemExit(f"unknown suites {unknown}; known: {', '.join(SUITES)}")
    root = (args.root or get_settings().paths.bench).resolve()
    root.mkdir(parents=True, exist_ok=True)
    context = BenchContext(args.customers, args.days, args.dirty, args.start, root)
    sections, failures = [], []
    for name in (suite for suite in SUITES if suite in chosen):
        began = time.perf_counter()
        print(f"[bench] {name} ...", flush=True)
        # A failed suite (a case that crashed, or one whose input is missing) does not throw
        # away the others' results: the report says what failed, and the command exits 1.
        try:
            sections += load_suite(name).run(context)
        except (SuiteError, RuntimeError) as error:
            print(f"[bench] {name} FAILED: {error}", flush=True)
            failures.append([name, str(error)])
            continue
        print(f"[bench] {name} done in {time.perf_counter() - began:.0f} s", flush=True)
    if failures:
        sections.append(Section(title="Suites that failed", aim="every chosen suite runs to "
                                "its end; these did not, and have no section above.",
                                columns=["suite", "error"], rows=failures))
    parameters = (f"{args.customers:,} customers × {args.days} days from {args.start}, defect "
                  f"rate {args.dirty:g}; suites: {', '.join(s for s in SUITES if s in chosen)}")
    write_report(args.report, parameters, sections,
                 list_kept=args.report.resolve() == REPORT.resolve())
    print(f"[bench] wrote {args.report}", flush=True)
    if failures:
        raise SystemExit(f"[bench] failed: {', '.join(name for name, _ in failures)}")


if __name__ == "__main__":
    main()
