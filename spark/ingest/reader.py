"""Landing files of one source over a range of dates → the batch relation
``profilehub.validation`` judges.

Files are read as text, one line per row, with the file and the 1-based physical line number.
Each file must be exactly one partition (``landing.MAX_RECORDS_PER_FILE`` keeps files small;
:func:`one_split_per_file` sets ``spark.sql.files.maxPartitionBytes`` and ``openCostInBytes``
so high that Spark neither splits a file nor packs two into a partition), so the record counter
Spark keeps per partition, the low 33 bits of ``monotonically_increasing_id()``, is the line
number minus one. The ingest checks this against line counts taken here in Python before it
trusts the numbers.

CSV lines are split with ``from_csv`` by position against their own file's header, so files
with reordered, added or missing columns are read correctly; JSON lines with ``from_json``.
Every value stays text; the validation decides what it is.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from profilehub.contracts import Contract
from profilehub.landing import list_partition_files
from profilehub.pii import token_sql
from profilehub.validation import DELIVERY_DATE, DeliveryDates, get_dialect
from spark.ingest.redact import (
    CLEAR_FIELDS,
    UNPARSED_RECORD,
    clear_fields_sql,
    unparsed_record_sql,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

SPARK = get_dialect("spark")
_BIG = str(1 << 40)
# Session settings that make Spark read every landing file as exactly one split.
ONE_SPLIT_PER_FILE = {"spark.sql.files.maxPartitionBytes": _BIG,
                      "spark.sql.files.openCostInBytes": _BIG}
_RECORD_NUMBER_BITS = (1 << 33) - 1
_CSV_OPTIONS = {"sep": ",", "quote": '"', "escape": '"', "nullValue": "", "mode": "PERMISSIVE"}
_BOM = "\ufeff"
_DATE_FOLDER = r"/dt=([0-9]{4}-[0-9]{2}-[0-9]{2})/[^/]+$"
# What the batch carries through validation for the quarantine's raw record.
REDACTION_COLUMNS = (CLEAR_FIELDS, UNPARSED_RECORD)


@dataclass(frozen=True)
class LandingFile:
    path: Path
    day: dt.date  # the delivery date of its folder
    relative: str  # path under the landing root, as lineage and quarantine show it
    lines: int  # physical lines, counted on the bytes
    header: tuple[str, ...] | None  # CSV header fields; None for JSON lines

    @property
    def records(self) -> int:
        return max(self.lines - 1, 0) if self.header is not None else self.lines


@dataclass(frozen=True)
class LandingBatch:
    contract: Contract
    dates: DeliveryDates
    files: tuple[LandingFile, ...]

    @property
    def day(self) -> dt.date:
        """The delivery date of a one-date batch."""
        if self.dates.first != self.dates.last:
            raise ValueError(f"a batch of {self.dates.first}..{self.dates.last} has no one day")
        return self.dates.first

    @property
    def records(self) -> int:
        return sum(file.records for file in self.files)

    def records_on(self, day: dt.date) -> int:
        return sum(file.records for file in self.files if file.day == day)

    def delivered_days(self) -> list[dt.date]:
        return sorted({file.day for file in self.files})

    def headers(self) -> dict[tuple[str, ...], list[LandingFile]]:
        groups: dict[tuple[str, ...], list[LandingFile]] = {}
        for file in self.files:
            groups.setdefault(file.header or (), []).append(file)
        return groups

    def csv_extra_columns(self) -> list[str]:
        known = set(self.contract.column_names)
        return sorted({name for file in self.files for name in file.header or () if
                       name not in known})


@contextmanager
def session_settings(spark: SparkSession, settings: dict[str, str]) -> Iterator[None]:
    """Within the block, the session runs with ``settings`` (the previous values restored after)."""
    saved = {key: spark.conf.get(key, None) for key in settings}
    for key, value in settings.items():
        spark.conf.set(key, value)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, value)


def one_split_per_file(spark: SparkSession) -> AbstractContextManager[None]:
    """Within the block, Spark reads each file as exactly one split (settings restored after)."""
    return session_settings(spark, ONE_SPLIT_PER_FILE)


def count_lines(path: Path) -> int:
    """Lines as Spark's text reader with ``lineSep='\\n'`` sees them."""
    count, last = 0, b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def read_header(path: Path) -> tuple[str, ...]:
    with path.open("rb") as handle:
        first = handle.readline().decode("utf-8", errors="replace").rstrip("\n")
    fields = next(csv.reader([first.removeprefix(_BOM)]), [])
    return tuple(field.strip() for field in fields)


def landing_batch(landing_root: Path, contract: Contract, first: dt.date,
                  last: dt.date | None = None) -> LandingBatch:
    """The delivered files of ``contract`` from ``first`` to ``last`` (default: ``first``)."""
    dates = DeliveryDates(first, last or first)
    files = []
    for day in dates:
        for path in list_partition_files(landing_root, contract, day):
            header = read_header(path) if contract.format == "csv" else None
            files.append(LandingFile(path, day, path.relative_to(landing_root).as_posix(),
                                     count_lines(path), header))
    return LandingBatch(contract, dates, tuple(files))


def _lines(spark: SparkSession, batch: LandingBatch, files: list[LandingFile]) -> DataFrame:
    from pyspark.sql import functions as F

    # Read from the path, not written as a literal: the generated code is then the same for
    # every date and compiled once per source (see profilehub.validation.DELIVERY_DATE).
    day_text = F.regexp_extract("_metadata.file_path", _DATE_FOLDER, 1)
    relative = F.concat(F.lit(f"{batch.contract.name}/dt="), day_text, F.lit("/"),
                        F.col("_metadata.file_name"))
    return (spark.read.option("lineSep", "\n").text([str(file.path) for file in files])
            .select(F.col("value").alias("_raw"), relative.alias("_file"),
                    (F.expr(f"monotonically_increasing_id() & {_RECORD_NUMBER_BITS}") + 1)
                    .alias("_line"),
                    F.to_date(day_text).alias(DELIVERY_DATE)))


def _csv_values(contract: Contract, header: tuple[str, ...]) -> list[str]:
    schema = "struct<" + ",".join(f"_c{i}:string" for i in range(len(header))) + ">"
    options = "map(" + ", ".join(f"{SPARK.literal(k)}, {SPARK.literal(v)}"
                                 for k, v in _CSV_OPTIONS.items()) + ")"
    parsed = f"from_csv(_raw, {SPARK.literal(schema)}, {options})"
    names = [SPARK.literal(name) for name in header]
    values = [f"array({', '.join(names)}) AS _field_names", f"{parsed} AS _fields"]
    for column in contract.columns:
        index = header.index(column.name) if column.name in header else None
        value = f"_fields._c{index}" if index is not None else "CAST(NULL AS STRING)"
        values.append(f"{value} AS {SPARK.name_of(column.name)}")
    return values


def _json_values(contract: Contract) -> list[str]:
    schema = "struct<" + ",".join(f"{SPARK.name_of(name)}:string"
                                  for name in contract.column_names) + ">"
    values = ["json_object_keys(_raw) AS _field_names",
              f"from_json(_raw, {SPARK.literal(schema)}) AS _fields"]
    values += [f"_fields.{SPARK.name_of(name)} AS {SPARK.name_of(name)}"
               for name in contract.column_names]
    return values


def _with_tokens_and_redactions(frame: DataFrame, contract: Contract, key: bytes,
                                header: tuple[str, ...] | None) -> DataFrame:
    tokens = []
    for column in contract.pii_columns:
        value = f"NULLIF({SPARK.name_of(column.name)}, '')"
        tokens.append(f"{token_sql(column.pii, value, key, SPARK)} "
                      f"AS {SPARK.name_of(column.curated_name)}")
    with_tokens = frame.selectExpr("*", *tokens)
    return with_tokens.selectExpr(
        "*", f"{clear_fields_sql(contract, header)} AS {CLEAR_FIELDS}",
        f"{unparsed_record_sql(contract, header)} AS {UNPARSED_RECORD}").drop("_fields")


def batch_frame(spark: SparkSession, batch: LandingBatch, key: bytes) -> DataFrame:
    """The batch relation of ``profilehub.validation``, plus :data:`REDACTION_COLUMNS`."""
    contract = batch.contract
    if contract.format == "jsonl":
        lines = _lines(spark, batch, list(batch.files))
        return _with_tokens_and_redactions(
            lines.selectExpr("_file", "_line", "_raw", DELIVERY_DATE, *_json_values(contract)),
            contract, key, None)
    frames = []
    for header, files in batch.headers().items():
        lines = _lines(spark, batch, files).where("_line > 1")
        parsed = lines.selectExpr("_file", "_line", "_raw", DELIVERY_DATE,
                                  *_csv_values(contract, header))
        frames.append(_with_tokens_and_redactions(parsed, contract, key, header))
    result = frames[0]
    for frame in frames[1:]:
        result = result.unionByName(frame)
    return result
