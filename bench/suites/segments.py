"""Suite ``segments``: segment counts on the roaring-bitmap index beside DuckDB SQL over the
same long tag table (synthetic, one row per customer and tag, at the bench's customer count).
Both engines must return identical counts or the case fails."""

from __future__ import annotations

from bench.context import BYTES_PER_MB, BenchContext
from bench.report import Section

ENGINES = (("bitmap index", "bitmap_index"), ("DuckDB SQL", "duckdb_sql"))
AIM_CUSTOMERS, AIM_P99_MS, AIM_RATIO = 1_000_000, 5.0, 20.0


def run(context: BenchContext) -> list[Section]:
    measured = context.measure("segments", "counts", "both", "bench.cases.segments",
                               ["--customers", str(context.customers)])
    figures = measured.details
    timings = {label: figures[key] for label, key in ENGINES}
    statistics = list(timings["bitmap index"])
    rows = [[label, *(values[name] for name in statistics)] for label, values in timings.items()]
    rows.append(["DuckDB/bitmap", *(timings["DuckDB SQL"][name] / timings["bitmap index"][name]
                                    for name in statistics)])
    index_mb = figures["index_bytes"] / BYTES_PER_MB
    return [Section(
        title="Segment counts: bitmap index vs DuckDB SQL",
        aim=f"three-tag segment counts over {AIM_CUSTOMERS:,} customers with p99 under "
            f"{AIM_P99_MS:g} ms and at least {AIM_RATIO:g}x faster than the DuckDB SQL reference "
            "over the same long tag table, with identical counts.",
        columns=["engine", *(name.replace("_ms", " ms").replace("_", " ") for name in statistics)],
        rows=rows,
        notes=[f"{figures['customers']:,} customers, {figures['tags']} tags, "
               f"{figures['tag_rows']:,} tag rows; {figures['expressions']} three-tag segments "
               f"× {figures['repeats']} repeats per engine. Index built in "
               f"{figures['index_build_seconds']:.2f} s, {index_mb:.1f} MB on disk; peak RSS of "
               f"the case {measured.peak_rss_mb:,.0f} MB.",
               _verdict(figures["customers"], timings)])]


def _verdict(customers: int, timings: dict[str, dict[str, float]]) -> str:
    p99 = timings["bitmap index"]["p99_ms"]
    ratio = timings["DuckDB SQL"]["p99_ms"] / p99
    met = p99 < AIM_P99_MS and ratio >= AIM_RATIO
    scale = "" if customers >= AIM_CUSTOMERS else f" (measured at {customers:,} customers)"
    return (f"Bitmap p99 {p99:.2f} ms, {ratio:.0f}x the SQL reference at p99: aim "
            f"{'met' if met else 'not met'}{scale}.")
