"""The metastore tables the ingest writes, and how a partition is replaced.

- ``lake.<source>``: accepted rows, Parquet under ``paths.lake/<source>/dt=YYYY-MM-DD/``:
  curated contract columns (PII as ``<name>_token``), ``_source_file``, ``_source_line``, ``dt``.
- ``lake.quarantine``: rejected rows under ``paths.quarantine/source=<source>/dt=…/``.
- ``lake.reconciliation``: one row per source and date under ``paths.reconciliation/dt=…/``.

All are external tables over folders of the data root, so dropping the metastore loses no data:
a table created over an existing folder recovers its partitions. A rerun replaces exactly the
partitions of its source and dates (:func:`write_date_partitions`, then
:func:`register_partitions`); a partition left with no rows is removed, so no reader meets a
stale folder.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from profilehub.contracts import Contract
from profilehub.dbt_sources import (
    LAKE_SCHEMA,
    PARTITION_COLUMN,
    SOURCE_FILE_COLUMN,
    SOURCE_LINE_COLUMN,
)
from profilehub.settings import Settings
from profilehub.validation import SQL_TYPES, get_dialect

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

SPARK = get_dialect("spark")
QUARANTINE_TABLE = f"{LAKE_SCHEMA}.quarantine"
RECONCILIATION_TABLE = f"{LAKE_SCHEMA}.reconciliation"
QUARANTINE_COLUMNS = (("file", "STRING"), ("line", "BIGINT"), ("rule", "STRING"),
                      ("detail", "STRING"), ("raw_record", "STRING"))
RECONCILIATION_COLUMNS = (
    ("source", "STRING"), ("rows_in", "BIGINT"), ("accepted", "BIGINT"),
    ("quarantined", "BIGINT"), ("quarantine_rate", "DOUBLE"),
    ("rule_counts", "MAP<STRING,BIGINT>"), ("extra_columns", "ARRAY<STRING>"),
    ("status", "STRING"),
)


class TableMismatch(RuntimeError):
    """An existing metastore table does not have the layout or location the ingest writes."""


def lake_table(contract: Contract) -> str:
    return f"{LAKE_SCHEMA}.{contract.name}"


def lake_columns(contract: Contract) -> tuple[tuple[str, str], ...]:
    """(name, Spark type) of a lake table, without the ``dt`` partition column."""
    curated = tuple((c.curated_name, "STRING" if c.pii else SQL_TYPES[c.type])
                    for c in contract.columns)
    return (*curated, (SOURCE_FILE_COLUMN, "STRING"), (SOURCE_LINE_COLUMN, "BIGINT"))


def _table_specs(settings: Settings, contracts: list[Contract]):
    paths = settings.paths
    for contract in contracts:
        yield (lake_table(contract), lake_columns(contract), [PARTITION_COLUMN],
               paths.lake / contract.name)
    yield QUARANTINE_TABLE, QUARANTINE_COLUMNS, ["source", PARTITION_COLUMN], paths.quarantine
    yield RECONCILIATION_TABLE, RECONCILIATION_COLUMNS, [PARTITION_COLUMN], paths.reconciliation


def _partition_ddl(name: str) -> str:
    return f"{SPARK.name_of(name)} {'DATE' if name == PARTITION_COLUMN else 'STRING'}"


def _location(spark: SparkSession, table: str) -> str:
    rows = spark.sql(f"DESCRIBE TABLE EXTENDED {table}").collect()
    return next((row.data_type for row in rows if row.col_name == "Location"), "")


def _check_existing(spark: SparkSession, table: str, columns, partitions, folder: Path) -> None:
    expected = [(name, kind.lower()) for name, kind in columns]
    expected += [(name, "date" if name == PARTITION_COLUMN else "string") for name in partitions]
    found = [(field.name, field.dataType.simpleString())
             for field in spark.table(table).schema.fields]
    if found != expected:
        raise TableMismatch(f"{table} has columns {found}, the ingest writes {expected}: drop "
                            f"the table definition (the data stays) and rerun")
    location = _location(spark, table).removeprefix("file:").rstrip("/")
    if location != str(folder):
        raise TableMismatch(f"{table} points at {location}, these settings write to {folder}")


def ensure_tables(spark: SparkSession, settings: Settings, contracts: list[Contract]) -> None:
    """Create the lake, quarantine and reconciliation tables that do not exist yet."""
    spark.sql(f"CREATE DATABASE IF NOT EXISTS {LAKE_SCHEMA}")
    for table, columns, partitions, folder in _table_specs(settings, contracts):
        if spark.catalog.tableExists(table):
            _check_existing(spark, table, columns, partitions, folder)
            continue
        folder.mkdir(parents=True, exist_ok=True)
        listed = ", ".join(f"{SPARK.name_of(name)} {kind}" for name, kind in columns)
        partition_columns = ", ".join(_partition_ddl(name) for name in partitions)
        spark.sql(f"CREATE TABLE {table} ({listed}, {partition_columns}) USING parquet "
                  f"PARTITIONED BY ({', '.join(partitions)}) LOCATION '{folder}'")
        spark.sql(f"ALTER TABLE {table} RECOVER PARTITIONS")


def partition_spec(source: str | None, day: dt.date) -> str:
    spec = [f"{PARTITION_COLUMN} = DATE '{day.isoformat()}'"]
    if source is not None:
        spec.insert(0, f"source = {SPARK.literal(source)}")
    return ", ".join(spec)


def partition_folder(table_folder: Path, source: str | None, day: dt.date) -> Path:
    """Where a partition's files live (Hive layout: ``[source=<source>/]dt=YYYY-MM-DD``)."""
    folder = table_folder / f"source={source}" if source is not None else table_folder
    return folder / f"{PARTITION_COLUMN}={day.isoformat()}"


def write_partition_files(folder: Path, rows: DataFrame, row_count: int,
                          files: int | None = None) -> None:
    """Make a partition folder hold exactly ``rows`` (or not exist when there are none).

    Writing the folder, not ``INSERT OVERWRITE`` on the table, works when ``rows`` was computed
    from other partitions of the same table (replays, identities) and touches no other
    partition. ``files`` caps the number of files of a small partition.
    """
    if row_count:
        (rows.coalesce(files) if files else rows).write.mode("overwrite").parquet(str(folder))
    else:
        shutil.rmtree(folder, ignore_errors=True)


# Rows per Parquet file of a date partition: one file per date at demo scale, a few at 1M.
MAX_ROWS_PER_FILE = 2_000_000
# Rows one write task takes on: fewer rows are written by one task (one file per date), more
# by several side by side.
ROWS_PER_WRITE_TASK = 500_000


def write_date_partitions(table_folder: Path, rows: DataFrame,
                          row_counts: dict[dt.date, int]) -> None:
    """Make each ``dt=`` partition of ``row_counts`` hold exactly its ``rows`` (by the
    ``dt`` column), in one Spark job; a date with no rows loses its partition folder.

    The job writes beside the table, then each date's folder replaces the old one: no other
    date is touched, and rows computed from the table's own partitions (replays,
    identities) are read before anything is replaced.
    """
    staging = table_folder / f"_staging-{uuid.uuid4().hex}"
    total = sum(row_counts.values())
    if total:
        # Merged partitions, not a shuffle by date: the rows come from a cached batch, and a
        # shuffle would leave each date's writing to a single task.
        tasks = min(rows.rdd.getNumPartitions(), -(-total // ROWS_PER_WRITE_TASK))
        (rows.coalesce(tasks).write.partitionBy(PARTITION_COLUMN)
         .option("maxRecordsPerFile", MAX_ROWS_PER_FILE).parquet(str(staging)))
    try:
        for day in row_counts:
            folder = partition_folder(table_folder, None, day)
            shutil.rmtree(folder, ignore_errors=True)
            written = partition_folder(staging, None, day)
            if written.is_dir():
                written.rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def register_partitions(spark: SparkSession, table: str,
                        partitions: list[tuple[str, Path]]) -> None:
    """Tell the metastore which of these (spec, folder) partitions exist, then refresh."""
    kept = [spec for spec, folder in partitions if folder.is_dir()]
    dropped = [spec for spec, folder in partitions if not folder.is_dir()]
    if kept:
        spark.sql(f"ALTER TABLE {table} ADD IF NOT EXISTS "
                  + " ".join(f"PARTITION ({spec})" for spec in kept))
    if dropped:
        spark.sql(f"ALTER TABLE {table} DROP IF EXISTS "
                  + ", ".join(f"PARTITION ({spec})" for spec in dropped))
    spark.catalog.refreshTable(table)


def register_partition(spark: SparkSession, table: str, spec: str, folder: Path) -> None:
    """Tell the metastore whether the partition exists, and readers to look again."""
    if folder.is_dir():
        spark.sql(f"ALTER TABLE {table} ADD IF NOT EXISTS PARTITION ({spec})")
    else:
        spark.sql(f"ALTER TABLE {table} DROP IF EXISTS PARTITION ({spec})")
    spark.catalog.refreshTable(table)


def partition_rows(folder: Path) -> int:
    """Rows a partition holds on disk now, from the Parquet footers (an independent count)."""
    import pyarrow.parquet as pq

    return sum(pq.read_metadata(path).num_rows for path in sorted(folder.glob("*.parquet")))
