"""``build_features``: the feature table of one as_of on Spark, written to the lake.

Runs :func:`spark.features.plan.run_plan` on the ingest's and identity's metastore tables and
replaces the ``as_of`` partition of ``lake.customer_features`` (dynamic partition overwrite), so
a rebuild of a past date rewrites that date alone, from the rows that date could see.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from profilehub.catalog import load_features
from profilehub.dbt_sources import LAKE_SCHEMA
from profilehub.settings import Settings
from spark.features.plan import (
    CUSTOMER_KEY,
    FEATURE_TABLE,
    IDENTITY_INPUTS,
    InputTable,
    null_counts_sql,
    null_share_by_group,
    run_plan,
)
from spark.identity.tables import AS_OF, CUSTOMER_ACCOUNTS
from spark.session import spark_session

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

APP_NAME = "profilehub-features"
QUALIFIED_TABLE = f"{LAKE_SCHEMA}.{FEATURE_TABLE}"


class FeatureTableMismatch(RuntimeError):
    """``lake.customer_features`` exists with columns other than the spec's."""


@dataclass(frozen=True)
class FeatureResult:
    as_of: dt.date
    rows: int
    # Seconds per stage: inputs, shared, each group, assemble, write.
    seconds: dict[str, float]
    # Share of NULL cells among each group's feature columns.
    null_share: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())

    def summary(self) -> str:
        lines = [f"{QUALIFIED_TABLE} as of {self.as_of}: {self.rows} customers, "
                 f"{len(load_features())} features, {self.total_seconds:.1f}s",
                 f"{'stage':<14}{'seconds':>9}{'null share':>12}"]
        for stage, seconds in self.seconds.items():
            share = self.null_share.get(stage)
            shown = f"{share:>12.1%}" if share is not None else ""
            lines.append(f"{stage:<14}{seconds:>9.1f}{shown}")
        return "\n".join(lines)


def table_columns() -> list[tuple[str, str]]:
    """(column, Spark SQL type) of the feature table, partition column last."""
    key_type = dict(CUSTOMER_ACCOUNTS.columns)[CUSTOMER_KEY]
    return [(CUSTOMER_KEY, key_type), *((f.name, f.sql_type) for f in load_features()),
            (AS_OF, "DATE")]


class SparkEngine:
    dialect = "spark"

    def __init__(self, spark: SparkSession) -> None:
        self.spark = spark
        self.views: list[str] = []

    def input_sql(self, table: InputTable) -> str:
        if self.spark.catalog.tableExists(table.qualified_name):
            return table.select_sql(table.qualified_name, lambda name, _type: name)
        if table in IDENTITY_INPUTS:
            raise FileNotFoundError(f"{table.qualified_name} does not exist: run identity "
                                    "resolution before the feature build")
        print(f"features: {table.qualified_name} does not exist yet; read as empty", flush=True)
        return table.empty_sql()

    def view(self, name: str, sql: str) -> None:
        self.spark.sql(sql).createOrReplaceTempView(name)
        self.views.append(name)

    def materialize(self, name: str, sql: str) -> None:
        # A local checkpoint, not a cache: the view then starts from its computed rows, so the
        # plans of later views stay small. With cached views every later query would carry the
        # whole lineage back to the lake tables and spend minutes planning and matching it.
        self.spark.sql(sql).localCheckpoint(eager=True).createOrReplaceTempView(name)
        self.views.append(name)

    def count(self, name: str) -> int:
        return self.spark.table(name).count()

    def release(self) -> None:
        for name in self.views:
            self.spark.catalog.dropTempView(name)


def ensure_table(spark: SparkSession, settings: Settings) -> None:
    """Create ``lake.customer_features`` when absent; refuse one built for another spec."""
    if not spark.catalog.databaseExists(LAKE_SCHEMA):
        spark.sql(f"CREATE DATABASE {LAKE_SCHEMA} LOCATION '{settings.paths.lake}'")
    columns = table_columns()
    spark.sql(
        f"CREATE TABLE IF NOT EXISTS {QUALIFIED_TABLE} ("
        + ", ".join(f"`{name}` {sql_type}" for name, sql_type in columns)
        + f") USING parquet PARTITIONED BY ({AS_OF}) "
        f"LOCATION '{settings.paths.lake / FEATURE_TABLE}'")
    existing = [(f.name, f.dataType.simpleString().upper())
                for f in spark.table(QUALIFIED_TABLE).schema.fields]
    if existing != [(name, sql_type.upper()) for name, sql_type in columns]:
        raise FeatureTableMismatch(
            f"{QUALIFIED_TABLE} has other columns than features.yml declares; it was built "
            f"for another version of the spec: drop it and rebuild the dates you need")


def build_features(settings: Settings, as_of: dt.date) -> FeatureResult:
    """Compute every feature for ``as_of`` and replace that partition of the feature table."""
    spark = spark_session(settings, APP_NAME)
    ensure_table(spark, settings)
    engine = SparkEngine(spark)
    try:
        seconds = run_plan(engine, as_of, progress=lambda line: print(line, flush=True))
        started = time.perf_counter()
        (spark.table(FEATURE_TABLE).write
         .option("partitionOverwriteMode", "dynamic")
         .insertInto(QUALIFIED_TABLE, overwrite=True))
        seconds["write"] = time.perf_counter() - started
        print(f"features {as_of}: {'write':<14}{'':14} {seconds['write']:7.1f}s", flush=True)
        counts = spark.sql(null_counts_sql(FEATURE_TABLE)).first().asDict()
    finally:
        engine.release()
    rows = counts.pop("row_count")
    return FeatureResult(as_of, rows, seconds, null_share_by_group(rows, counts))
