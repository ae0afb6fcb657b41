"""Dirty mode: realistic defects added to landing files, each one recorded with its rule.

Every defect is one *extra* line (the clean records stay untouched, so a perfect ingest of a
dirty run accepts exactly the clean run's records), built from a clean record of the same
file so that it looks real. Each carries exactly one defect and breaks no earlier rule of
``rules.RULE_ORDER``; its key is fresh (a ghost account, an unused id) unless the defect *is*
the key (exact duplicates, replays). Two kinds are whole files: a part file whose header
renames a column, and one with an added column (whose rows are clean rows moved there).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from profilehub import rules
from profilehub.contracts import (
    CUSTOMERS,
    MARKET_QUOTES,
    POSITIONS,
    TRADES,
    WEALTH_HOLDINGS,
    WEALTH_PRODUCTS,
    Column,
    Contract,
)
from profilehub.generator import calibration as cal
from profilehub.generator.identity import GHOST_ACCOUNT_BASE, reserved_identity
from profilehub.generator.randomness import stochastic_round, stream
from profilehub.generator.records import codec_for, line_starts, serialize
from profilehub.landing import DATE_FORMAT, TIMESTAMP_FORMAT

MALFORMED_LINE = "malformed_line"
BAD_ENCODING = "bad_encoding"
MISSING_KEY = "missing_key"
WRONG_TYPE = "wrong_type"
VALUE_NOT_ALLOWED = "value_not_allowed"
PATTERN_MISMATCH = "pattern_mismatch"
OUT_OF_RANGE = "out_of_range"
FUTURE_EVENT_TIME = "future_event_time"
LATE_ARRIVAL = "late_arrival"
UNKNOWN_REFERENCE = "unknown_reference"
DUPLICATE_IN_FILE = "duplicate_in_file"
REPLAYED_RECORD = "replayed_record"
IDENTITY_CONFLICT = "identity_conflict"
RENAMED_COLUMN = "renamed_column"
ADDED_COLUMN = "added_column"
DEFECT_KINDS = (
    MALFORMED_LINE, BAD_ENCODING, MISSING_KEY, WRONG_TYPE, VALUE_NOT_ALLOWED, PATTERN_MISMATCH,
    OUT_OF_RANGE, FUTURE_EVENT_TIME, LATE_ARRIVAL, UNKNOWN_REFERENCE, DUPLICATE_IN_FILE,
    REPLAYED_RECORD, IDENTITY_CONFLICT, RENAMED_COLUMN, ADDED_COLUMN,
)
FILE_DEFECTS = (RENAMED_COLUMN, ADDED_COLUMN)

# Where each defect kind is planted for sure once per run: large sources present every day.
FORCED_HOSTS = {
    MALFORMED_LINE: (TRADES, POSITIONS, MARKET_QUOTES, WEALTH_HOLDINGS),
    BAD_ENCODING: (TRADES, POSITIONS, MARKET_QUOTES, CUSTOMERS),
    MISSING_KEY: (TRADES, POSITIONS, MARKET_QUOTES, WEALTH_HOLDINGS, CUSTOMERS),
    WRONG_TYPE: (TRADES, POSITIONS, MARKET_QUOTES, WEALTH_HOLDINGS, CUSTOMERS),
    VALUE_NOT_ALLOWED: (TRADES, POSITIONS, MARKET_QUOTES),
    PATTERN_MISMATCH: (TRADES, POSITIONS, MARKET_QUOTES, WEALTH_HOLDINGS, CUSTOMERS),
    OUT_OF_RANGE: (TRADES, POSITIONS, MARKET_QUOTES, WEALTH_HOLDINGS),
    FUTURE_EVENT_TIME: (TRADES, POSITIONS, MARKET_QUOTES, WEALTH_HOLDINGS),
    LATE_ARRIVAL: (TRADES, CUSTOMERS),  # snapshots are never late: only events can be
    UNKNOWN_REFERENCE: (WEALTH_HOLDINGS,),
    DUPLICATE_IN_FILE: (TRADES, POSITIONS, MARKET_QUOTES, CUSTOMERS),
    REPLAYED_RECORD: (TRADES,),
    IDENTITY_CONFLICT: (CUSTOMERS,),
    RENAMED_COLUMN: (TRADES, POSITIONS, MARKET_QUOTES),
    ADDED_COLUMN: (TRADES, POSITIONS, MARKET_QUOTES, WEALTH_HOLDINGS),
}
# Sources whose later days are too small to host a planted defect safely.
FIRST_DAY_ONLY = (CUSTOMERS.name,)
RENAMES = {"amount": "amt", "quantity": "qty", "account_id": "acct_id", "symbol": "sec_code",
           "market_value": "mkt_value", "price": "px", "close": "close_px", "units": "unit_count",
           "trade_time": "exec_time", "sector": "industry"}
ADDED_COLUMN_NAME = "source_system"
ADDED_COLUMN_VALUE = "core_v2"
BAD_TEXT = {"int": "12x", "double": "abc", "date": "2026-13-45",
            "timestamp": "2026-13-45 25:61:00", "boolean": "maybe"}
NOT_ALLOWED = {"side": "HOLD", "risk_level": "C6", "gender": "X", "channel": "fax",
               "sector": "crypto", "txn_type": "transfer", "status": "cancelled",
               "category": "weapons", "currency": "EUR", "place_type": "stadium",
               "booking_type": "cruise", "action": "maybe", "partner_id": "unknown_partner",
               "purpose": "resale", "product_type": "crypto_fund"}
SENTINEL = "@@BAD_BYTES@@"
STRUCTURAL_BYTES = frozenset(b',"\\\n\r')


@dataclass(frozen=True)
class Defect:
    """One injected line, written right after clean row ``anchor`` (-1: before all rows)."""

    anchor: int
    line: bytes
    kind: str
    column: str | None
    rule: str | None


@dataclass(frozen=True)
class DriftFile:
    """An extra part file of a partition whose header differs from the contract."""

    header: tuple[str, ...]
    lines: tuple[bytes, ...]
    kind: str
    column: str
    rule: str | None


@dataclass
class PartitionPlan:
    """What to write for one source and date: clean rows, injected lines, drift files."""

    main_rows: int  # clean rows in the regular part files; the rest moved to a drift file
    chunk_rows: int
    defects: list[Defect] = field(default_factory=list)
    drift_files: list[DriftFile] = field(default_factory=list)


@dataclass
class _Context:
    contract: Contract
    day: dt.date
    day_index: int
    main_rows: int
    chunk_rows: int
    template: dict | None = None  # a clean record of the partition, parsed
    template_index: int = -1
    template_line: bytes = b""


def expected_rule(kind: str, column: str | None) -> str | None:
    """The rule id the ingest must quarantine a defect with (None: must be accepted)."""
    check = {
        MALFORMED_LINE: rules.MALFORMED, BAD_ENCODING: rules.BAD_ENCODING,
        MISSING_KEY: rules.NOT_NULL, WRONG_TYPE: rules.TYPE, VALUE_NOT_ALLOWED: rules.ALLOWED,
        PATTERN_MISMATCH: rules.PATTERN, OUT_OF_RANGE: rules.RANGE,
        FUTURE_EVENT_TIME: rules.FUTURE_EVENT_TIME, LATE_ARRIVAL: rules.LATE_ARRIVAL,
        UNKNOWN_REFERENCE: rules.UNKNOWN_REFERENCE, DUPLICATE_IN_FILE: rules.DUPLICATE_KEY,
        REPLAYED_RECORD: rules.DUPLICATE_KEY, IDENTITY_CONFLICT: rules.IDENTITY_CONFLICT,
        RENAMED_COLUMN: rules.MISSING_COLUMN,
    }.get(kind)
    if check is None:
        return None
    return rules.rule_id(check, column if check in rules.COLUMN_RULES else None)


def eligible_kinds(contract: Contract) -> tuple[str, ...]:
    """Defect kinds a source can carry, judged from its contract."""
    kinds = [MALFORMED_LINE, BAD_ENCODING, MISSING_KEY, WRONG_TYPE, FUTURE_EVENT_TIME,
             DUPLICATE_IN_FILE]
    columns = contract.columns
    optional = [
        # Snapshots are re-delivered daily by design: an old snapshot date is not late.
        (LATE_ARRIVAL, contract.kind == "event"),
        (VALUE_NOT_ALLOWED, any(c.allowed for c in columns)),
        (PATTERN_MISMATCH, any(c.pattern for c in columns)),
        (OUT_OF_RANGE, any(c.min is not None or c.max is not None for c in columns)),
        (UNKNOWN_REFERENCE, any(c.references for c in columns)),
        (REPLAYED_RECORD, contract.kind == "event"),
        (IDENTITY_CONFLICT, bool(contract.unique_identity)),
    ]
    return tuple(kinds + [kind for kind, ok in optional if ok])


class DirtyInjector:
    """Plans each partition's defects; remembers recent records for replays."""

    def __init__(self, seed: int, rate: float, days: int, start: dt.date,
                 max_records: int) -> None:
        self.rate, self.days, self.start, self.max_records = rate, days, start, max_records
        self.rng = stream(seed, "dirty")
        self.serial = itertools.count(1)
        self.hosts = self._forced_hosts()
        self.replay_pool: dict[str, list[tuple[int, np.ndarray, list[bytes]]]] = {}
        self.planted: Counter = Counter()

    def _forced_hosts(self) -> dict[str, tuple[str, int]]:
        hosts = {}
        for kind, contracts in FORCED_HOSTS.items():
            contract = contracts[self.rng.integers(len(contracts))]
            first = 1 if kind == REPLAYED_RECORD else 0
            if first >= self.days:
                continue  # a one-day run has nothing to replay
            last = first if contract.name in FIRST_DAY_ONLY else self.days - 1
            hosts[kind] = (contract.name, int(self.rng.integers(first, last + 1)))
        return hosts

    # --- planning --------------------------------------------------------------------------------

    def plan(self, contract: Contract, day_index: int, table: pa.Table) -> PartitionPlan:
        rows = table.num_rows
        if contract.name == WEALTH_PRODUCTS.name:  # the catalogue every reference relies on
            return PartitionPlan(rows, self.max_records)
        kinds = self._kinds(contract, day_index, rows)
        moved = min(max(1, round(0.02 * rows)), 200) if ADDED_COLUMN in kinds else 0
        plan = PartitionPlan(rows - moved, max(1, self.max_records - len(kinds) - 1))
        record_kinds = [k for k in kinds if k not in FILE_DEFECTS]
        for kind, context in zip(record_kinds, self._contexts(contract, day_index, table,
                                                              plan, len(record_kinds)),
                                 strict=True):
            defect = self._defect(kind, context)
            if defect is not None:
                plan.defects.append(defect)
                self.planted[kind] += 1
        plan.defects.sort(key=lambda d: d.anchor)
        if RENAMED_COLUMN in kinds:
            plan.drift_files.append(self._renamed_file(contract, day_index, table, plan))
        if ADDED_COLUMN in kinds:
            plan.drift_files.append(self._added_file(contract, table, plan.main_rows))
        return plan

    def _kinds(self, contract: Contract, day_index: int, rows: int) -> list[str]:
        eligible = [k for k in eligible_kinds(contract)
                    if k != REPLAYED_RECORD or self._replays(contract, day_index)]
        budget = stochastic_round(self.rng, self.rate * rows)
        budget = min(budget, int(cal.MAX_DEFECT_SHARE * rows))
        kinds = list(self.rng.choice(eligible, budget)) if budget and eligible else []
        for kind, host in sorted(self.hosts.items()):
            if host != (contract.name, day_index):
                continue
            if self._can_host(kind, contract, day_index, rows):
                kinds.append(kind)
                del self.hosts[kind]
            elif day_index + 1 < self.days and contract.name not in FIRST_DAY_ONLY:
                self.hosts[kind] = (contract.name, day_index + 1)  # try the next day
        return [str(k) for k in kinds]

    def _can_host(self, kind: str, contract: Contract, day_index: int, rows: int) -> bool:
        if kind == REPLAYED_RECORD:
            return bool(self._replays(contract, day_index))
        return rows >= (2 if kind == ADDED_COLUMN else 1)

    def _contexts(self, contract, day_index, table, plan, count) -> list[_Context]:
        """One context per defect, each with a random clean template row (if there is any)."""
        day = self.start + dt.timedelta(days=day_index)
        if plan.main_rows == 0:
            return [_Context(contract, day, day_index, 0, plan.chunk_rows)] * count
        index = self.rng.integers(0, plan.main_rows, count)
        data = serialize(contract, table.take(pa.array(index)))
        starts = line_starts(data)
        codec = codec_for(contract)
        contexts = []
        for position, row in enumerate(index):
            line = data[starts[position]: starts[position + 1]]
            contexts.append(_Context(contract, day, day_index, plan.main_rows, plan.chunk_rows,
                                     codec.parse(line), int(row), line))
        return contexts

    # --- defects ---------------------------------------------------------------------------------

    def _defect(self, kind: str, context: _Context) -> Defect | None:
        if kind == REPLAYED_RECORD:
            return self._replay(context)
        if context.template is None:
            return None
        if kind == DUPLICATE_IN_FILE:
            return Defect(self._anchor_after(context), context.template_line, kind, None,
                          expected_rule(kind, None))
        if kind == IDENTITY_CONFLICT:
            return self._identity_conflict(context)
        record = self._fresh(context)
        line, column = MUTATORS[kind](self, context, record)
        return Defect(self._anchor(context), line, kind, column, expected_rule(kind, column))

    def _anchor(self, context: _Context) -> int:
        return int(self.rng.integers(-1, context.main_rows))

    def _anchor_after(self, context: _Context) -> int:
        """A position later in the same part file than the template row."""
        chunk_end = (context.template_index // context.chunk_rows + 1) * context.chunk_rows
        last = min(chunk_end, context.main_rows, context.template_index + 50) - 1
        return int(self.rng.integers(context.template_index, last + 1))

    def _fresh(self, context: _Context) -> dict:
        """A copy of the template under a key no clean record has."""
        record, contract = dict(context.template), context.contract
        serial = next(self.serial)
        if "account_id" in contract.key:
            record["account_id"] = f"A{GHOST_ACCOUNT_BASE + serial:09d}"
            if contract.name == CUSTOMERS.name:
                birth = np.datetime64(record["birth_date"] or "1990-01-01")
                record.update(reserved_identity(serial, birth, record["gender"] == "M"))
        elif "symbol" in contract.key:
            record["symbol"] = f"99{serial % 10_000:04d}"
        else:
            (key,) = contract.key
            record[key] = f"{record[key][:-10]}9{serial % 10**9:09d}"
        return record

    def _replay(self, context: _Context) -> Defect | None:
        candidates = self._replays(context.contract, context.day_index)
        if not candidates:
            return None
        line = candidates[int(self.rng.integers(len(candidates)))]
        return Defect(self._anchor(context), line, REPLAYED_RECORD, None,
                      expected_rule(REPLAYED_RECORD, None))

    def _identity_conflict(self, context: _Context) -> Defect:
        """A new account opened with the ID number of the (earlier) template account."""
        owner = context.template
        record = self._fresh(context)
        for column in ("national_id", "birth_date", "gender"):
            record[column] = owner[column]
        column = context.contract.unique_identity[0]
        return Defect(self._anchor_after(context), codec_for(context.contract).encode(record),
                      IDENTITY_CONFLICT, column, expected_rule(IDENTITY_CONFLICT, column))

    # --- whole-file drift ------------------------------------------------------------------------

    def _renamed_file(self, contract, day_index, table, plan) -> DriftFile:
        column = str(self.rng.choice(contract.column_names))
        header = tuple(RENAMES.get(column, f"{column}_v2") if name == column else name
                       for name in contract.column_names)
        count = 1 + (table.num_rows >= 200) + (table.num_rows >= 2000)
        contexts = self._contexts(contract, day_index, table, plan, count)
        codec = codec_for(contract)
        lines = tuple(codec.encode(self._fresh(c)) for c in contexts)
        self.planted[RENAMED_COLUMN] += len(lines)
        return DriftFile(header, lines, RENAMED_COLUMN, column,
                         expected_rule(RENAMED_COLUMN, column))

    def _added_file(self, contract, table, main_rows) -> DriftFile:
        data = serialize(contract, table.slice(main_rows))
        suffix = f",{ADDED_COLUMN_VALUE}\n".encode()
        lines = tuple(line + suffix for line in data.split(b"\n")[:-1])
        self.planted[ADDED_COLUMN] += len(lines)
        return DriftFile((*contract.column_names, ADDED_COLUMN_NAME), lines, ADDED_COLUMN,
                         ADDED_COLUMN_NAME, None)

    # --- replays ---------------------------------------------------------------------------------

    def remember(self, contract: Contract, day_index: int, table: pa.Table) -> None:
        """Keep a few of today's records for replays on the next two days."""
        if contract.kind != "event" or table.num_rows == 0:
            return
        index = self.rng.choice(table.num_rows, min(cal.REPLAY_POOL_SIZE, table.num_rows),
                                replace=False)
        sample = table.take(pa.array(np.sort(index)))
        event_dates = pc.cast(sample.column(contract.event_time), pa.date32()).to_numpy(False)
        data = serialize(contract, sample)
        starts = line_starts(data)
        lines = [data[starts[i]: starts[i + 1]] for i in range(sample.num_rows)]
        pool = [entry for entry in self.replay_pool.get(contract.name, [])
                if entry[0] >= day_index - 1]
        self.replay_pool[contract.name] = [*pool, (day_index, event_dates, lines)]

    def _replays(self, contract: Contract, day_index: int) -> list[bytes]:
        """Earlier deliveries' lines that are not late when replayed today."""
        oldest = np.datetime64(self.start + dt.timedelta(days=day_index - 2), "D")
        found = []
        for delivered, dates, lines in self.replay_pool.get(contract.name, []):
            if day_index - 2 <= delivered < day_index:
                found += [line for line, d in zip(lines, dates, strict=True) if d >= oldest]
        return found


# --- single-record mutators: (injector, context, fresh record) -> (line, column) ---------------


def _columns(contract: Contract, test) -> list[Column]:
    return [c for c in contract.columns if test(c)]


def _choose(injector: DirtyInjector, columns: list[Column]) -> Column:
    return columns[int(injector.rng.integers(len(columns)))]


def _malformed(injector, context, record):
    codec = codec_for(context.contract)
    line = codec.encode(record).decode("utf-8").rstrip("\n")
    if context.contract.format == "jsonl":
        return (line[: len(line) * 2 // 3] + "\n").encode(), None
    if injector.rng.random() < 0.5:  # a truncated line: the last field is missing
        return (line.rsplit(",", 1)[0] + "\n").encode(), None
    column = _choose(injector, _text_columns(context.contract, record))
    record[column.name] = f"{record[column.name]},{record[column.name]}"  # an unquoted comma
    return (",".join(str(record[c]) if record[c] is not None else ""
                     for c in context.contract.column_names) + "\n").encode(), None


def _text_columns(contract: Contract, record: dict) -> list[Column]:
    strings = _columns(contract, lambda c: c.type == "string" and record[c.name] is not None)
    free = [c for c in strings if c.name not in contract.key and not c.pattern and not c.allowed]
    unkeyed = [c for c in strings if c.name not in contract.key]
    return free or unkeyed or strings


def _invalid_bytes(value: str) -> bytes:
    """The value as a legacy system would send it: GBK bytes, or a stray Latin-1 byte."""
    try:
        raw = value.encode("gbk")
        raw.decode("utf-8")
    except UnicodeDecodeError:
        if not STRUCTURAL_BYTES.intersection(raw):
            return raw
    except UnicodeEncodeError:
        pass
    return value.encode("utf-8") + b"\xff"


def _bad_encoding(injector, context, record):
    column = _choose(injector, _text_columns(context.contract, record))
    raw = _invalid_bytes(str(record[column.name]))
    record[column.name] = SENTINEL
    line = codec_for(context.contract).encode(record).replace(SENTINEL.encode(), raw)
    return line, None


def _missing_key(injector, context, record):
    column = context.contract.key[int(injector.rng.integers(len(context.contract.key)))]
    record[column] = None
    return codec_for(context.contract).encode(record), column


def _wrong_type(injector, context, record):
    column = _choose(injector, _columns(context.contract, lambda c: c.type != "string"))
    record[column.name] = BAD_TEXT[column.type]
    return codec_for(context.contract).encode(record), column.name


def _not_allowed(injector, context, record):
    column = _choose(injector, _columns(context.contract, lambda c: c.allowed))
    value = NOT_ALLOWED.get(column.name, "unknown_value")
    if value in column.allowed:
        raise ValueError(f"{column.name}: the stand-in bad value {value!r} is allowed")
    record[column.name] = value
    return codec_for(context.contract).encode(record), column.name


def _pattern(injector, context, record):
    column = _choose(injector, _columns(context.contract, lambda c: c.pattern))
    value = str(record[column.name])[:-1]  # a truncated code breaks every fixed-width pattern
    if re.fullmatch(column.pattern, value):
        value += "#"
    record[column.name] = value
    return codec_for(context.contract).encode(record), column.name


def _out_of_range(injector, context, record):
    numeric = _columns(context.contract, lambda c: c.min is not None or c.max is not None)
    column = _choose(injector, numeric)
    below = column.min is not None and (column.max is None or injector.rng.random() < 0.5)
    current = abs(float(record[column.name] or 0))
    value = column.min - current - 1 if below else column.max * 10 + 1
    record[column.name] = int(value) if column.type == "int" else round(value, 2)
    return codec_for(context.contract).encode(record), column.name


def _shift_event_time(context, record, days: int) -> bytes:
    column = context.contract.column(context.contract.event_time)
    fmt = TIMESTAMP_FORMAT if column.type == "timestamp" else DATE_FORMAT
    original = dt.datetime.strptime(record[column.name], fmt)
    moved = dt.datetime.combine(context.day + dt.timedelta(days=days), original.time())
    record[column.name] = moved.strftime(fmt)
    return codec_for(context.contract).encode(record)


def _future(injector, context, record):
    days = int(injector.rng.integers(cal.FUTURE_SHIFT_DAYS[0], cal.FUTURE_SHIFT_DAYS[1] + 1))
    return _shift_event_time(context, record, days), context.contract.event_time


def _late(injector, context, record):
    days = int(injector.rng.integers(cal.LATE_SHIFT_DAYS[0], cal.LATE_SHIFT_DAYS[1] + 1))
    return _shift_event_time(context, record, -days), context.contract.event_time


def _unknown_reference(injector, context, record):
    column = _choose(injector, _columns(context.contract, lambda c: c.references))
    code = str(record[column.name])
    record[column.name] = f"{code[:2]}99{int(injector.rng.integers(10_000)):04d}"
    return codec_for(context.contract).encode(record), column.name


MUTATORS = {
    MALFORMED_LINE: _malformed, BAD_ENCODING: _bad_encoding, MISSING_KEY: _missing_key,
    WRONG_TYPE: _wrong_type, VALUE_NOT_ALLOWED: _not_allowed, PATTERN_MISMATCH: _pattern,
    OUT_OF_RANGE: _out_of_range, FUTURE_EVENT_TIME: _future, LATE_ARRIVAL: _late,
    UNKNOWN_REFERENCE: _unknown_reference,
}
