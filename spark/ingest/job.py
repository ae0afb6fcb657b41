"""The ingest job: landing files → validated, de-identified lake partitions, quarantine and
reconciliation, for a range of dates, one pass per source.

A range is cut into batches of consecutive dates whose landing files stay within
``ingest.batch_bytes`` per source, taken in order (replays are found in earlier partitions,
identities owned on earlier dates). Within a batch each source is
read once over all its dates and judged by ``profilehub.validation`` in one Spark SQL query, as
the dates one by one would judge it; the sources run side by side, each after the sources it
references (the product catalogue before holdings and transactions). The judged batch is
persisted (tokens and redacted raw records only: raw PII is dropped before any shuffle, cache
or spill); counting, the quarantine and the accepted rows come from it, each written into its
date's partition: three Spark jobs per source and batch, however many dates it holds.
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
from profilehub.dbt_sources import (
    LAKE_SCHEMA,
    PARTITION_COLUMN,
    SOURCE_FILE_COLUMN,
    SOURCE_LINE_COLUMN,
)
from profilehub.landing import list_partition_files
from profilehub.settings import Settings
from profilehub.validation import DELIVERY_DATE, DeliveryDates, validation_query
from spark.ingest.reader import (
    ONE_SPLIT_PER_FILE,
    REDACTION_COLUMNS,
    LandingBatch,
    batch_frame,
    landing_batch,
    session_settings,
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
    register_partitions,
    write_date_partitions,
)
from spark.session import spark_session

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

APP_NAME = "profilehub-ingest"
# Sources of one date run side by side: much of a small source's time is driver work
# (planning, code generation, metastore calls) that overlaps well with another's tasks.
CONCURRENT_SOURCES = 3
# The judged batch is cached for three passes, then dropped: compressing the cache would spend
# about a tenth of the ingest's CPU gathering dictionary and run-length statistics for it.
UNCOMPRESSED_CACHE = {"spark.sql.inMemoryColumnarStorage.compressed": "false"}


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

    Columns: ``_file``, ``_line``, ``_delivery_date``, the curated contract columns,
    ``_extra_columns``, ``_rule``, ``_detail`` and ``raw_record`` (rejected rows only).
    """
    view = _batch_view(batch.contract)
    batch_frame(spark, batch, settings.pii_hmac_key()).createOrReplaceTempView(view)
    query = validation_query(batch.contract, days=batch.dates, ingest=settings.ingest,
                             dialect="spark", batch=view,
                             accepted=lambda source: f"{LAKE_SCHEMA}.{source}",
                             carry=REDACTION_COLUMNS)
    judged = spark.sql(query)
    columns = [f"`{name}`" for name in judged.columns if name not in REDACTION_COLUMNS]
    return judged.selectExpr(*columns, f"{raw_record_sql(batch.contract)} AS raw_record") \
        .persist(StorageLevel.MEMORY_AND_DISK)


@dataclass(frozen=True)
class _Figures:
    """What one delivery date of a batch came to."""

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


def _figures(judged: DataFrame, batch: LandingBatch) -> dict[dt.date, _Figures]:
    """Counts by date and rule, after checking every file's lines arrived numbered 1..n
    exactly once."""
    rows = judged.groupBy(DELIVERY_DATE, "_file", "_rule").agg(
        F.count(F.lit(1)).alias("records"), F.max("_line").alias("last_line"),
        F.array_distinct(F.flatten(F.collect_set("_extra_columns"))).alias("extra")).collect()
    records: Counter = Counter()
    last_line: dict[str, int] = {}
    rules: dict[dt.date, Counter] = {day: Counter() for day in batch.delivered_days()}
    extra: dict[dt.date, set[str]] = {day: set() for day in batch.delivered_days()}
    for row in rows:
        records[row["_file"]] += row.records
        last_line[row["_file"]] = max(last_line.get(row["_file"], 0), row.last_line)
        rules[row[DELIVERY_DATE]][row["_rule"]] += row.records
        extra[row[DELIVERY_DATE]].update(row.extra or [])
    _check_line_numbers(batch, records, last_line)
    return {day: _Figures({rule: n for rule, n in counts.items() if rule is not None},
                          counts[None], sorted(extra[day]))
            for day, counts in rules.items()}


def _write_outputs(settings: Settings, batch: LandingBatch, judged: DataFrame,
                   figures: dict[dt.date, _Figures]) -> None:
    """Quarantine first, then the accepted rows, each date into its own partition."""
    contract, paths = batch.contract, settings.paths
    rejected = judged.where("_rule IS NOT NULL").selectExpr(
        "_file AS file", "_line AS line", "_rule AS rule", "_detail AS detail", "raw_record",
        f"{DELIVERY_DATE} AS {PARTITION_COLUMN}")
    quarantined = {day: sum(f.rule_counts.values()) for day, f in figures.items()}
    write_date_partitions(paths.quarantine / f"source={contract.name}", rejected, quarantined)
    accepted = judged.where("_rule IS NULL").selectExpr(
        *[f"`{name}`" for name in contract.curated_columns],
        f"_file AS {SOURCE_FILE_COLUMN}", f"_line AS {SOURCE_LINE_COLUMN}",
        f"{DELIVERY_DATE} AS {PARTITION_COLUMN}")
    write_date_partitions(paths.lake / contract.name, accepted,
                          {day: f.accepted for day, f in figures.items()})


def _register(spark: SparkSession, contract: Contract, settings: Settings,
              days: list[dt.date]) -> None:
    paths = settings.paths
    register_partitions(spark, QUARANTINE_TABLE, [
        (partition_spec(contract.name, day), partition_folder(paths.quarantine, contract.name,
                                                              day)) for day in days])
    register_partitions(spark, lake_table(contract), [
        (partition_spec(None, day), partition_folder(paths.lake / contract.name, None, day))
        for day in days])


def _reconcile(spark: SparkSession, settings: Settings, contract: Contract,
               batch: LandingBatch, figures: dict[dt.date, _Figures]) -> list[Reconciliation]:
    """Per date: the files' records against what the written partitions hold."""
    paths, results = settings.paths, []
    for day, figure in sorted(figures.items()):
        result = reconcile(
            contract.name, day, rows_in=batch.records_on(day),
            accepted=partition_rows(partition_folder(paths.lake / contract.name, None, day)),
            quarantined=partition_rows(partition_folder(paths.quarantine, contract.name, day)),
            rule_counts=figure.rule_counts, extra_columns=figure.extra_columns,
            max_quarantine_rate=settings.ingest.max_quarantine_rate)
        write_reconciliation(spark, paths.reconciliation, result)
        log(f"{contract.name} {day}: {result.status}, {result.figures()}")
        results.append(result)
    return results


def ingest_source(spark: SparkSession, settings: Settings, contract: Contract,
                  dates: DeliveryDates) -> list[Reconciliation]:
    """Ingest one source's deliveries over ``dates`` in one pass; one reconciliation per date
    delivered (none when nothing was)."""
    batch = landing_batch(settings.paths.landing, contract, dates.first, dates.last)
    if not batch.files:
        log(f"{contract.name} {dates.first}..{dates.last}: no delivery")
        return []
    started = time.perf_counter()
    log(f"{contract.name} {dates.first}..{dates.last}: reading {len(batch.files)} files "
        f"of {len(batch.delivered_days())} dates, {batch.records} records")
    judged = judge_batch(spark, settings, batch)
    try:
        figures = _figures(judged, batch)
        log(f"{contract.name}: validated, {sum(f.accepted for f in figures.values())} "
            f"accepted, {sum(sum(f.rule_counts.values()) for f in figures.values())} "
            f"quarantined")
        _write_outputs(settings, batch, judged, figures)
    finally:
        # Before the tables are refreshed: a cached plan reading them would be re-planned.
        judged.unpersist()
        spark.catalog.dropTempView(_batch_view(contract))
    _register(spark, contract, settings, sorted(figures))
    results = _reconcile(spark, settings, contract, batch, figures)
    log(f"{contract.name} {dates.first}..{dates.last}: done in "
        f"{time.perf_counter() - started:.1f}s")
    return results


def _after(dependencies: list[Future], contract: Contract, *args) -> list[Reconciliation]:
    for dependency in dependencies:
        dependency.result()  # a referenced source that raised stops what depends on it
    return ingest_source(args[0], args[1], contract, args[2])


def _ingest_batch(spark: SparkSession, settings: Settings, contracts: list[Contract],
                  dates: DeliveryDates) -> list[Reconciliation]:
    """Every source over ``dates``, side by side, each after the sources it references."""
    with ThreadPoolExecutor(CONCURRENT_SOURCES, thread_name_prefix="ingest") as pool:
        running: dict[str, Future] = {}
        for contract in contracts:
            referenced = {c.references[0] for c in contract.columns if c.references}
            dependencies = [running[name] for name in sorted(referenced) if name in running]
            running[contract.name] = pool.submit(_after, dependencies, contract, spark,
                                                 settings, dates)
        return [r for contract in contracts for r in running[contract.name].result()]


def batches(landing_root: Path, contracts: list[Contract], start: dt.date, end: dt.date,
            max_bytes: int) -> list[DeliveryDates]:
    """``start``..``end`` cut into consecutive batches in which no source's landing files add
    up to more than ``max_bytes`` (a date that alone passes the budget is a batch of its own)."""
    cut, totals, day = [start], dict.fromkeys((c.name for c in contracts), 0), start
    while day <= end:
        sizes = {c.name: sum(f.stat().st_size for f in list_partition_files(landing_root, c, day))
                 for c in contracts}
        if day > cut[-1] and any(totals[name] + size > max_bytes for name, size in sizes.items()):
            cut.append(day)
            totals = dict.fromkeys(totals, 0)
        totals = {name: totals[name] + size for name, size in sizes.items()}
        day += dt.timedelta(days=1)
    ends = [first - dt.timedelta(days=1) for first in cut[1:]] + [end]
    return [DeliveryDates(first, last) for first, last in zip(cut, ends, strict=True)]


def _ingest_dates(spark: SparkSession, settings: Settings, contracts: list[Contract],
                  start: dt.date, end: dt.date, result: IngestResult) -> None:
    ensure_tables(spark, settings, list(CONTRACTS))
    for dates in batches(settings.paths.landing, contracts, start, end,
                         settings.ingest.batch_bytes):
        reconciliations = _ingest_batch(spark, settings, contracts, dates)
        result.reconciliations += sorted(reconciliations, key=lambda r: (r.day, r.source))
        failed = [r for r in reconciliations if r.problems]
        if failed:
            raise IngestError("; ".join(
                f"ingest of {r.source} for {r.day} failed: {'; '.join(r.problems)} "
                f"({r.figures()})" for r in failed), result)


def ingest_range(settings: Settings, *, start: dt.date, end: dt.date,
                 sources: list[str] | None, spark: SparkSession | None = None) -> IngestResult:
    """Ingest every delivered source for each date from ``start`` to ``end`` (inclusive).

    Raises :class:`IngestError` after the first batch with a source and date that do not
    reconcile, once the batch's quarantine, accepted rows and reconciliation rows are written.
    ``spark`` lets a caller lend its running session; otherwise one is started and stopped here.
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    contracts = source_order(sources)
    session = spark or spark_session(settings, APP_NAME)
    result = IngestResult()
    try:
        with session_settings(session, {**ONE_SPLIT_PER_FILE, **UNCOMPRESSED_CACHE}):
            _ingest_dates(session, settings, contracts, start, end, result)
    finally:
        if spark is None:
            session.stop()
    return result
