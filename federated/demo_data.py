"""A small lake with the planted behaviours, for tests and the benchmark: generated landing
files → DuckDB reference ingest → Spark identity (the one JVM step) → DuckDB feature build
into ``lake.customer_features``. Partitions are then prepared from the ``lake`` source.

The DuckDB engines do the Spark jobs' work with the same SQL at a fraction of the start-up
cost; only identity resolution has no DuckDB twin.
"""

from __future__ import annotations

import datetime as dt
import time

import pyarrow.parquet as pq

from profilehub.contracts import CONTRACTS
from profilehub.duckdb_ingest import ingest_range as reference_ingest
from profilehub.generator import generate
from profilehub.settings import Settings
from spark.features import FEATURE_TABLE, build_features_duckdb

# Long enough for churners to fall silent and a drawdown day to show panic sellers.
DEMO_DAYS = 20


def build_demo_lake(settings: Settings, *, customers: int, seed: int, start: dt.date,
                    days: int = DEMO_DAYS, progress=print) -> dt.date:
    """Generate and build the lake up to the features of the last day; that day (the as_of)."""
    from spark.identity import build_identity
    from spark.ingest.tables import ensure_tables
    from spark.session import spark_session

    as_of = start + dt.timedelta(days=days - 1)
    started = time.perf_counter()
    generate(settings.paths, customers=customers, days=days, seed=seed, dirty_rate=0.0,
             start=start, progress=False)
    reference_ingest(settings, settings.paths.root, start=start, end=as_of)
    progress(f"generated and ingested in {time.perf_counter() - started:.0f} s")
    spark = spark_session(settings, "federated-demo-lake")
    try:
        # The reference ingest wrote the lake's files; the metastore learns their partitions.
        ensure_tables(spark, settings, list(CONTRACTS))
        build_identity(settings, as_of)
    finally:
        spark.stop()
    progress(f"identity resolved after {time.perf_counter() - started:.0f} s")
    features = build_features_duckdb(settings.paths.lake, as_of)
    folder = settings.paths.lake / FEATURE_TABLE / f"as_of={as_of.isoformat()}"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(features, folder / "part-0.parquet")
    progress(f"features of {as_of} after {time.perf_counter() - started:.0f} s")
    return as_of
