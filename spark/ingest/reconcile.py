"""Reconciliation: per source and date, rows in = accepted + quarantined, and a rate limit.

``rows_in`` is counted on the landing files' bytes (data lines, headers excluded); ``accepted``
and ``quarantined`` are read back from the Parquet footers of the partitions just written. So a
row lost or doubled anywhere in between shows up here, not in a dashboard weeks later.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from spark.ingest.tables import (
    RECONCILIATION_COLUMNS,
    RECONCILIATION_TABLE,
    partition_folder,
    partition_spec,
)

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

OK = "ok"
FAILED = "failed"


@dataclass(frozen=True)
class Reconciliation:
    source: str
    day: dt.date
    rows_in: int
    accepted: int
    quarantined: int
    rule_counts: dict[str, int] = field(default_factory=dict)
    extra_columns: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def quarantine_rate(self) -> float:
        return self.quarantined / self.rows_in if self.rows_in else 0.0

    @property
    def status(self) -> str:
        return FAILED if self.problems else OK

    def top_rules(self, count: int = 3) -> str:
        ranked = sorted(self.rule_counts.items(), key=lambda item: (-item[1], item[0]))
        return ", ".join(f"{rule} {n}" for rule, n in ranked[:count])

    def figures(self) -> str:
        return (f"rows in {self.rows_in}, accepted {self.accepted}, quarantined "
                f"{self.quarantined} ({self.quarantine_rate:.2%})"
                + (f", top rules: {self.top_rules()}" if self.rule_counts else ""))

    def as_row(self) -> tuple:
        return (self.source, self.rows_in, self.accepted, self.quarantined,
                self.quarantine_rate, dict(self.rule_counts), list(self.extra_columns),
                self.status)


def reconcile(source: str, day: dt.date, *, rows_in: int, accepted: int, quarantined: int,
              rule_counts: dict[str, int], extra_columns: list[str],
              max_quarantine_rate: float) -> Reconciliation:
    """The figures of one source and date, with every way they fail to add up."""
    problems = []
    if rows_in != accepted + quarantined:
        problems.append(f"rows in {rows_in} != accepted {accepted} + quarantined {quarantined}")
    rate = quarantined / rows_in if rows_in else 0.0
    if rate > max_quarantine_rate:
        problems.append(f"quarantine rate {rate:.2%} exceeds the limit "
                        f"{max_quarantine_rate:.2%}")
    return Reconciliation(source, day, rows_in, accepted, quarantined, dict(rule_counts),
                          tuple(sorted(extra_columns)), tuple(problems))


_ARROW_TYPES = {"STRING": pa.string(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(),
                "MAP<STRING,BIGINT>": pa.map_(pa.string(), pa.int64()),
                "ARRAY<STRING>": pa.list_(pa.string())}
ARROW_SCHEMA = pa.schema([(name, _ARROW_TYPES[kind]) for name, kind in RECONCILIATION_COLUMNS])
_FILE_NAME = "part-00000.parquet"
# Sources of one date finish concurrently and share the date's file.
_FILE_LOCK = threading.Lock()


def read_reconciliations(folder: Path) -> list[dict]:
    """Rows of one date's reconciliation partition, as plain dicts."""
    rows = []
    for path in sorted(folder.glob("*.parquet")):
        for row in pq.read_table(path, schema=ARROW_SCHEMA).to_pylist():
            rows.append({**row, "rule_counts": dict(row["rule_counts"] or [])})
    return rows


def write_reconciliation(spark: SparkSession, table_folder: Path,
                         reconciliation: Reconciliation) -> None:
    """Replace this source's row in the date's partition, keeping the other sources' rows.

    A handful of rows per date: written with pyarrow in one file, swapped in atomically, which
    saves a Spark job per source and date.
    """
    with _FILE_LOCK:
        replace_reconciliation_row(table_folder, reconciliation)
    spark.sql(f"ALTER TABLE {RECONCILIATION_TABLE} ADD IF NOT EXISTS PARTITION "
              f"({partition_spec(None, reconciliation.day)})")
    spark.catalog.refreshTable(RECONCILIATION_TABLE)


def replace_reconciliation_row(table_folder: Path, reconciliation: Reconciliation) -> None:
    """Replace the source's row in its date's one-file partition (the DuckDB reference ingest
    writes the same table), swapped in atomically."""
    folder = partition_folder(table_folder, None, reconciliation.day)
    rows = [row for row in read_reconciliations(folder) if row["source"] != reconciliation.source]
    names = [name for name, _ in RECONCILIATION_COLUMNS]
    rows.append(dict(zip(names, reconciliation.as_row(), strict=True)))
    rows.sort(key=lambda row: row["source"])
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f".{_FILE_NAME}.tmp"
    pq.write_table(pa.Table.from_pylist(rows, schema=ARROW_SCHEMA), staging, compression="snappy")
    for stale in folder.glob("*.parquet"):
        if stale.name != _FILE_NAME:
            stale.unlink()
    staging.replace(folder / _FILE_NAME)
