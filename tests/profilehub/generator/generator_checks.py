"""Independent checks of generated landing files, for the tests.

Records are judged by the ingest's own rules (``profilehub.validation``) as the DuckDB reference
ingest (``profilehub.duckdb_ingest``) applies them, date by date, with accepted rows kept for
references, replays and identities; layout checks and typed loading for behaviour tests
complete the toolkit.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pandas as pd

from profilehub.contracts import CONTRACTS, Contract
from profilehub.duckdb_ingest import JUDGED_TABLE, ingest_range
from profilehub.generator import GenerationReport, generate
from profilehub.landing import MAX_RECORDS_PER_FILE, delivered_dates, source_dir
from profilehub.settings import IngestSettings, Paths, Settings, load_settings
from profilehub.validation import SQL_TYPES

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


# --- the ingest's own rules, evaluated by the DuckDB reference ingest -------------------------


@dataclass
class Judgement:
    """Every record of a landing zone judged by ``profilehub.validation``, date by date, with
    the accepted rows in the ``accepted_<source>`` views of ``connection``."""

    verdicts: pd.DataFrame  # source, dt, _file, _line, _rule, _detail, _extra_columns
    connection: duckdb.DuckDBPyConnection

    def rejected(self) -> dict[tuple[str, int], str]:
        bad = self.verdicts[self.verdicts._rule.notna()]
        return dict(zip(zip(bad._file, bad._line, strict=True), bad._rule, strict=True))


def judge_landing(landing: Path, ingest: IngestSettings) -> Judgement:
    """Run the DuckDB reference ingest over every delivery date of ``landing`` (the landing
    zone of a data root) and keep the verdict of every record."""
    root = landing.parent
    settings = replace(load_settings({"PROFILEHUB_DATA_ROOT": str(root)}), ingest=ingest)
    assert settings.paths.landing == landing.resolve(), f"{landing} is not a data root's landing"
    days = sorted({day for contract in CONTRACTS for day in delivered_dates(landing, contract)})
    verdicts = []

    def keep_verdicts(contract: Contract, day: dt.date, connection) -> None:
        judged = connection.execute("SELECT _file, _line, _rule, _detail, _extra_columns "
                                    f"FROM {JUDGED_TABLE}").df()
        verdicts.append(judged.assign(source=contract.name, dt=day))

    connection = duckdb.connect()
    # Beside the data root, not in it: tests compare data roots file by file.
    output = Path(tempfile.mkdtemp(prefix=f"{root.name}-reference-ingest-", dir=root.parent))
    ingest_range(settings, output, start=days[0], end=days[-1], connection=connection,
                 on_judged=keep_verdicts)
    return Judgement(pd.concat(verdicts, ignore_index=True), connection)


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
