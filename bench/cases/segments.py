"""Benchmark case: segment counts on the bitmap index and on DuckDB SQL, over a synthetic long
tag table at the bench scale (``profilehub.segments.benchmark``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.context import print_figures
from profilehub.segments import benchmark_segment_counts
from profilehub.segments.synthetic import (
    synthetic_segments,
    synthetic_tag_kinds,
    write_synthetic_tag_table,
)

SEED = 11


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--customers", type=int, required=True)
    parser.add_argument("--tags-per-type", type=int, default=10)
    parser.add_argument("--expressions", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    folder = Path(args.root) / "segments"
    folder.mkdir(parents=True, exist_ok=True)
    kinds = synthetic_tag_kinds(args.tags_per_type)
    table = folder / "tags.parquet"
    rows = write_synthetic_tag_table(table, args.customers, kinds, seed=SEED)
    expressions = synthetic_segments(kinds, args.expressions, seed=SEED)
    figures = benchmark_segment_counts(table, expressions, args.repeats, kinds=kinds)
    print_figures({"rows": rows, "tags": len(kinds), **figures})


if __name__ == "__main__":
    main()
