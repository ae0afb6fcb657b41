"""The DuckDB reference ingest: the Spark ingest's work, done with DuckDB set-based SQL.

It reads each source's delivery for each date, judges it with the very same validation SQL
(``profilehub.validation``, DuckDB dialect), in the Spark ingest's order (dates in order,
sources after the sources they reference), and writes accepted, quarantine and reconciliation
Parquet in the Spark ingest's layout (``spark.ingest.tables``) under an output root of its own,
so both can run on the same landing files. It is the benchmark's reference and the generator
tests' judge.

Reading is SQL from the bytes on: ``read_blob`` takes each file whole; a file that is valid
UTF-8 is split on ``\\n``; one that is not is split on the escaped text of its bytes, and only
its invalid lines are decoded lossily, bad bytes becoming U+FFFD (the mark the validation's
``bad_encoding`` looks for). Line numbers are 1-based physical lines, a CSV header being
line 1, as in the Spark reader; rows in are counted on the bytes by that reader's
``landing_batch``. CSV fields are split on commas, or by a quote-aware regex when the line holds
a quote, by position against the file's own header; JSON lines go through DuckDB's json
functions.

Accepted rows are read back from the output lake (views ``accepted_<source>``), so references,
replays and identities see exactly what was written. A quarantined row's ``raw_record`` is made
after judgement, for the rejected lines only, by reading them again: raw text never enters the
joins and windows of the set-based checks. It follows the Spark ingest's redaction rule (no raw
PII: tokens for PII, ``<redacted>`` for unknown columns, and for fields next to them in a line
that does not parse; phone and ID look-alikes masked) as far as RE2 can say it: RE2 has no
look-arounds, so an unparsed JSON line has every value masked, and a parsed one is re-rendered
from its keys rather than edited in place.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from profilehub.contracts import Contract
from profilehub.dbt_sources import PARTITION_COLUMN, SOURCE_FILE_COLUMN, SOURCE_LINE_COLUMN
from profilehub.pii import NATIONAL_ID_LIKE, PHONE_LIKE, REDACTED, token_sql
from profilehub.settings import Paths, Settings
from profilehub.validation import (
    DELIVERY_DATE,
    bad_encoding_sql,
    get_dialect,
    malformed_sql,
    validation_query,
)
from spark.ingest.job import source_order
from spark.ingest.reader import LandingBatch, LandingFile, landing_batch
from spark.ingest.reconcile import (
    Reconciliation,
    reconcile,
    replace_reconciliation_row,
)
from spark.ingest.tables import (
    QUARANTINE_COLUMNS,
    lake_columns,
    partition_folder,
    partition_rows,
)

DUCKDB = get_dialect("duckdb")
JUDGED_TABLE = "judged"
PART_FILE = "part-00000.parquet"
# A CSV field: quoted (doubled quotes inside) or plain, after the start of line or a comma.
_CSV_FIELD = r'(?:^|,)("(?:[^"]|"")*"|[^,]*)'
# BLOB text as DuckDB escapes it: a newline byte, a non-ASCII byte, and U+FFFD's bytes.
_ESCAPED_NEWLINE = r"\x0A"
_ESCAPED_HIGH_BYTE = r"\\x[89A-F][0-9A-F]"
_ESCAPED_REPLACEMENT = r"\\xEF\\xBF\\xBD"
# Spark's look-around guards of pii's look-alike patterns, emulated for RE2 with groups.
_ALONE_BEFORE, _ALONE_AFTER = "(?<![0-9A-Za-z])", "(?![0-9A-Za-z])"
_JSON_STRING = r'"(?:[^"\\]|\\.)*"'
_JSON_VALUE = rf'{_JSON_STRING}|[^,}}\]\s]+'


class ReferenceIngestError(RuntimeError):
    """A source and date that did not reconcile; ``result`` holds everything done so far."""

    def __init__(self, message: str, result: ReferenceResult) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class PartitionRun:
    """One source and date: its reconciliation and the seconds it took, reading to writing."""

    reconciliation: Reconciliation
    seconds: float


@dataclass
class ReferenceResult:
    runs: list[PartitionRun] = field(default_factory=list)

    def by_source(self) -> dict[str, dict[str, float]]:
        """Per source: partitions (dates), rows in, accepted, quarantined and seconds."""
        totals: dict[str, dict[str, float]] = {}
        for run in self.runs:
            r = run.reconciliation
            total = totals.setdefault(r.source, dict.fromkeys(
                ("partitions", "rows_in", "accepted", "quarantined", "seconds"), 0))
            total["partitions"] += 1
            total["rows_in"] += r.rows_in
            total["accepted"] += r.accepted
            total["quarantined"] += r.quarantined
            total["seconds"] += run.seconds
        return totals


# --- reading ---------------------------------------------------------------------------------


def _lines_sql(files: Sequence[LandingFile], landing: Path) -> str:
    """``_file``, ``_line``, ``_raw`` of every physical line of ``files``.

    A file that is not valid UTF-8 is split on the escaped text of its bytes (DuckDB writes a
    BLOB as printable ASCII with ``\\xNN`` for every other byte, the backslash included, so
    ``\\x0A`` is a newline and nothing else); each line's bytes are then decoded, or, when
    they are not UTF-8, decoded with every non-ASCII byte read as U+FFFD.
    """
    paths = "[" + ", ".join(DUCKDB.literal(str(f.path)) for f in files) + "]"
    lossy = DUCKDB.regexp_replace_all("_line_text", _ESCAPED_HIGH_BYTE, _ESCAPED_REPLACEMENT)
    return f"""
    WITH _blobs AS (
      SELECT substr(filename, {len(str(landing)) + 2}) AS _file, content,
             try(decode(content)) AS _text
      FROM read_blob({paths})
    ), _split AS (
      SELECT _file, string_split(_text, chr(10)) AS _lines, FALSE AS _escaped
      FROM _blobs WHERE _text IS NOT NULL
      UNION ALL
      SELECT _file, string_split(CAST(content AS VARCHAR), '{_ESCAPED_NEWLINE}'), TRUE
      FROM _blobs WHERE _text IS NULL
    ), _numbered AS (
      SELECT _file, _escaped, unnest(_lines) AS _line_text,
             generate_subscripts(_lines, 1) AS _line, len(_lines) AS _last
      FROM _split
    )
    SELECT _file, _line,
           CASE WHEN NOT _escaped THEN _line_text
                ELSE coalesce(try(decode(CAST(_line_text AS BLOB))),
                              decode(CAST({lossy} AS BLOB))) END AS _raw
    FROM _numbered
    -- The text after a final newline is no line (as the Spark reader counts them).
    WHERE NOT (_line = _last AND _line_text = '')
    """


def _csv_fields_sql() -> str:
    unquoted = ("CASE WHEN length(f) >= 2 AND starts_with(f, '\"') AND ends_with(f, '\"') "
                "THEN replace(f[2:-2], '\"\"', '\"') ELSE f END")
    return ("CASE WHEN instr(_raw, '\"') = 0 THEN string_split(_raw, ',') "
            f"ELSE list_transform(regexp_extract_all(_raw, {DUCKDB.literal(_CSV_FIELD)}, 1), "
            f"lambda f: {unquoted}) END")


def _csv_values_sql(contract: Contract, header: Sequence[str], files: Sequence[LandingFile],
                    lines: str) -> str:
    listed = ", ".join(DUCKDB.literal(f.relative) for f in files)
    named = ", ".join(
        (f"_fields[{header.index(c.name) + 1}]" if c.name in header else "CAST(NULL AS VARCHAR)")
        + f" AS {DUCKDB.name_of(c.name)}" for c in contract.columns)
    return (f"SELECT _file, _line, _raw, {DUCKDB.list_literal(header)} AS _field_names, "
            f"_fields, {named} FROM (SELECT *, {_csv_fields_sql()} AS _fields FROM {lines} "
            f"WHERE _line > 1 AND _file IN ({listed}))")


def _json_values_sql(contract: Contract, lines: str) -> str:
    paths = DUCKDB.list_literal([f'$."{name}"' for name in contract.column_names])
    named = ", ".join(f"_values[{index}] AS {DUCKDB.name_of(name)}"
                      for index, name in enumerate(contract.column_names, start=1))
    return (f"SELECT _file, _line, _raw, _field_names, {named} FROM ("
            f"SELECT *, CASE WHEN _object THEN json_keys(_raw) END AS _field_names, "
            f"CASE WHEN _object THEN json_extract_string(_raw, {paths}) END AS _values FROM ("
            f"SELECT *, CASE WHEN json_valid(_raw) THEN json_type(_raw) = 'OBJECT' END AS _object "
            f"FROM {lines}))")


def _with_tokens(contract: Contract, values_sql: str, pii_key: bytes) -> str:
    tokens = []
    for column in contract.pii_columns:
        value = f"NULLIF({DUCKDB.name_of(column.name)}, '')"
        tokens.append(f", {token_sql(column.pii, value, pii_key, DUCKDB)} "
                      f"AS {DUCKDB.name_of(column.curated_name)}")
    return f"SELECT *{''.join(tokens)} FROM ({values_sql})"


def _groups(batch: LandingBatch) -> list[tuple[tuple[str, ...] | None, list[LandingFile]]]:
    """Files that read alike: CSV files by header, JSON lines all together (header None)."""
    if batch.contract.format == "jsonl":
        return [(None, list(batch.files))]
    return list(batch.headers().items())


def _group_sql(contract: Contract, header: tuple[str, ...] | None,
               files: Sequence[LandingFile], lines: str, pii_key: bytes) -> str:
    values = (_json_values_sql(contract, lines) if header is None
              else _csv_values_sql(contract, header, files, lines))
    return _with_tokens(contract, values, pii_key)


def batch_sql(batch: LandingBatch, lines: str, pii_key: bytes) -> str:
    """The batch relation ``profilehub.validation`` judges, over a relation of lines."""
    groups = "\nUNION ALL\n".join(
        f"SELECT * FROM ({_group_sql(batch.contract, header, files, lines, pii_key)})"
        for header, files in _groups(batch))
    return f"SELECT *, DATE '{batch.day.isoformat()}' AS {DELIVERY_DATE} FROM ({groups})"


# --- the quarantine's redacted raw record ------------------------------------------------------


def _without_lookalikes(text_sql: str) -> str:
    """Phone and ID look-alikes masked: pii's patterns with their look-arounds as RE2 groups."""
    for pattern in (NATIONAL_ID_LIKE, PHONE_LIKE):
        if not (pattern.startswith(_ALONE_BEFORE) and pattern.endswith(_ALONE_AFTER)):
            raise ValueError(f"look-alike pattern {pattern!r} lost its stand-alone guards")
        core = pattern.removeprefix(_ALONE_BEFORE).removesuffix(_ALONE_AFTER)
        guarded = f"(^|[^0-9A-Za-z])(?:{core})([^0-9A-Za-z]|$)"
        # Twice: neighbours one character apart share it, and the first pass consumed it.
        for _ in range(2):
            text_sql = DUCKDB.regexp_replace_all(text_sql, guarded, rf"\1{REDACTED}\2")
    return text_sql


def _parses_sql(contract: Contract) -> str:
    return f"(NOT {bad_encoding_sql(DUCKDB)} AND NOT {malformed_sql(contract, DUCKDB)})"


def _clear_csv_field_sql(value: str) -> str:
    quoted = f"""concat('"', replace({value}, '"', '""'), '"')"""
    return (f"""CASE WHEN {value} IS NULL THEN '' WHEN regexp_matches({value}, '[,"]') """
            f"THEN {quoted} ELSE {value} END")


def _csv_record_sql(contract: Contract, header: Sequence[str]) -> str:
    pii = {c.name: c.curated_name for c in contract.pii_columns}
    clear = set(contract.column_names) - set(pii)
    fields = []
    for position, name in enumerate(header, start=1):
        if name in pii:
            fields.append(f"coalesce({DUCKDB.name_of(pii[name])}, '')")
        elif name in clear:
            fields.append(_clear_csv_field_sql(f"_fields[{position}]"))
        else:
            fields.append(DUCKDB.literal(REDACTED))
    parsed = f"concat_ws(',', {', '.join(fields)})"
    # Split naively, a field of an unparsed line may have slid one place: mask neighbours too.
    unsafe = {index for index, name in enumerate(header, start=1) if name not in clear}
    near = sorted({i for index in unsafe for i in (index - 1, index, index + 1) if i >= 1})
    unparsed = (f"array_to_string(list_transform(string_split(_raw, ','), lambda f, i: CASE "
                f"WHEN i IN ({', '.join(map(str, near)) or '0'}) OR i > {len(header)} "
                f"THEN {DUCKDB.literal(REDACTED)} ELSE f END), ',')")
    return f"CASE WHEN {_parses_sql(contract)} THEN {parsed} ELSE {unparsed} END"


def _json_record_sql(contract: Contract) -> str:
    """A parsed object re-rendered key by key (``_json``: its values as JSON text, in key
    order); an unparsed line with every value masked."""
    masked = DUCKDB.literal(f'"{REDACTED}"')
    pii_values = "".join(
        f" WHEN k = {DUCKDB.literal(c.name)} THEN "
        f"coalesce(to_json({DUCKDB.name_of(c.curated_name)}), {masked})"
        for c in contract.pii_columns)
    clear = DUCKDB.list_literal([c.name for c in contract.columns if not c.pii])
    value = (f"CASE WHEN _json[i] = 'null' THEN 'null'{pii_values} "
             f"WHEN list_contains({clear}, k) THEN _json[i] ELSE {masked} END")
    rendered = (f"'{{' || array_to_string(list_transform(_field_names, lambda k, i: "
                f"to_json(k) || ':' || {value}), ',') || '}}'")
    every_value = DUCKDB.regexp_replace_all(
        "_raw", rf"({_JSON_STRING}\s*:\s*)({_JSON_VALUE})", rf'\1"{REDACTED}"')
    return f"CASE WHEN {_parses_sql(contract)} THEN {rendered} ELSE {every_value} END"


def raw_records_sql(batch: LandingBatch, lines: str, pii_key: bytes) -> str:
    """``_file``, ``_line`` and the redacted ``raw_record`` of every line of ``lines``."""
    selects = []
    for header, files in _groups(batch):
        group = _group_sql(batch.contract, header, files, lines, pii_key)
        if header is None:
            group = (f"SELECT *, CASE WHEN _field_names IS NOT NULL THEN "
                     f"json_extract(_raw, '$.*')::VARCHAR[] END AS _json FROM ({group})")
            record = _json_record_sql(batch.contract)
        else:
            record = _csv_record_sql(batch.contract, header)
        selects.append(f"SELECT _file, _line, {_without_lookalikes(record)} AS raw_record "
                       f"FROM ({group})")
    return "\nUNION ALL\n".join(selects)


# --- writing ---------------------------------------------------------------------------------


def _replace_partition(connection: duckdb.DuckDBPyConnection, folder: Path, rows_sql: str,
                       rows: int) -> None:
    """Make ``folder`` hold exactly the rows (or not exist when there are none), swapped in
    whole so that no reader meets half a partition."""
    if rows:
        staging = folder.with_name(f".{folder.name}.staging")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        target = DUCKDB.literal(str(staging / PART_FILE))
        connection.execute(f"COPY ({rows_sql}) TO {target} (FORMAT parquet, COMPRESSION snappy)")
    shutil.rmtree(folder, ignore_errors=True)
    if rows:
        staging.rename(folder)


def accepted_view(source: str) -> str:
    """The view of a source's accepted rows (with ``dt``) in the ingest's connection."""
    return f"accepted_{source}"


def _refresh_accepted_view(connection: duckdb.DuckDBPyConnection, lake: Path,
                           contract: Contract) -> None:
    """``accepted_<source>``: the source's lake partitions on disk, with ``dt``."""
    folder = lake / contract.name
    if any(folder.glob(f"{PARTITION_COLUMN}=*/*.parquet")):
        files = DUCKDB.literal(str(folder / f"{PARTITION_COLUMN}=*" / "*.parquet"))
        rows = (f"SELECT * FROM read_parquet({files}, hive_partitioning = true, "
                f"hive_types = {{'{PARTITION_COLUMN}': DATE}})")
    else:
        columns = [*lake_columns(contract), (PARTITION_COLUMN, "DATE")]
        rows = ("SELECT " + ", ".join(f"CAST(NULL AS {kind}) AS {DUCKDB.name_of(name)}"
                                      for name, kind in columns) + " WHERE false")
    connection.execute(f"CREATE OR REPLACE VIEW {accepted_view(contract.name)} AS {rows}")


# --- the ingest ------------------------------------------------------------------------------

OnJudged = Callable[[Contract, dt.date, duckdb.DuckDBPyConnection], None]


class _Reference:
    """One connection, the accepted views, and the work of one source and date."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, settings: Settings,
                 output: Paths) -> None:
        self.connection, self.settings, self.output = connection, settings, output
        self.pii_key = settings.pii_hmac_key()

    def refresh_views(self, contracts: Sequence[Contract]) -> None:
        for contract in contracts:
            _refresh_accepted_view(self.connection, self.output.lake, contract)

    def _judge(self, batch: LandingBatch) -> tuple[dict[str, int], int, list[str]]:
        """The judged batch as table ``judged``; (rule counts, records, extra columns)."""
        con, landing = self.connection, self.settings.paths.landing
        con.execute(f"CREATE OR REPLACE TEMP VIEW _lines AS {_lines_sql(batch.files, landing)}")
        query = validation_query(
            batch.contract, days=batch.dates, ingest=self.settings.ingest, dialect=DUCKDB,
            batch=f"({batch_sql(batch, '_lines', self.pii_key)})",
            accepted=accepted_view)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {JUDGED_TABLE} AS {query}")
        by_rule = con.execute(f"SELECT _rule, count(*), flatten(list(DISTINCT _extra_columns)) "
                              f"FROM {JUDGED_TABLE} GROUP BY _rule").fetchall()
        rule_counts = {rule: count for rule, count, _ in by_rule if rule is not None}
        extra = {name for *_, names in by_rule for name in names or ()}
        return rule_counts, sum(count for _, count, _ in by_rule), sorted(extra)

    def _write(self, batch: LandingBatch, quarantined: int, accepted: int) -> tuple[Path, Path]:
        contract, day = batch.contract, batch.day
        rejected_lines = (f"(SELECT l.* FROM _lines l SEMI JOIN {JUDGED_TABLE} j ON "
                          f"j._rule IS NOT NULL AND l._file = j._file AND l._line = j._line)")
        names = [name for name, _ in QUARANTINE_COLUMNS]
        quarantine_rows = (
            f"SELECT j._file AS {names[0]}, j._line AS {names[1]}, j._rule AS {names[2]}, "
            f"j._detail AS {names[3]}, r.raw_record AS {names[4]} FROM {JUDGED_TABLE} j "
            f"JOIN ({raw_records_sql(batch, rejected_lines, self.pii_key)}) r "
            f"USING (_file, _line) WHERE j._rule IS NOT NULL")
        quarantine = partition_folder(self.output.quarantine, contract.name, day)
        _replace_partition(self.connection, quarantine, quarantine_rows, quarantined)
        curated = ", ".join(DUCKDB.name_of(name) for name in contract.curated_columns)
        lake_rows = (f"SELECT {curated}, _file AS {SOURCE_FILE_COLUMN}, _line AS "
                     f"{SOURCE_LINE_COLUMN} FROM {JUDGED_TABLE} WHERE _rule IS NULL")
        lake = partition_folder(self.output.lake / contract.name, None, day)
        _replace_partition(self.connection, lake, lake_rows, accepted)
        _refresh_accepted_view(self.connection, self.output.lake, contract)
        return quarantine, lake

    def ingest_day(self, contract: Contract, day: dt.date,
                   on_judged: OnJudged | None) -> PartitionRun | None:
        started = time.perf_counter()
        batch = landing_batch(self.settings.paths.landing, contract, day)
        if not batch.files:
            return None
        rule_counts, records, extra = self._judge(batch)
        if on_judged is not None:
            on_judged(contract, day, self.connection)
        quarantined = sum(rule_counts.values())
        quarantine, lake = self._write(batch, quarantined, records - quarantined)
        result = reconcile(
            contract.name, day, rows_in=batch.records, accepted=partition_rows(lake),
            quarantined=partition_rows(quarantine), rule_counts=rule_counts,
            extra_columns=extra, max_quarantine_rate=self.settings.ingest.max_quarantine_rate)
        replace_reconciliation_row(self.output.reconciliation, result)
        return PartitionRun(result, time.perf_counter() - started)


def ingest_range(settings: Settings, output_root: Path, *, start: dt.date, end: dt.date,
                 sources: list[str] | None = None,
                 connection: duckdb.DuckDBPyConnection | None = None,
                 on_judged: OnJudged | None = None) -> ReferenceResult:
    """Ingest ``settings.paths.landing`` for each date from ``start`` to ``end`` (inclusive)
    into ``Paths(output_root)``'s lake, quarantine and reconciliation folders.

    Raises :class:`ReferenceIngestError` at the first source and date that does not reconcile,
    after writing it, as the Spark ingest does. ``on_judged(contract, day, connection)`` sees
    every judged batch as table ``judged`` (one row per record: ``_file``, ``_line``, curated
    columns, ``_extra_columns``, ``_rule``, ``_detail``). A lent ``connection`` stays open, with
    the ``accepted_<source>`` views over the output lake.
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    contracts = source_order(sources)
    con = connection or duckdb.connect()
    reference = _Reference(con, settings, Paths(Path(output_root)))
    result = ReferenceResult()
    try:
        reference.refresh_views(source_order(None))
        for offset in range((end - start).days + 1):
            day = start + dt.timedelta(days=offset)
            for contract in contracts:
                run = reference.ingest_day(contract, day, on_judged)
                if run is None:
                    continue
                result.runs.append(run)
                if run.reconciliation.problems:
                    raise ReferenceIngestError(
                        f"reference ingest of {contract.name} for {day} failed: "
                        f"{'; '.join(run.reconciliation.problems)}", result)
    finally:
        if connection is None:
            con.close()
    return result
