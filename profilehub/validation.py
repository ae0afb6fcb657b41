"""Validation rules of every source, written once as SQL that Spark and DuckDB both evaluate.

:func:`validation_query` turns a contract into one SELECT over a *batch relation* (the records
of one source over one or more consecutive delivery dates) and the *accepted relations* (rows
already in the lake, of dates before the batch's). A batch of several dates judges each record
as batches of one date, taken oldest first, would: what an earlier date of the batch accepted
counts as accepted for the later dates. Every
record leaves with ``_rule``: the first rule id of ``profilehub.rules.RULE_ORDER`` it breaks,
columns in contract order within a check (NULL when accepted), and ``_detail``: the column, the
offending value (``<redacted>`` for PII) and the rule in words. Engine differences are confined
to the small :class:`Dialect` classes; everything else is shared text.

The batch relation (built by the engine's reader) has:

- ``_file`` (path relative to the landing root), ``_line`` (1-based physical line; a CSV
  header is line 1), ``_raw`` (the line as read), ``_delivery_date`` (DATE, the landing
  partition's date of the record's file);
- ``_field_names``: for CSV the header fields of the record's file, for JSON lines the record's
  top-level keys (NULL when the line is not a JSON object);
- one column per contract column holding the value as text, NULL when absent (empty text counts
  as NULL), and ``<column>_token`` for every PII column (:func:`profilehub.pii.token_sql`);
- any further ``carry`` columns, passed through untouched (e.g. the redacted raw record).

Raw PII columns and ``_raw`` are dropped right after the per-record checks, before the joins
and windows of the set-based checks, so no shuffle ever carries them.

Decisions the rules encode:

- CSV fields are counted outside quotes; a stray quote or a count different from the header's
  is ``malformed``. A contract column absent from the header is ``missing_column`` for every
  record of that file; extra header columns are ignored and reported (schema drift).
- JSON lines: an absent key is NULL (the landing convention). A record that lacks a *required*
  key while carrying a key the contract does not know is ``missing_column`` (a renamed key);
  unknown keys alone are ignored and reported.
- Values must have the landing shape before they are cast (integers digits only, numbers
  plain or scientific, dates ``YYYY-MM-DD``, timestamps ``YYYY-MM-DD HH:MM:SS``, booleans
  ``true``/``false``): Spark and DuckDB casts disagree at the edges (``'1.5d'``, ``'12.0'``,
  hour 24), the shapes keep them in step. Non-finite numbers are type errors.
- The event time of a date column is the start of that day. ``future_event_time``: after the
  end of the delivery date plus ``future_tolerance_hours``. ``late_arrival`` (event sources
  only): before the delivery date minus ``allowed_lateness_days``.
- ``unknown_reference``: the value is not among accepted rows of the referenced source on or
  before the delivery date.
- ``duplicate_key``: among records that passed every earlier rule, a key seen earlier in the
  same delivery by (file, line); and, for event sources, a key first accepted on one of the
  previous ``replay_lookback_days`` dates. Snapshots are re-delivered daily by design, so only
  events can be replayed. (One known difference of a many-date batch: a key accepted again
  after its lookback ran out is compared with its first acceptance, not the later one.)
- ``identity_conflict``: the identity token already belongs to another *entity*, the key
  without its event-time column (an account, not an account version), among accepted rows of
  earlier dates or, failing that, to the first such record of the batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from profilehub import rules
from profilehub.contracts import Column, Contract
from profilehub.dbt_sources import PARTITION_COLUMN
from profilehub.pii import REDACTED
from profilehub.settings import IngestSettings

SQL_TYPES = {"string": "STRING", "int": "BIGINT", "double": "DOUBLE", "date": "DATE",
             "timestamp": "TIMESTAMP", "boolean": "BOOLEAN"}
# The text a value must match before TRY_CAST (see the module docstring for why).
VALUE_SHAPES = {
    "int": r"[+-]?[0-9]+",
    "double": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?",
    "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
    "timestamp": r"[0-9]{4}-[0-9]{2}-[0-9]{2} ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]",
    "boolean": r"true|false",
}
TYPE_WORDS = {"int": "integer", "double": "number", "date": "date (YYYY-MM-DD)",
              "timestamp": "timestamp (YYYY-MM-DD HH:MM:SS)", "boolean": "boolean (true/false)"}
_MAX_DOUBLE = "1.7976931348623157e308"
# The batch's delivery date, a column rather than a literal: Spark then generates the same code
# for every date of a source and compiles it once.
DELIVERY_DATE = "_delivery_date"
_SHOWN_CHARS = 80
_QUOTED_FIELD = '"[^"]*"'


@dataclass(frozen=True)
class DeliveryDates:
    """The consecutive delivery dates a batch holds, ``first`` to ``last`` inclusive."""

    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"delivery dates end {self.last} before they start {self.first}")

    @classmethod
    def of(cls, day: dt.date) -> DeliveryDates:
        return cls(day, day)

    def __iter__(self):
        for offset in range((self.last - self.first).days + 1):
            yield self.first + dt.timedelta(days=offset)
_REPLACEMENT_CHARACTER = "\ufffd"


class Dialect:
    """The few spellings in which Spark SQL and DuckDB differ."""

    name = ""

    def name_of(self, identifier: str) -> str:
        """A quoted identifier (contract names such as ``close`` or ``name`` may be keywords)."""
        raise NotImplementedError

    def literal(self, text: str) -> str:
        raise NotImplementedError

    def full_match(self, value_sql: str, pattern: str) -> str:
        raise NotImplementedError

    def regexp_replace_all(self, value_sql: str, pattern: str, replacement: str) -> str:
        raise NotImplementedError

    def valid_utf8(self, value_sql: str) -> str:
        raise NotImplementedError

    def list_literal(self, items: Sequence[str]) -> str:
        raise NotImplementedError

    def list_contains(self, list_sql: str, item: str) -> str:
        raise NotImplementedError

    def list_size(self, list_sql: str) -> str:
        raise NotImplementedError

    def list_without(self, list_sql: str, items: Sequence[str]) -> str:
        raise NotImplementedError

    def utf8_bytes(self, text_sql: str) -> str:
        raise NotImplementedError

    def concat_binary(self, left_sql: str, right_sql: str) -> str:
        raise NotImplementedError

    def sha256_hex(self, binary_sql: str) -> str:
        raise NotImplementedError


class SparkDialect(Dialect):
    name = "spark"

    def name_of(self, identifier: str) -> str:
        return "`" + identifier.replace("`", "``") + "`"

    def literal(self, text: str) -> str:
        # Spark string literals treat the backslash as an escape character.
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def full_match(self, value_sql: str, pattern: str) -> str:
        return f"regexp_like({value_sql}, {self.literal(f'^(?:{pattern})$')})"

    def regexp_replace_all(self, value_sql: str, pattern: str, replacement: str) -> str:
        return f"regexp_replace({value_sql}, {self.literal(pattern)}, {self.literal(replacement)})"

    def valid_utf8(self, value_sql: str) -> str:
        # The text reader keeps the bytes as they are; is_valid_utf8 looks at those bytes.
        return f"is_valid_utf8({value_sql})"

    def list_literal(self, items: Sequence[str]) -> str:
        return "array(" + ", ".join(self.literal(item) for item in items) + ")"

    def list_contains(self, list_sql: str, item: str) -> str:
        return f"array_contains({list_sql}, {self.literal(item)})"

    def list_size(self, list_sql: str) -> str:
        return f"size({list_sql})"

    def list_without(self, list_sql: str, items: Sequence[str]) -> str:
        return f"array_except({list_sql}, {self.list_literal(items)})"

    def utf8_bytes(self, text_sql: str) -> str:
        return f"encode({text_sql}, 'UTF-8')"

    def concat_binary(self, left_sql: str, right_sql: str) -> str:
        return f"concat({left_sql}, {right_sql})"

    def sha256_hex(self, binary_sql: str) -> str:
        return f"sha2({binary_sql}, 256)"


class DuckDBDialect(Dialect):
    name = "duckdb"

    def name_of(self, identifier: str) -> str:
        return '"' + identifier.replace('"', '""') + '"'

    def literal(self, text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    def full_match(self, value_sql: str, pattern: str) -> str:
        return f"regexp_full_match({value_sql}, {self.literal(pattern)})"

    def regexp_replace_all(self, value_sql: str, pattern: str, replacement: str) -> str:
        return (f"regexp_replace({value_sql}, {self.literal(pattern)}, "
                f"{self.literal(replacement)}, 'g')")

    def valid_utf8(self, value_sql: str) -> str:
        # DuckDB strings are always valid UTF-8: readers must decode with replacement.
        return "TRUE"

    def list_literal(self, items: Sequence[str]) -> str:
        return "[" + ", ".join(self.literal(item) for item in items) + "]::VARCHAR[]"

    def list_contains(self, list_sql: str, item: str) -> str:
        return f"list_contains({list_sql}, {self.literal(item)})"

    def list_size(self, list_sql: str) -> str:
        return f"len({list_sql})"

    def list_without(self, list_sql: str, items: Sequence[str]) -> str:
        known = self.list_literal(items)
        return f"list_filter({list_sql}, lambda name: NOT list_contains({known}, name))"

    def utf8_bytes(self, text_sql: str) -> str:
        return f"encode({text_sql})"

    def concat_binary(self, left_sql: str, right_sql: str) -> str:
        return f"({left_sql} || {right_sql})"

    def sha256_hex(self, binary_sql: str) -> str:
        return f"sha256({binary_sql})"


DIALECTS: dict[str, Dialect] = {"spark": SparkDialect(), "duckdb": DuckDBDialect()}


def get_dialect(dialect: str | Dialect) -> Dialect:
    if isinstance(dialect, Dialect):
        return dialect
    try:
        return DIALECTS[dialect]
    except KeyError:
        raise ValueError(f"unknown SQL dialect {dialect!r}; known: {', '.join(DIALECTS)}") from None



@dataclass(frozen=True)
class RecordCheck:
    """One per-record rule: SQL that is TRUE when a record breaks it, and the words for it."""

    rule: str
    broken_sql: str
    detail_sql: str


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def typed_value_sql(column: Column, value_sql: str) -> str:
    """The value cast to the column's lake type (NULL where the text does not parse)."""
    if column.type == "string":
        return value_sql
    if column.type == "boolean":
        return f"CASE WHEN {value_sql} = 'true' THEN TRUE WHEN {value_sql} = 'false' THEN FALSE END"
    return f"TRY_CAST({value_sql} AS {SQL_TYPES[column.type]})"


def _shown(column: Column, value_sql: str, d: Dialect) -> str:
    if column.pii:
        return d.literal(REDACTED)
    return f"substr({value_sql}, 1, {_SHOWN_CHARS})"


def _concat(*parts: str) -> str:
    return "concat(" + ", ".join(parts) + ")"


def bad_encoding_sql(d: Dialect, raw_sql: str = "_raw") -> str:
    """TRUE when the line is not valid UTF-8 (or carries the mark of an earlier bad decode)."""
    marker = d.literal(_REPLACEMENT_CHARACTER)
    return f"(NOT {d.valid_utf8(raw_sql)} OR instr({raw_sql}, {marker}) > 0)"


def _unquoted_sql(d: Dialect, raw_sql: str) -> str:
    """The CSV line without its quoted fields (most lines have none: no regex for them)."""
    quote = d.literal(chr(34))
    return (f"CASE WHEN instr({raw_sql}, {quote}) = 0 THEN {raw_sql} "
            f"ELSE {d.regexp_replace_all(raw_sql, _QUOTED_FIELD, '')} END")


def _field_count_sql(unquoted_sql: str) -> str:
    return f"(length({unquoted_sql}) - length(replace({unquoted_sql}, ',', '')) + 1)"


def _stray_quote_sql(d: Dialect, unquoted_sql: str) -> str:
    return f"(instr({unquoted_sql}, {d.literal(chr(34))}) > 0)"


def malformed_sql(contract: Contract, d: Dialect, raw_sql: str = "_raw",
                  field_names_sql: str = "_field_names") -> str:
    """TRUE when the line cannot be read as one record of the file (a standalone expression)."""
    if contract.format == "jsonl":
        return f"({field_names_sql} IS NULL)"
    unquoted = f"({_unquoted_sql(d, raw_sql)})"
    return (f"({_stray_quote_sql(d, unquoted)} "
            f"OR {_field_count_sql(unquoted)} <> {d.list_size(field_names_sql)})")


def _malformed_check(contract: Contract, d: Dialect) -> RecordCheck:
    if contract.format == "jsonl":
        return RecordCheck(rules.MALFORMED, malformed_sql(contract, d),
                           d.literal("line is not a JSON object"))
    header_fields = d.list_size("_field_names")
    counts = _concat(d.literal("line has "), "CAST(_field_count AS STRING)",
                     d.literal(" fields, the file header has "),
                     f"CAST({header_fields} AS STRING)")
    detail = (f"CASE WHEN _stray_quote THEN {d.literal('line has an unbalanced quote')} "
              f"ELSE {counts} END")
    return RecordCheck(rules.MALFORMED, f"(_stray_quote OR _field_count <> {header_fields})",
                       detail)


def _missing_column_checks(contract: Contract, d: Dialect) -> list[RecordCheck]:
    checks = []
    for column in contract.columns:
        absent = f"NOT {d.list_contains('_field_names', column.name)}"
        rule = rules.rule_id(rules.MISSING_COLUMN, column.name)
        if contract.format == "csv":
            checks.append(RecordCheck(rule, absent, d.literal(
                f"column {column.name} is missing from the file header")))
        elif not column.nullable:
            checks.append(RecordCheck(
                rule, f"({absent} AND {d.list_size('_extra_columns')} > 0)",
                d.literal(f"key {column.name} is absent while the record has keys the contract "
                          "does not know (renamed column?)")))
    return checks


def typed_name(column: Column) -> str:
    """Name of the stage column holding a value cast once to its type (checks reuse it)."""
    return f"_typed_{column.name}"


def _value_checks(column: Column, d: Dialect) -> list[RecordCheck]:
    """not_null, type, allowed, pattern and range of one column, in rule order."""
    v = d.name_of(column.name)
    typed = d.name_of(typed_name(column)) if column.type != "string" else v
    shown = _shown(column, v, d)
    name_is = d.literal(f"{column.name}=")
    checks: dict[str, RecordCheck] = {}
    if not column.nullable:
        checks[rules.NOT_NULL] = RecordCheck(
            rules.NOT_NULL, f"{v} IS NULL", d.literal(f"{column.name} is missing or empty"))
    if column.type != "string":
        wrong = f"NOT {d.full_match(v, VALUE_SHAPES[column.type])} OR {typed} IS NULL"
        if column.type == "double":
            wrong += f" OR NOT ({typed} BETWEEN -{_MAX_DOUBLE} AND {_MAX_DOUBLE})"
        checks[rules.TYPE] = RecordCheck(
            rules.TYPE, f"({v} IS NOT NULL AND ({wrong}))",
            _concat(name_is, shown, d.literal(f" is not a valid {TYPE_WORDS[column.type]}")))
    if column.allowed:
        listed = ", ".join(d.literal(value) for value in column.allowed)
        checks[rules.ALLOWED] = RecordCheck(
            rules.ALLOWED, f"({v} IS NOT NULL AND {v} NOT IN ({listed}))",
            _concat(name_is, shown, d.literal(f" not in {{{', '.join(column.allowed)}}}")))
    if column.pattern:
        checks[rules.PATTERN] = RecordCheck(
            rules.PATTERN, f"({v} IS NOT NULL AND NOT {d.full_match(v, column.pattern)})",
            _concat(name_is, shown, d.literal(f" does not match {column.pattern}")))
    if column.min is not None or column.max is not None:
        bounds = [f"{typed} < {_number(column.min)}" if column.min is not None else None,
                  f"{typed} > {_number(column.max)}" if column.max is not None else None]
        low = "-inf" if column.min is None else _number(column.min)
        high = "inf" if column.max is None else _number(column.max)
        checks[rules.RANGE] = RecordCheck(
            rules.RANGE, f"({v} IS NOT NULL AND ({' OR '.join(b for b in bounds if b)}))",
            _concat(name_is, shown, d.literal(f" outside [{low}, {high}]")))
    return [RecordCheck(rules.rule_id(check.rule, column.name), check.broken_sql,
                        check.detail_sql) for check in checks.values()]


def _event_time_checks(contract: Contract, d: Dialect,
                       ingest: IngestSettings) -> list[RecordCheck]:
    column = contract.column(contract.event_time)
    v = d.name_of(column.name)
    # A date's event time is the start of that day.
    instant = f"CAST({d.name_of(typed_name(column))} AS TIMESTAMP)"
    shown = _concat(d.literal(f"{column.name}="), _shown(column, v, d))
    start_of_day = f"CAST({DELIVERY_DATE} AS TIMESTAMP)"
    day_text = f"CAST({DELIVERY_DATE} AS STRING)"
    deadline = f"({start_of_day} + INTERVAL '{24 + ingest.future_tolerance_hours}' HOUR)"
    checks = [RecordCheck(
        rules.FUTURE_EVENT_TIME, f"{instant} > {deadline}",
        _concat(shown, d.literal(" is after "), f"CAST({deadline} AS STRING)",
                d.literal(" (end of delivery date "), day_text,
                d.literal(f" + {ingest.future_tolerance_hours}h)")))]
    if contract.kind == "event":
        cutoff = f"({start_of_day} - INTERVAL '{ingest.allowed_lateness_days}' DAY)"
        checks.append(RecordCheck(
            rules.LATE_ARRIVAL, f"{instant} < {cutoff}",
            _concat(shown, d.literal(" is before "), f"CAST({cutoff} AS STRING)",
                    d.literal(" (delivery date "), day_text,
                    d.literal(f" - {ingest.allowed_lateness_days} days)"))))
    return checks


def record_checks(contract: Contract, dialect: str | Dialect,
                  ingest: IngestSettings) -> list[RecordCheck]:
    """The per-record checks of a contract, in the order rules are judged."""
    d = get_dialect(dialect)
    checks = [RecordCheck(rules.BAD_ENCODING, bad_encoding_sql(d),
                          d.literal("line is not valid UTF-8")),
              _malformed_check(contract, d), *_missing_column_checks(contract, d)]
    value_checks = [check for column in contract.columns for check in _value_checks(column, d)]
    for check_name in (rules.NOT_NULL, rules.TYPE, rules.ALLOWED, rules.PATTERN, rules.RANGE):
        checks += [check for check in value_checks if check.rule.split(":")[0] == check_name]
    checks += _event_time_checks(contract, d, ingest)
    return checks


# Where a set-based stage's SQL names the relation of the stage before it.
_PREVIOUS = "__previous__"


@dataclass(frozen=True)
class _Stage:
    """A set-based check: a CTE adding marks to the records, then the rule it decides."""

    marks_sql: str
    broken_sql: str
    rule: str
    detail_sql: str


def entity_columns(contract: Contract) -> tuple[str, ...]:
    """The key without its event-time column: who a record is about, not which version."""
    entity = tuple(name for name in contract.key if name != contract.event_time)
    return entity or contract.key


def _key_text(d: Dialect, columns: Sequence[str], prefix: str = "r.") -> str:
    parts: list[str] = []
    for index, name in enumerate(columns):
        parts += [d.literal(("" if index == 0 else ", ") + f"{name}="),
                  f"CAST({prefix}{d.name_of(name)} AS STRING)"]
    return _concat(*parts)


def _accepted_where(accepted: Callable[[str], str], source: str, condition: str) -> str:
    return f"{accepted(source)} WHERE {condition}"


def _reference_stages(contract: Contract, d: Dialect, days: DeliveryDates,
                      accepted: Callable[[str], str]) -> list[_Stage]:
    stages = []
    for column in contract.columns:
        if not column.references:
            continue
        source, target = column.references
        v = d.name_of(column.name)
        pool = _accepted_where(accepted, source, f"{PARTITION_COLUMN} <= DATE '{days.last}'")
        # Each value with the first date it was accepted on: a record may reference what was
        # accepted on or before its own delivery date, whatever the batch's other dates.
        marks = (f"SELECT r.*, ref._value AS _referenced FROM {_PREVIOUS} r LEFT JOIN "
                 f"(SELECT {d.name_of(target)} AS _value, min({PARTITION_COLUMN}) AS _since "
                 f"FROM {pool} GROUP BY {d.name_of(target)}) ref "
                 f"ON r._rule IS NULL AND r.{v} = ref._value "
                 f"AND ref._since <= r.{DELIVERY_DATE}")
        stages.append(_Stage(
            marks, f"r.{v} IS NOT NULL AND r._referenced IS NULL",
            rules.rule_id(rules.UNKNOWN_REFERENCE, column.name),
            _concat(d.literal(f"{column.name}="), f"CAST(r.{v} AS STRING)",
                    d.literal(f" is not a {target} of accepted {source} up to "),
                    f"CAST(r.{DELIVERY_DATE} AS STRING)")))
    return stages


def _duplicate_stage(contract: Contract, d: Dialect, days: DeliveryDates,
                     ingest: IngestSettings, accepted: Callable[[str], str]) -> _Stage:
    """Repeats within a delivery, and (events) replays of a key accepted on an earlier date.

    An earlier date is either in the lake (before the batch) or in the batch itself, where the
    key's first delivery date is the one its accepted record came on: the batch of several
    dates then judges each record as the dates judged one by one would.
    """
    keys = [d.name_of(name) for name in contract.key]
    by_key = "PARTITION BY r._rule IS NULL, " + ", ".join(f"r.{k}" for k in keys)
    window = (f"WINDOW _by_key AS ({by_key}, r.{DELIVERY_DATE} ORDER BY r._file, r._line), "
              f"_by_key_all AS ({by_key})")
    replay_join, lake_replay = "", "CAST(NULL AS DATE)"
    batch_replay = "CAST(NULL AS DATE)"
    if contract.kind == "event":
        since = days.first - dt.timedelta(days=ingest.replay_lookback_days)
        earlier = _accepted_where(accepted, contract.name, f"{PARTITION_COLUMN} >= DATE "
                                  f"'{since}' AND {PARTITION_COLUMN} < DATE '{days.first}'")
        key_list = ", ".join(keys)
        replay_join = (f"LEFT JOIN (SELECT {key_list}, max({PARTITION_COLUMN}) AS _replayed_on "
                       f"FROM {earlier} GROUP BY {key_list}) h ON r._rule IS NULL AND "
                       + " AND ".join(f"r.{k} = h.{k}" for k in keys))
        lake_replay = "h._replayed_on"
        batch_replay = f"min(r.{DELIVERY_DATE}) OVER _by_key_all"
    marks = (f"SELECT r.*, row_number() OVER _by_key AS _key_rank, "
             f"first_value(r._file) OVER _by_key AS _first_file, "
             f"first_value(r._line) OVER _by_key AS _first_line, "
             f"{lake_replay} AS _lake_replayed_on, {batch_replay} AS _first_delivery "
             f"FROM {_PREVIOUS} r {replay_join} {window}")
    lookback_start = f"date_add(r.{DELIVERY_DATE}, -{ingest.replay_lookback_days})"
    replayed_on = (f"(CASE WHEN r._first_delivery < r.{DELIVERY_DATE} AND r._first_delivery >= "
                   f"{lookback_start} THEN r._first_delivery WHEN r._lake_replayed_on >= "
                   f"{lookback_start} THEN r._lake_replayed_on END)")
    key_text = _key_text(d, contract.key)
    repeated = _concat(d.literal("key ("), key_text, d.literal(") repeats "), "r._first_file",
                       d.literal(":"), "CAST(r._first_line AS STRING)")
    replayed = _concat(d.literal("key ("), key_text, d.literal(") was already accepted on "),
                       f"CAST({replayed_on} AS STRING)")
    detail = f"CASE WHEN r._key_rank > 1 THEN {repeated} ELSE {replayed} END"
    return _Stage(marks, f"r._key_rank > 1 OR {replayed_on} IS NOT NULL", rules.DUPLICATE_KEY,
                  detail)


def _identity_stages(contract: Contract, d: Dialect, days: DeliveryDates,
                     accepted: Callable[[str], str]) -> list[_Stage]:
    stages = []
    entity = entity_columns(contract)
    owner_sql = ("CAST({p}" + d.name_of(entity[0]) + " AS STRING)" if len(entity) == 1
                 else "concat_ws('|', " + ", ".join(
                     f"CAST({{p}}{d.name_of(name)} AS STRING)" for name in entity) + ")")
    for name in contract.unique_identity:
        column = contract.column(name)
        identity = d.name_of(column.curated_name)
        history = _accepted_where(
            accepted, contract.name,
            f"{PARTITION_COLUMN} < DATE '{days.first}' AND {identity} IS NOT NULL")
        marks = (f"SELECT r.*, first_value({owner_sql.format(p='r.')}) OVER _by_identity "
                 f"AS _first_owner, o._owner FROM {_PREVIOUS} r LEFT JOIN "
                 f"(SELECT {identity}, min({owner_sql.format(p='')}) AS _owner FROM {history} "
                 f"GROUP BY {identity}) o ON r._rule IS NULL AND r.{identity} = o.{identity} "
                 f"WINDOW _by_identity AS (PARTITION BY r._rule IS NULL, r.{identity} "
                 f"ORDER BY r.{DELIVERY_DATE}, r._file, r._line)")
        owner = "coalesce(r._owner, r._first_owner)"
        stages.append(_Stage(
            marks, f"r.{identity} IS NOT NULL AND {owner_sql.format(p='r.')} <> {owner}",
            rules.rule_id(rules.IDENTITY_CONFLICT, name),
            _concat(d.literal(f"{name}="), _shown(column, f"CAST(r.{identity} AS STRING)", d),
                    d.literal(f" already belongs to {'|'.join(entity)}="), owner)))
    return stages


def _record_stage_sql(contract: Contract, d: Dialect, checks: Sequence[RecordCheck],
                      batch: str, carry: Sequence[str]) -> list[tuple[str, str]]:
    """CTEs of the per-record checks; raw values and ``_raw`` end here.

    Values are cast once (``_typed``) and the CSV shape is measured once, so the checks, the
    details and the curated columns share them instead of recomputing them.
    """
    values = ", ".join(f"NULLIF({d.name_of(c.name)}, '') AS {d.name_of(c.name)}"
                       for c in contract.columns)
    tokens = "".join(f"{d.name_of(c.curated_name)}, " for c in contract.pii_columns)
    extra = d.list_without("_field_names", contract.column_names)
    carried = "".join(f"{d.name_of(name)}, " for name in carry)
    unquoted = (f", {_unquoted_sql(d, '_raw')} AS _unquoted" if contract.format == "csv"
                else "")
    parsed = (f"SELECT _file, _line, _raw, _field_names, {DELIVERY_DATE}, {carried}{tokens}"
              f"{values}, {extra} AS _extra_columns{unquoted} FROM {batch}")
    typed = [f"{typed_value_sql(c, d.name_of(c.name))} AS {d.name_of(typed_name(c))}"
             for c in contract.columns if c.type != "string"]
    if contract.format == "csv":
        typed += [f"{_field_count_sql('_unquoted')} AS _field_count",
                  f"{_stray_quote_sql(d, '_unquoted')} AS _stray_quote"]
    typed_stage = f"SELECT {', '.join(['*', *typed])} FROM _parsed"
    rule_case = " ".join(f"WHEN {c.broken_sql} THEN {d.literal(c.rule)}" for c in checks)
    checked = f"SELECT *, CASE {rule_case} END AS _row_rule FROM _typed"
    curated = ", ".join(
        d.name_of(c.curated_name) if c.pii
        else d.name_of(c.name) if c.type == "string"
        else f"{d.name_of(typed_name(c))} AS {d.name_of(c.name)}"
        for c in contract.columns)
    detail_case = " ".join(f"WHEN {d.literal(c.rule)} THEN {c.detail_sql}" for c in checks)
    records = (f"SELECT _file, _line, {DELIVERY_DATE}, {carried}{curated}, _extra_columns, "
               f"_row_rule AS _rule, "
               f"CASE _row_rule {detail_case} END AS _detail FROM _checked")
    return [("_parsed", parsed), ("_typed", typed_stage), ("_checked", checked),
            ("_records", records)]


def validation_query(contract: Contract, *, days: DeliveryDates, ingest: IngestSettings,
                     dialect: str | Dialect, batch: str, accepted: Callable[[str], str],
                     carry: Sequence[str] = ()) -> str:
    """One SELECT judging every record of ``batch`` (see the module docstring).

    ``accepted(source)`` names the relation of a source's accepted rows (with ``dt``), e.g.
    ``lake.trades``. The result has ``_file``, ``_line``, ``_delivery_date``, the ``carry``
    columns, the curated contract columns (typed; PII as ``<name>_token``),
    ``_extra_columns``, ``_rule`` and ``_detail``, one row per batch record.
    """
    d = get_dialect(dialect)
    passthrough = ["_file", "_line", DELIVERY_DATE, *(d.name_of(n) for n in carry),
                   *(d.name_of(c.curated_name) for c in contract.columns), "_extra_columns"]
    ctes = _record_stage_sql(contract, d, record_checks(contract, d, ingest),
                             batch, carry)
    stages = [*_reference_stages(contract, d, days, accepted),
              _duplicate_stage(contract, d, days, ingest, accepted),
              *_identity_stages(contract, d, days, accepted)]
    columns = ", ".join(f"r.{name}" for name in passthrough)
    previous = "_records"
    for index, stage in enumerate(stages):
        ctes.append((f"_marks_{index}", stage.marks_sql.replace(_PREVIOUS, previous)))
        ctes.append((f"_stage_{index}", (
            f"SELECT {columns}, CASE WHEN r._rule IS NOT NULL THEN r._rule "
            f"WHEN {stage.broken_sql} THEN {d.literal(stage.rule)} END AS _rule, "
            f"CASE WHEN r._rule IS NOT NULL THEN r._detail WHEN {stage.broken_sql} "
            f"THEN {stage.detail_sql} END AS _detail FROM _marks_{index} r")))
        previous = f"_stage_{index}"
    body = ",\n".join(f"{name} AS (\n  {sql}\n)" for name, sql in ctes)
    return f"WITH {body}\nSELECT * FROM {previous}"
