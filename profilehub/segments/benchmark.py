"""Segment counts timed on the bitmap index and on DuckDB SQL over the same long tag table.

The index is opened without its result cache, so every count evaluates its whole expression;
bitmaps are loaded by a warm-up pass, as in a serving process. DuckDB gets the table in memory,
sorted by tag_id so that each atom's scan is pruned to its tag: the layout that suits it best.
Both sides must return the same counts, or the benchmark fails. Besides wall-clock times the
report gives the process CPU time per count: on a shared machine, preemption inflates wall
p99 while CPU time still shows what a count costs.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from time import perf_counter, process_time

import duckdb
import numpy as np
import pyarrow.parquet as pq

from profilehub.segments.build import build_index
from profilehub.segments.kinds import TagKinds
from profilehub.segments.sql import DEFAULT_TABLE, to_sql


def benchmark_segment_counts(tag_table_path: Path, expressions: Sequence[str], repeats: int, *,
                             kinds: TagKinds, index_folder: Path | None = None) -> dict:
    """Build the index of a Parquet long tag table, then time every count ``repeats`` times.

    Returns sizes, the build time, and per engine the p50/p99/max wall milliseconds and the
    p50/p99 CPU milliseconds, with the wall-clock speed-ups.
    The index is built into ``index_folder`` if given (kept), else into a temporary folder.
    """
    with tempfile.TemporaryDirectory(prefix="segment-benchmark-") as scratch:
        folder = Path(index_folder) if index_folder else Path(scratch) / "index"
        started = perf_counter()
        index = build_index(tag_table_path, kinds, folder, cache_size=0)
        build_seconds = perf_counter() - started
        connection = duckdb.connect()
        try:
            connection.execute(f"CREATE TABLE {DEFAULT_TABLE} AS SELECT * FROM read_parquet(?) "
                               f"ORDER BY tag_id, customer_key", [str(tag_table_path)])
            queries = [f"SELECT count(*) FROM ({to_sql(index.segment(text), kinds)})"
                       for text in expressions]

            def sql_count(query: str) -> int:
                return connection.execute(query).fetchone()[0]

            _check_agreement(expressions, index.count, queries, sql_count)
            bitmap_ms = _timings(index.count, expressions, repeats)
            duckdb_ms = _timings(sql_count, queries, repeats)
        finally:
            connection.close()
            index.close()
        index_bytes = sum(path.stat().st_size for path in folder.iterdir())
    return {
        "customers": index.customer_count,
        "tag_rows": pq.ParquetFile(str(tag_table_path)).metadata.num_rows,
        "expressions": len(expressions),
        "repeats": repeats,
        "index_build_seconds": round(build_seconds, 2),
        "index_bytes": index_bytes,
        "bitmap_index": _summary(bitmap_ms),
        "duckdb_sql": _summary(duckdb_ms),
        "speedup_p50": _speedup(duckdb_ms, bitmap_ms, 50),
        "speedup_p99": _speedup(duckdb_ms, bitmap_ms, 99),
    }


def _check_agreement(expressions: Sequence[str], count: Callable[[str], int],
                     queries: Sequence[str], sql_count: Callable[[str], int]) -> None:
    for text, query in zip(expressions, queries, strict=True):
        indexed, reference = count(text), sql_count(query)
        if indexed != reference:
            raise RuntimeError(f"segment {text!r}: index counts {indexed}, SQL {reference}")


def _timings(run: Callable[[str], int], inputs: Sequence[str], repeats: int) -> np.ndarray:
    """Rows of (wall ms, CPU ms), one per run."""
    samples = []
    for _ in range(repeats):
        for item in inputs:
            wall, cpu = perf_counter(), process_time()
            run(item)
            samples.append(((perf_counter() - wall) * 1000, (process_time() - cpu) * 1000))
    return np.array(samples)


def _summary(samples: np.ndarray) -> dict[str, float]:
    wall, cpu = samples[:, 0], samples[:, 1]
    return {"p50_ms": round(float(np.percentile(wall, 50)), 3),
            "p99_ms": round(float(np.percentile(wall, 99)), 3),
            "max_ms": round(float(wall.max()), 3),
            "cpu_p50_ms": round(float(np.percentile(cpu, 50)), 3),
            "cpu_p99_ms": round(float(np.percentile(cpu, 99)), 3)}


def _speedup(slow: np.ndarray, fast: np.ndarray, percentile: int) -> float:
    return round(float(np.percentile(slow[:, 0], percentile)
                       / np.percentile(fast[:, 0], percentile)), 1)
