"""Suite ``ingest``: the Spark ingest and the DuckDB reference side by side on the same landing
files, each in its own process (wall time and peak RSS of its process tree).

Both start from empty outputs: the Spark ingest writes the bench root's lake, quarantine and
reconciliation (and its metastore), the reference writes under ``reference_ingest/``. Ratios
are Spark/DuckDB of seconds (above 1: Spark is slower). Both must reach the same accepted and
quarantined counts per source, since they run the same validation SQL.
"""

from __future__ import annotations

import shutil

from bench.context import BenchContext
from bench.harness import Measurement
from bench.report import Section
from bench.suites.generate import generation_record

AIM_CUSTOMERS = 1_000_000
AIM_SECONDS = 600
REFERENCE_FOLDER = "reference_ingest"


def _clear_outputs(context: BenchContext) -> None:
    paths = context.settings.paths
    for folder in (paths.lake, paths.quarantine, paths.reconciliation,
                   paths.spark_metastore.parent, context.root / REFERENCE_FOLDER):
        shutil.rmtree(folder, ignore_errors=True)


def _rate(rows: float, seconds: float) -> float:
    return rows / seconds if seconds else 0.0


def _disagreeing(spark: Measurement, duckdb: Measurement) -> list[str]:
    def counts(measured: Measurement) -> dict[str, tuple]:
        return {name: (s["rows_in"], s["accepted"], s["quarantined"])
                for name, s in measured.details["sources"].items()}

    spark_counts, duckdb_counts = counts(spark), counts(duckdb)
    return sorted(name for name in spark_counts.keys() | duckdb_counts.keys()
                  if spark_counts.get(name) != duckdb_counts.get(name))


def _per_source(spark: Measurement, duckdb: Measurement) -> Section:
    rows = []
    for source, figures in spark.details["sources"].items():
        rows_in, spark_s = figures["rows_in"], figures["seconds"]
        duckdb_s = duckdb.details["sources"][source]["seconds"]
        rows.append([source, rows_in, spark_s, _rate(rows_in, spark_s), duckdb_s,
                     _rate(rows_in, duckdb_s), spark_s / duckdb_s, figures["quarantined"]])
    spark_s, duckdb_s = spark.details["ingest_seconds"], duckdb.details["ingest_seconds"]
    rows.append(["**all sources**", spark.rows, spark_s, _rate(spark.rows, spark_s), duckdb_s,
                 _rate(duckdb.rows, duckdb_s), spark_s / duckdb_s,
                 sum(s["quarantined"] for s in spark.details["sources"].values())])
    disagreeing = _disagreeing(spark, duckdb)
    agreement = (f"**Rows in, accepted or quarantined differ between the engines for "
                 f"{', '.join(disagreeing)}.**" if disagreeing else
                 "Both engines read, accepted and quarantined the same rows per source.")
    return Section(
        title="Ingest per source: Spark vs DuckDB reference",
        aim="the Spark ingest's throughput per source beside the DuckDB reference doing the "
            "same reading, validation, tokenisation, quarantine and reconciliation.",
        columns=["source", "rows in", "Spark s", "Spark rows/s", "DuckDB s", "DuckDB rows/s",
                 "Spark/DuckDB", "quarantined"],
        rows=rows,
        notes=[agreement, "",
               "A source's seconds are the sum over its dates. The Spark ingest runs several "
               "sources of a date side by side, so its per-source seconds overlap and add up to "
               "more than its whole run (the last row); the reference runs one at a time."])


def _totals(context: BenchContext, spark: Measurement, duckdb: Measurement) -> Section:
    rows = []
    for engine, measured in (("Spark", spark), ("DuckDB", duckdb)):
        # DuckDB has no session to start: opening it is part of its first source's seconds.
        startup = measured.details.get("startup_seconds", "–")
        ingest_s = measured.details["ingest_seconds"]
        rows.append([engine, measured.rows, startup, ingest_s, measured.seconds,
                     _rate(measured.rows, ingest_s), measured.peak_rss_mb])
    rows.append(["Spark/DuckDB", "", "", rows[0][3] / rows[1][3], rows[0][4] / rows[1][4], "",
                 rows[0][6] / rows[1][6]])
    return Section(
        title="Ingest totals",
        aim=f"ingest of {AIM_CUSTOMERS:,} customers' data in under {AIM_SECONDS // 60} minutes "
            "on this machine.",
        columns=["engine", "rows", "start-up s", "ingest s", "process wall s", "rows/s",
                 "peak RSS MB"],
        rows=rows,
        notes=_projection(context, spark))


def _projection(context: BenchContext, spark: Measurement) -> list[str]:
    """The Spark ingest at the aim's size, from this run's throughput."""
    rows = spark.rows * AIM_CUSTOMERS / context.customers
    startup, ingest_s = spark.details["startup_seconds"], spark.details["ingest_seconds"]
    measured = _rate(spark.rows, ingest_s)
    projected = startup + rows / measured
    needed = rows / max(AIM_SECONDS - startup, 1.0)
    verdict = "meets" if projected <= AIM_SECONDS else "misses"
    return [
        f"Projection: {AIM_CUSTOMERS:,} customers × {context.days} days is about {rows:,.0f} "
        f"rows. At this run's {measured:,.0f} rows/s the Spark ingest would take about "
        f"{projected / 60:,.1f} minutes and {verdict} the aim, which needs {needed:,.0f} "
        f"rows/s ({needed / measured:,.1f}× this run's rate).", "",
        "The projection scales this whole run linearly: fixed costs per source and date "
        "(planning, code generation, metastore calls, small files) weigh more at this size "
        "than at the aim's, so it leans pessimistic; a run at the aim's scale measures it "
        "(the kept runs at the end of BENCHMARKS.md).",
    ]


def run(context: BenchContext) -> list[Section]:
    generation_record(context)
    _clear_outputs(context)
    dates = ["--start", context.start.isoformat(), "--end", context.end.isoformat()]
    spark = context.measure("ingest", "landing", "spark", "bench.cases.spark_ingest", dates)
    duckdb = context.measure(
        "ingest", "landing", "duckdb", "bench.cases.duckdb_ingest",
        ["--output", str(context.root / REFERENCE_FOLDER), *dates])
    return [_per_source(spark, duckdb), _totals(context, spark, duckdb)]
