"""The DuckDB reference ingest on generated landing zones and on hand-made files."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from profilehub import rules
from profilehub.contracts import CONTRACTS, CUSTOMERS, WEALTH_PRODUCTS
from profilehub.duckdb_ingest import ReferenceIngestError, ingest_range
from profilehub.generator import generate
from profilehub.pii import NATIONAL_ID_LIKE, PHONE_LIKE, token
from profilehub.settings import Paths, load_settings
from spark.ingest.tables import QUARANTINE_COLUMNS, lake_columns

START = dt.date(2026, 10, 1)
DAYS = 2
END = START + dt.timedelta(days=DAYS - 1)


def _generated(tmp_path_factory, name: str, dirty_rate: float):
    root = tmp_path_factory.mktemp(name)
    settings = load_settings({"PROFILEHUB_DATA_ROOT": str(root)})
    report = generate(settings.paths, customers=150, days=DAYS, seed=4, dirty_rate=dirty_rate,
                      start=START, progress=False)
    output = root.parent / f"{root.name}-reference"
    result = ingest_range(settings, output, start=START, end=END)
    return settings, report, Paths(output), result


@pytest.fixture(scope="module")
def dirty(tmp_path_factory):
    return _generated(tmp_path_factory, "dirty", dirty_rate=0.02)


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    return _generated(tmp_path_factory, "clean", dirty_rate=0.0)


def _rows(folder: Path, pattern: str) -> list[dict]:
    return [row for path in sorted(folder.glob(pattern))
            for row in pq.read_table(path).to_pylist()]


def test_every_manifest_defect_is_quarantined_at_its_line_with_its_rule(dirty):
    settings, _, output, _ = dirty
    manifest = pq.read_table(settings.paths.ground_truth / "dirty_manifest.parquet").to_pylist()
    expected = {(e["file"], e["line"]): e["expected_rule"] for e in manifest
                if e["expected_rule"] is not None}
    quarantined = _rows(output.quarantine, "source=*/dt=*/*.parquet")
    assert len(expected) > 50
    assert {(row["file"], row["line"]): row["rule"] for row in quarantined} == expected
    assert len(quarantined) == len(expected)
    assert all(row["detail"] for row in quarantined)


def test_counts_reconcile_with_the_files_and_the_partitions(dirty):
    _, report, output, result = dirty
    reconciliations = _rows(output.reconciliation, "dt=*/*.parquet")
    assert len(reconciliations) == len(result.runs) == len(CONTRACTS) * DAYS
    assert all(r["rows_in"] == r["accepted"] + r["quarantined"] and r["status"] == "ok"
               for r in reconciliations)
    rows_in = Counter()
    for r in reconciliations:
        rows_in[r["source"]] += r["rows_in"]
    assert rows_in == report.lines
    for contract in CONTRACTS:
        figures = result.by_source()[contract.name]
        lake = _rows(output.lake / contract.name, "dt=*/*.parquet")
        quarantine = _rows(output.quarantine, f"source={contract.name}/dt=*/*.parquet")
        assert (figures["accepted"], figures["quarantined"]) == (len(lake), len(quarantine))
        assert figures["rows_in"] == report.lines[contract.name] and figures["seconds"] > 0


def test_clean_data_quarantines_nothing(clean):
    _, report, output, result = clean
    assert not list(output.quarantine.glob("**/*.parquet"))
    assert all(run.reconciliation.rule_counts == {} for run in result.runs)
    assert {name: figures["accepted"] for name, figures in result.by_source().items()} == {
        contract.name: report.records[contract.name] for contract in CONTRACTS}


def test_lake_rows_carry_tokens_of_the_line_they_came_from(clean):
    settings, _, output, _ = clean
    key = settings.pii_hmac_key()
    table = pq.read_table(next((output.lake / CUSTOMERS.name).glob("dt=*/*.parquet")))
    assert table.column_names == [name for name, _ in lake_columns(CUSTOMERS)]
    for row in table.to_pylist()[:50]:
        lines = (settings.paths.landing / row["_source_file"]).read_text().splitlines()
        landed = dict(zip(lines[0].split(","), next(csv.reader([lines[row["_source_line"] - 1]])),
                          strict=True))
        assert row["account_id"] == landed["account_id"]
        for column in CUSTOMERS.pii_columns:
            assert row[column.curated_name] == token(column.pii, landed[column.name] or None, key)


def test_quarantined_raw_records_hold_no_personal_data(dirty):
    settings, _, output, _ = dirty
    records = [row["raw_record"] for row in _rows(output.quarantine, "source=*/dt=*/*.parquet")]
    assert len(records) > 50 and all(records)
    # Names and device ids of the customers file's readable lines: no pattern finds those.
    personal = duckdb.sql(
        f"SELECT DISTINCT unnest([name, device_id]) FROM read_csv("
        f"'{settings.paths.landing}/customers/*/*.csv', all_varchar = true, "
        "ignore_errors = true)").fetchall()
    personal = [value for (value,) in personal if value]
    assert len(personal) > 150
    for record in records:
        assert not re.search(PHONE_LIKE, record) and not re.search(NATIONAL_ID_LIKE, record)
        assert not any(value in record for value in personal), record
    assert [name for name, _ in QUARANTINE_COLUMNS] == pq.read_schema(
        next(output.quarantine.glob("source=*/dt=*/*.parquet"))).names


def test_a_rerun_replaces_its_partitions(dirty):
    settings, _, output, first = dirty
    again = ingest_range(settings, output.root, start=START, end=END)
    assert [run.reconciliation for run in again.runs] == [run.reconciliation
                                                           for run in first.runs]


# --- hand-made files: what the reader must get right -------------------------------------------

PRODUCT = "{code},{name},{kind},R2,{issuer},CNY,1000,2024-01-02,2026-10-01 09:00:00"


def _landing_with_products(root: Path, data: bytes, max_quarantine_rate: float):
    """Settings of a data root whose landing zone holds one catalogue file of ``data``."""
    folder = root / "landing" / WEALTH_PRODUCTS.name / f"dt={START}"
    folder.mkdir(parents=True)
    header = ",".join(WEALTH_PRODUCTS.column_names).encode()
    (folder / "part-00000.csv").write_bytes(header + b"\n" + data)
    return load_settings({"PROFILEHUB_DATA_ROOT": str(root),
                          "PROFILEHUB_MAX_QUARANTINE_RATE": str(max_quarantine_rate)})


def test_quoted_fields_bad_bytes_and_an_unterminated_last_line(tmp_path):
    lines = [PRODUCT.format(code="FD000001", name='"Fund, ""Alpha"""', kind="fund",
                            issuer="Bank"),
             # The issuer in GBK bytes, not UTF-8.
             PRODUCT.format(code="FD000002", name="Beta", kind="fund", issuer="@").encode()
             .replace(b"@", b"\xc9\xcf\xba\xa3"),
             b"",
             PRODUCT.format(code="FD000003", name="Gamma", kind="fund",
                            issuer="\u4e0a\u6d77 Bank")]
    data = b"\n".join(line if isinstance(line, bytes) else line.encode() for line in lines)
    settings = _landing_with_products(tmp_path, data, max_quarantine_rate=1.0)
    result = ingest_range(settings, tmp_path / "out", start=START, end=START)
    (run,) = result.runs
    assert run.reconciliation.rows_in == 4 and run.reconciliation.rule_counts == {
        rules.BAD_ENCODING: 1, rules.MALFORMED: 1}
    lake = _rows(tmp_path / "out" / "lake" / WEALTH_PRODUCTS.name, "dt=*/*.parquet")
    assert sorted((r["_source_line"], r["product_name"], r["issuer"]) for r in lake) == [
        (2, 'Fund, "Alpha"', "Bank"), (5, "Gamma", "\u4e0a\u6d77 Bank")]
    quarantine = _rows(tmp_path / "out" / "quarantine", "source=*/dt=*/*.parquet")
    assert sorted((r["line"], r["rule"]) for r in quarantine) == [
        (3, rules.BAD_ENCODING), (4, rules.MALFORMED)]


def test_a_partition_that_does_not_reconcile_fails_loudly_after_writing(tmp_path):
    data = "\n".join(PRODUCT.format(code=f"FD00000{n}", name="Beta", kind=kind, issuer="Bank")
                     for n, kind in enumerate(("fund", "crypto_fund"))).encode() + b"\n"
    settings = _landing_with_products(tmp_path, data, max_quarantine_rate=0.2)
    with pytest.raises(ReferenceIngestError, match=r"quarantine rate 50\.00% exceeds"):
        ingest_range(settings, tmp_path / "out", start=START, end=START)
    assert list((tmp_path / "out" / "quarantine").glob("source=*/dt=*/*.parquet"))
