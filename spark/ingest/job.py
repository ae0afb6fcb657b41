"""The ingest job: landing files → validated, de-identified lake partitions, quarantine and
reconciliation, date by date and source by source.

Dates run in order (replays are found in earlier partitions, identities owned on earlier
dates); the sources of a date run side by side, each after the sources it references (the
product catalogue before holdings and transactions).
For each source and date the batch is read once, judged by ``profilehub.validation`` in one
Spark SQL query and persisted (tokens and redacted raw records only: raw PII is dropped before
any shuffle, cache or spill). Counting, the quarantine and the accepted rows come from that
persisted batch: three Spark jobs per source and date.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pyspark import StorageLevel
from pyspark.sql import functions as F

from profilehub.contracts import CONTRACTS, Contract, get_contract
from profilehub.dbt_sources import LAKE_SCHEMA, SOURCE_FILE_COLUMN, SOURCE_LINE_COLUMN
from profilehub.settings import Settings
from profilehub.validation import validation_query
from spark.ingest.reader import (
    REDACTION_COLUMNS,
    LandingBatch,
    batch_frame,
    landing_batch,
    one_split_per_file,
)
from spark.ingest.reconcile import Reconciliation, reconcile, write_reconciliation
from spark.ingest.redact import raw_record_sql
from spark.ingest.tables import (
    QUARANTINE_TABLE,
    ensure_tables,
    lake_table,
    partition_folder,
    partition_rows,
    partition_spec,
    register_partition,
    write_partition_files,
)
from spark.session import spark_session

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

APP_NAME = "profilehub-ingest"
# Sources of one date run side by side: much of a small source's time is driver work
# (planning, code generation, metastore calls) that overlaps well with another's tasks.
CONCURRENT_SOURCES = 3


class IngestError(RuntimeError):
    """A source and date that did not reconcile; ``result`` holds everything done so far."""

    def __init__(self, message: str, result: IngestResult) -> None:
        super().__init__(message)
        self.result = result


@dataclass
class IngestResult:
    reconciliations: list[Reconciliation] = field(default_factory=list)

    def summary(self) -> str:
        """A readable table: one line per source and date."""
        header = (f"{'source':<20} {'date':<10} {'rows in':>9} {'accepted':>9} "
                  f"{'quarantined':>11} {'rate':>7}  {'status':<6}  top rules")
        lines = [header, "-" * len(header)]
        for r in self.reconciliations:
            lines.append(f"{r.source:<20} {r.day.isoformat():<10} {r.rows_in:>9} "
                         f"{r.accepted:>9} {r.quarantined:>11} {r.quarantine_rate:>7.2%}  "
                         f"{r.status:<6}  {r.top_rules()}")
        if not self.reconciliations:
            lines.append("(no deliveries in the range)")
        return "\n".join(lines)


def log(message: str) -> None:
    print(f"[ingest {time.strftime('%H:%M:%S')}] {message}", flush=True)


def source_order(names: list[str] | None) -> list[Contract]:
    """The chosen sources, each after the sources it references (contract order otherwise)."""
    chosen = [get_contract(name) for name in names] if names else list(CONTRACTS)
    selected = {contract.name for contract in chosen}
    ordered: list[Contract] = []

    def visit(contract: Contract) -> None:
        if contract in ordered:
            return
        for column in contract.columns:
            if column.references and column.references[0] in selected:
                visit(get_contract(column.references[0]))
        ordered.append(contract)

    for contract in CONTRACTS:
        if contract.name in selected:
            visit(contract)
    return ordered


def _batch_view(contract: Contract) -> str:
    return f"_ingest_batch_{contract.name}"


def judge_batch(spark: SparkSession, settings: Settings, batch: LandingBatch) -> DataFrame:
    """The batch judged by the validation SQL, persisted (the caller unpersists it).

    Columns: ``_file``, ``_line``, the curated contract columns, ``_extra_columns``,
    ``_rule``, ``_detail`` and ``raw_record`` (rejected rows only).
    """
    view = _batch_view(batch.contract)
    batch_frame(spark, batch, settings.pii_hmac_key()).createOrReplaceTempView(view)
    query = validation_query(batch.contract, day=batch.day, ingest=settings.ingest,
                             dialect="spark", batch=view,
                             accepted=lambda source: f"{LAKE_SCHEMA}.{source}",
                             carry=REDACTION_COLUMNS)
    judged = spark.sql(query)
    columns = [f"`{name}`" for name in judged.columns if name not in REDACTION_COLUMNS]
    return judged.selectExpr(*columns, f"{raw_record_sql(batch.contract)} AS raw_record") \
        .persist(StorageLevel.MEMORY_AND_DISK)


@dataclass(frozen=True)
class _Figures:
    rule_counts: dict[str, int]
    accepted: int
    extra_columns: list[str]


class LineNumberingError(RuntimeError):
    """Spark's line numbers of a file disagree with the file: they cannot be trusted."""


def _check_line_numbers(batch: LandingBatch, records: Counter, last_line: dict[str, int]) -> None:
    for file in batch.files:
        seen, last = records.get(file.relative, 0), last_line.get(file.relative, 0)
        if seen != file.records or (file.records and last != file.lines):
            raise LineNumberingError(
                f"{file.relative}: Spark numbered {seen} records up to line {last}, the file "
                f"has {file.records} records on {file.lines} lines (was it split?)")


def _figures(judged: DataFrame, batch: LandingBatch) -> _Figures:
    """Counts by rule, after checking every file's lines arrived numbered 1..n exactly once."""
    rows = judged.groupBy("_file", "_rule").agg(
        F.count(F.lit(1)).alias("records"), F.max("_line").alias("last_line"),
        F.array_distinct(F.flatten(F.collect_set("_extra_columns"))).alias("extra")).collect()
    records: Counter = Counter()
    rules: Counter = Counter()
    last_line: dict[str, int] = {}
    for row in rows:
        records[row["_file"]] += row.records
        rules[row["_rule"]] += row.records
        last_line[row["_file"]] = max(last_line.get(row["_file"], 0), row.last_line)
    _check_line_numbers(batch, records, last_line)
    extra = {name for row in rows for name in row.extra or []}
    accepted = rules.pop(None, 0)
    return _Figures(dict(rules), accepted, sorted(extra))


def _write_outputs(settings: Settings, batch: LandingBatch, judged: DataFrame,
                   figures: _Figures) -> tuple[Path, Path]:
    """Quarantine first, then the accepted rows; returns both partition folders."""
    contract, day, paths = batch.contract, batch.day, settings.paths
    rejected = judged.where("_rule IS NOT NULL").selectExpr(
        "_file AS file", "_line AS line", "_rule AS rule", "_detail AS detail", "raw_record")
    quarantine = partition_folder(paths.quarantine, contract.name, day)
    write_partition_files(quarantine, rejected, sum(figures.rule_counts.values()), files=1)
    accepted = judged.where("_rule IS NULL").selectExpr(
        *[f"`{name}`" for name in contract.curated_columns],
        f"_file AS {SOURCE_FILE_COLUMN}", f"_line AS {SOURCE_LINE_COLUMN}")
    lake = partition_folder(paths.lake / contract.name, None, day)
    write_partition_files(lake, accepted, figures.accepted)
    return quarantine, lake


def ingest_day(spark: SparkSession, settings: Settings, contract: Contract,
               day: dt.date) -> Reconciliation | None:
    """Ingest one source's delivery for one date; None when nothing was delivered."""
    batch = landing_batch(settings.paths.landing, contract, day)
    if not batch.files:
        log(f"{contract.name} {day}: no delivery")
        return None
    started = time.perf_counter()
    log(f"{contract.name} {day}: reading {len(batch.files)} files, {batch.records} records")
    judged = judge_batch(spark, settings, batch)
    try:
        figures = _figures(judged, batch)
        log(f"{contract.name} {day}: validated, {figures.accepted} accepted, "
            f"{sum(figures.rule_counts.values())} quarantined")
        quarantine, lake = _write_outputs(settings, batch, judged, figures)
    finally:
        # Before the tables are refreshed: a cached plan reading them would be re-planned.
        judged.unpersist()
        spark.catalog.dropTempView(_batch_view(contract))
    register_partition(spark, QUARANTINE_TABLE, partition_spec(contract.name, day), quarantine)
    register_partition(spark, lake_table(contract), partition_spec(None, day), lake)
    result = reconcile(
        contract.name, day, rows_in=batch.records, accepted=partition_rows(lake),
        quarantined=partition_rows(quarantine), rule_counts=figures.rule_counts,
        extra_columns=figures.extra_columns,
        max_quarantine_rate=settings.ingest.max_quarantine_rate)
    write_reconciliation(spark, settings.paths.reconciliation, result)
    log(f"{contract.name} {day}: {result.status}, {result.figures()} "
        f"in {time.perf_counter() - started:.1f}s")
    return result


def _after(dependencies: list[Future], contract: Contract, *args) -> Reconciliation | None:
    for dependency in dependencies:
        dependency.result()  # a referenced source that raised stops what depends on it
    return ingest_day(args[0], args[1], contract, args[2])


def _ingest_date(spark: SparkSession, settings: Settings, contracts: list[Contract],
                 day: dt.date) -> list[Reconciliation]:
    """Every source of one date, side by side, each after the sources it references."""
    with ThreadPoolExecutor(CONCURRENT_SOURCES, thread_name_prefix="ingest") as pool:
        running: dict[str, Future] = {}
        for contract in contracts:
            referenced = {c.references[0] for c in contract.columns if c.references}
            dependencies = [running[name] for name in sorted(referenced) if name in running]
            running[contract.name] = pool.submit(_after, dependencies, contract, spark,
                                                 settings, day)
        results = [running[contract.name].result() for contract in contracts]
    return [result for result in results if result is not None]


def _ingest_dates(spark: SparkSession, settings: Settings, contracts: list[Contract],
                  start: dt.date, end: dt.date, result: IngestResult) -> None:
    ensure_tables(spark, settings, list(CONTRACTS))
    for offset in range((end - start).days + 1):
        day = start + dt.timedelta(days=offset)
        reconciliations = _ingest_date(spark, settings, contracts, day)
        result.reconciliations += reconciliations
        failed = [r for r in reconciliations if r.problems]
        if failed:
            raise IngestError("; ".join(
                f"ingest of {r.source} for {r.day} failed: {'; '.join(r.problems)} "
                f"({r.figures()})" for r in failed), result)


def ingest_range(settings: Settings, *, start: dt.date, end: dt.date,
                 sources: list[str] | None, spark: SparkSession | None = None) -> IngestResult:
    """Ingest every delivered source for each date from ``start`` to ``end`` (inclusive).

    Raises :class:`IngestError` after the first date with a source that does not reconcile,
    once that date's quarantine, accepted rows and reconciliation rows are written. ``spark`` lets a
    caller lend its running session; otherwise one is started and stopped here.
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    contracts = source_order(sources)
    session = spark or spark_session(settings, APP_NAME)
    result = IngestResult()
    try:
        with one_split_per_file(session):
            _ingest_dates(session, settings, contracts, start, end, result)
    finally:
        if spark is None:
            session.stop()
    return result
