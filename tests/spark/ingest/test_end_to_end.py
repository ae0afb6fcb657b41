"""End to end on generated landing data: every planted defect is quarantined exactly where and
why the generator's manifest says and nothing else is; clean data passes whole; counts
reconcile with what was written; a rerun changes nothing; no raw phone or ID number leaves the
landing zone."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from profilehub.contracts import CONTRACTS, get_contract
from profilehub.generator import GenerationReport, generate
from profilehub.generator.truth import MANIFEST_FILE
from profilehub.pii import NATIONAL_ID_LIKE, PHONE_LIKE
from profilehub.settings import Paths, Settings
from spark.ingest import IngestResult, ingest_range

pytestmark = pytest.mark.slow

CUSTOMERS, SEED, DIRTY_RATE = 300, 11, 0.02
# Replays and identities span days: three dirty days, two clean ones to show no false alarms.
DIRTY_DAYS, CLEAN_DAYS = 3, 2
DIRTY_START, CLEAN_START = dt.date(2026, 10, 1), dt.date(2026, 12, 1)
IDENTIFYING = ("phone", "national_id")
LOOKALIKE = re.compile(f"{PHONE_LIKE}|{NATIONAL_ID_LIKE}")


def dates(start: dt.date) -> list[dt.date]:
    days = DIRTY_DAYS if start == DIRTY_START else CLEAN_DAYS
    return [start + dt.timedelta(days=offset) for offset in range(days)]


@dataclass(frozen=True)
class Run:
    dirty: GenerationReport
    manifest: list[dict]
    dirty_result: IngestResult
    clean_result: IngestResult


def _generate_into(settings: Settings, root: Path, start: dt.date, rate: float):
    report = generate(Paths(root), customers=CUSTOMERS, days=len(dates(start)), seed=SEED,
                      dirty_rate=rate, start=start, progress=False)
    # Dates of the two runs differ, so both landing zones fit in the session's data root.
    shutil.copytree(report.landing, settings.paths.landing, dirs_exist_ok=True)
    return report


@pytest.fixture(scope="module")
def run(spark, spark_settings, tmp_path_factory) -> Run:
    dirty = _generate_into(spark_settings, tmp_path_factory.mktemp("dirty"), DIRTY_START,
                           DIRTY_RATE)
    _generate_into(spark_settings, tmp_path_factory.mktemp("clean"), CLEAN_START, 0.0)
    manifest = pq.read_table(dirty.ground_truth / MANIFEST_FILE).to_pylist()
    dirty_result = ingest_range(spark_settings, start=DIRTY_START, end=dates(DIRTY_START)[-1],
                                sources=None, spark=spark)
    clean_result = ingest_range(spark_settings, start=CLEAN_START, end=dates(CLEAN_START)[-1],
                                sources=None, spark=spark)
    return Run(dirty, manifest, dirty_result, clean_result)


def _between(start: dt.date) -> str:
    return f"dt BETWEEN DATE '{start}' AND DATE '{dates(start)[-1]}'"


def test_every_planted_defect_is_quarantined_at_its_line_by_its_rule(spark, run):
    expected = {(m["source"], m["file"], m["line"], m["expected_rule"]) for m in run.manifest
                if m["expected_rule"]}
    found = {(r.source, r.file, r.line, r.rule) for r in
             spark.table("lake.quarantine").where(_between(DIRTY_START)).collect()}
    assert len(expected) > 100
    assert len({rule.split(":")[0] for _, _, _, rule in expected}) >= 12  # nearly every check
    assert found - expected == set(), "quarantined although nothing was planted there"
    assert expected - found == set(), "planted but not quarantined by the expected rule"


def test_defects_that_must_be_accepted_reach_the_lake(spark, run):
    accepted_defects = [m for m in run.manifest if m["expected_rule"] is None]
    assert accepted_defects
    for m in accepted_defects:
        rows = spark.table(f"lake.{m['source']}").where(
            f"_source_file = '{m['file']}' AND _source_line = {m['line']}").count()
        assert rows == 1, m
    drifted = {(m["source"], m["delivery_date"], m["column"]) for m in accepted_defects}
    reconciled = {(r.source, r.day): r.extra_columns for r in run.dirty_result.reconciliations}
    for source, day, column in drifted:
        assert column in reconciled[(source, day)]


def test_clean_data_is_accepted_whole(spark, run):
    assert spark.table("lake.quarantine").where(_between(CLEAN_START)).count() == 0
    assert run.clean_result.reconciliations
    for r in run.clean_result.reconciliations:
        assert (r.status, r.quarantined, r.accepted) == ("ok", 0, r.rows_in), r


def test_counts_reconcile_with_what_the_generator_wrote(spark, run):
    rows_in: dict[str, int] = {}
    for r in run.dirty_result.reconciliations:
        assert r.status == "ok" and r.rows_in == r.accepted + r.quarantined, r
        rows_in[r.source] = rows_in.get(r.source, 0) + r.rows_in
        where = f"dt = DATE '{r.day}'"
        assert spark.table(f"lake.{r.source}").where(where).count() == r.accepted
        assert spark.table("lake.quarantine").where(
            f"{where} AND source = '{r.source}'").count() == r.quarantined
    assert rows_in == {source: n for source, n in run.dirty.rows_by_source().items() if n}
    table = spark.table("lake.reconciliation").where(_between(DIRTY_START))
    assert table.count() == len(run.dirty_result.reconciliations)


def _date_snapshot(spark, day: dt.date) -> dict[str, list[str]]:
    tables = [f"lake.{c.name}" for c in CONTRACTS] + ["lake.quarantine", "lake.reconciliation"]
    return {t: sorted(map(str, spark.table(t).where(f"dt = DATE '{day}'").collect()))
            for t in tables}


def test_rerunning_a_date_gives_the_same_rows(spark, spark_settings, run):
    day = dates(DIRTY_START)[1]
    before = _date_snapshot(spark, day)
    again = ingest_range(spark_settings, start=day, end=day, sources=None, spark=spark)
    assert [r.as_row() for r in again.reconciliations] == [
        r.as_row() for r in run.dirty_result.reconciliations if r.day == day]
    assert _date_snapshot(spark, day) == before


def _raw_identifiers(landing: Path) -> set[str]:
    """Every phone and ID number value the landing files hold, as delivered and normalised."""
    values: set[str] = set()
    for contract in CONTRACTS:
        columns = [c.name for c in contract.pii_columns if c.pii in IDENTIFYING]
        if not columns:
            continue
        for path in (landing / contract.name).rglob("part-*"):
            text = path.read_bytes().decode("utf-8", errors="replace")
            values.update(LOOKALIKE.findall(text))
            lines = text.splitlines()
            if contract.format == "csv":
                records = [dict(zip(lines[0].split(","), fields, strict=False))
                           for fields in csv.reader(lines[1:])]
            else:
                records = [_json_object(line) for line in lines]
            values.update(str(r[c]) for r in records for c in columns if r.get(c))
    return {v for v in values | {re.sub("[^0-9X]", "", v.upper()) for v in values}
            if len(v) >= 8}


def _json_object(line: str) -> dict:
    try:
        parsed = json.loads(line)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _parquet_text(path: Path) -> str:
    table = pq.read_table(path)
    cells = [str(value) for column in table.columns if not pa.types.is_floating(column.type)
             for value in column.to_pylist()]
    return "\n".join(cells)


def test_no_raw_phone_or_id_number_leaves_the_landing_zone(spark, spark_settings, run):
    root = spark_settings.paths.root
    raw = _raw_identifiers(spark_settings.paths.landing)
    assert len(raw) > CUSTOMERS  # every customer has both, plus partner records
    scanned = 0
    for path in root.rglob("*"):
        if not path.is_file() or path.is_relative_to(spark_settings.paths.landing):
            continue
        if path.suffix == ".parquet":
            text = _parquet_text(path)
            leaked = [value for value in raw if value in text]
        else:
            data = path.read_bytes()
            leaked = [value for value in raw if value.encode() in data]
        assert not leaked, f"{path.relative_to(root)} holds raw values such as {leaked[:3]}"
        scanned += 1
    lake_files = list(spark_settings.paths.lake.rglob("*.parquet"))
    quarantine_files = list(spark_settings.paths.quarantine.rglob("*.parquet"))
    assert len(lake_files) > 30 and quarantine_files and scanned > len(lake_files)
    assert get_contract("customers").pii_columns  # the scan covers customers' columns
