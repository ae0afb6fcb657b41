"""Independent checks of generated landing files, for the tests.

Records are judged by the ingest's own rules (``profilehub.validation``) evaluated by DuckDB,
date by date, with accepted rows kept for references, replays and identities; layout checks
and typed loading for behaviour tests complete the toolkit.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from profilehub.contracts import CONTRACTS, Contract
from profilehub.dbt_sources import PARTITION_COLUMN
from profilehub.generator import GenerationReport, generate
from profilehub.landing import (
    MAX_RECORDS_PER_FILE,
    delivered_dates,
    list_partition_files,
    source_dir,
)
from profilehub.pii import token
from profilehub.settings import IngestSettings, Paths, Settings, load_settings
from profilehub.validation import SQL_TYPES, validation_query

PART_NAME = re.compile(r"part-[0-9]{5}\.(csv|jsonl)")
START = dt.date(2026, 10, 1)


@dataclass(frozen=True)
class Run:
    """One generator run into a private data root."""

    settings: Settings
    report: GenerationReport

    @property
    def paths(self) -> Paths:
        return self.settings.paths


def run_generator(tmp_path_factory, name: str, **arguments) -> Run:
    root = tmp_path_factory.mktemp(name)
    settings = load_settings({"PROFILEHUB_DATA_ROOT": str(root)})
    report = generate(settings.paths, start=START, progress=False, **arguments)
    return Run(settings, report)


def source_files(landing: Path, contract: Contract) -> list[Path]:
    return sorted(source_dir(landing, contract).glob(f"dt=*/part-*.{contract.format}"))


def delivery_date(path: Path) -> dt.date:
    return dt.date.fromisoformat(path.parent.name.removeprefix("dt="))


def data_lines(path: Path, contract: Contract) -> list[bytes]:
    lines = path.read_bytes().split(b"\n")[:-1]
    return lines[1:] if contract.format == "csv" else lines


# --- layout ---------------------------------------------------------------------------------


def layout_violations(landing: Path) -> list[str]:
    """File names, headers, JSON keys and file sizes as landing.py prescribes."""
    found = []
    for contract in CONTRACTS:
        files = source_files(landing, contract)
        if not files:
            found.append(f"{contract.name}: no files")
        for path in files:
            found += _file_violations(path, contract)
    return found


def _file_violations(path: Path, contract: Contract) -> list[str]:
    found = []
    if not PART_NAME.fullmatch(path.name):
        found.append(f"{path}: bad file name")
    raw = path.read_bytes()
    if raw and not raw.endswith(b"\n"):
        found.append(f"{path}: last line not terminated")
    lines = raw.split(b"\n")[:-1]
    if contract.format == "csv":
        if lines[0].decode() != ",".join(contract.column_names):
            found.append(f"{path}: header {lines[0]!r}")
        lines = lines[1:]
    else:
        found += [f"{path}:{n}: keys" for n, line in enumerate(lines, 1)
                  if list(json.loads(line)) != list(contract.column_names)]
    if len(lines) > MAX_RECORDS_PER_FILE:
        found.append(f"{path}: {len(lines)} records")
    return found


# --- the ingest's own rules, evaluated by DuckDB ---------------------------------------------

TEST_KEY = b"generator-test-key"


@dataclass
class Judgement:
    """Every record of a landing zone judged by ``profilehub.validation``, date by date, with
    the accepted rows kept in ``accepted_<source>`` tables of ``connection``."""

    verdicts: pd.DataFrame  # source, dt, _file, _line, _rule, _detail, _extra_columns
    connection: duckdb.DuckDBPyConnection

    def rejected(self) -> dict[tuple[str, int], str]:
        bad = self.verdicts[self.verdicts._rule.notna()]
        return dict(zip(zip(bad._file, bad._line, strict=True), bad._rule, strict=True))


def _json_text(value):
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value) if isinstance(value, bool | dict | list) else str(value)


def _file_records(landing: Path, path: Path, contract: Contract) -> list[dict]:
    lines = path.read_bytes().split(b"\n")[:-1]
    relative = path.relative_to(landing).as_posix()
    header = None
    if contract.format == "csv":
        header = next(csv.reader([lines[0].decode("utf-8", "replace")]))
        lines = lines[1:]
    records = []
    for offset, raw in enumerate(lines):
        text = raw.decode("utf-8", "replace")  # as the engines read: bad bytes become U+FFFD
        if header is not None:
            names, values = header, dict(zip(header, next(csv.reader([text]), []),
                                             strict=False))
        else:
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = None
            names = list(parsed) if isinstance(parsed, dict) else None
            values = {k: _json_text(v) for k, v in (parsed or {}).items()} if names else {}
        record = {"_file": relative, "_line": offset + (2 if header else 1), "_raw": text,
                  "_field_names": names}
        record.update({name: values.get(name) for name in contract.column_names})
        for column in contract.pii_columns:
            record[column.curated_name] = token(column.pii, record[column.name] or None,
                                                TEST_KEY)
        records.append(record)
    return records


def _batch_table(contract: Contract, records: list[dict]) -> pa.Table:
    names = ["_file", "_line", "_raw", "_field_names", *contract.column_names,
             *(c.curated_name for c in contract.pii_columns)]
    types = {"_line": pa.int64(), "_field_names": pa.list_(pa.string())}
    return pa.table({name: pa.array([r[name] for r in records], types.get(name, pa.string()))
                     for name in names})


def _create_accepted_tables(con) -> None:
    for contract in CONTRACTS:
        columns = [(c.curated_name, "VARCHAR" if c.pii else SQL_TYPES[c.type])
                   for c in contract.columns] + [(PARTITION_COLUMN, "DATE")]
        con.execute(f"CREATE TABLE accepted_{contract.name} (" + ", ".join(
            f'"{name}" {kind}' for name, kind in columns) + ")")


def _judge_partition(con, landing: Path, contract: Contract, day: dt.date,
                     ingest: IngestSettings) -> pd.DataFrame:
    records = [r for path in list_partition_files(landing, contract, day)
               for r in _file_records(landing, path, contract)]
    con.register("batch", _batch_table(contract, records))
    query = validation_query(contract, day=day, ingest=ingest, dialect="duckdb", batch="batch",
                             accepted=lambda source: f"accepted_{source}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE judged AS {query}")
    curated = ", ".join(f'"{c.curated_name}"' for c in contract.columns)
    con.execute(f"INSERT INTO accepted_{contract.name} SELECT {curated}, DATE '{day}' "
                "FROM judged WHERE _rule IS NULL")
    verdicts = con.execute("SELECT _file, _line, _rule, _detail, _extra_columns FROM judged"
                           ).df()
    return verdicts.assign(source=contract.name, dt=day)


def judge_landing(landing: Path, ingest: IngestSettings) -> Judgement:
    """Judge every delivery date in order, sources in contract order (the catalogue before
    the holdings that reference it), as the ingest would."""
    con = duckdb.connect()
    con.execute("SET threads = 1")
    _create_accepted_tables(con)
    days = sorted({day for contract in CONTRACTS for day in delivered_dates(landing, contract)})
    verdicts = [_judge_partition(con, landing, contract, day, ingest)
                for day in days for contract in CONTRACTS]
    return Judgement(pd.concat(verdicts, ignore_index=True), con)


# --- typed loading for behaviour tests ---------------------------------------------------------

LOAD_TYPES = {**SQL_TYPES, "string": "VARCHAR"}


def load_source(landing: Path, contract: Contract) -> pd.DataFrame:
    """All records of a clean source as a DataFrame typed by the contract, plus the
    ``delivery_date`` of each record."""
    pattern = (source_dir(landing, contract) / f"dt=*/part-*.{contract.format}").as_posix()
    columns = "{" + ", ".join(f"'{c.name}': '{LOAD_TYPES[c.type]}'"
                              for c in contract.columns) + "}"
    if contract.format == "csv":
        reader = (f"read_csv('{pattern}', header=true, auto_detect=false, delim=',', "
                  f"quote='\"', escape='\"', columns={columns}, filename=true, "
                  "hive_partitioning=false)")
    else:
        reader = (f"read_json('{pattern}', format='newline_delimited', columns={columns}, "
                  "filename=true, hive_partitioning=false)")
    names = ", ".join(f'"{c.name}"' for c in contract.columns)
    delivered = "CAST(regexp_extract(filename, 'dt=([0-9-]{10})', 1) AS DATE) AS delivery_date"
    con = duckdb.connect()
    con.execute("SET threads = 1")
    return con.execute(f"SELECT {names}, {delivered} FROM {reader}").df()
