"""``dbt build --select staging`` on tiny lake tables: staging views and all source tests pass.

The lake tables are written here with Spark, in the curated layout the ingest produces (the
contract's curated columns, the lineage columns and a ``dt`` partition), with values derived
from each contract so that every contract-derived data test has something to check. Then a
defect is planted to show the source tests really fail.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from profilehub import contracts
from profilehub.contracts import CONTRACTS, Column, Contract
from profilehub.dbt_runner import run_dbt
from profilehub.dbt_sources import (
    LAKE_SCHEMA,
    PARTITION_COLUMN,
    SOURCE_FILE_COLUMN,
    SOURCE_LINE_COLUMN,
)
from profilehub.settings import Settings, load_settings

pytestmark = pytest.mark.slow

ROWS_PER_DAY = 5
DAYS = (dt.date(2026, 10, 1), dt.date(2026, 10, 2))
# A value matching each contract pattern for row i; a new pattern fails here until added.
PATTERN_EXAMPLES: dict[str, Callable[[int], str]] = {
    contracts.ACCOUNT_ID: lambda i: f"A{i:09d}",
    contracts.SYMBOL: lambda i: f"{600000 + i}",
    contracts.PRODUCT_CODE: lambda i: f"FD{i:06d}",
    r"[A-Z]{2}": lambda i: ("JP", "CN", "TH")[i % 3],
    r"v[0-9]+\.[0-9]+": lambda i: f"v{i % 3 + 1}.{i % 10}",
}
SPARK_TYPES = {"string": "string", "int": "int", "double": "double", "date": "date",
               "timestamp": "timestamp", "boolean": "boolean"}


def _value(column: Column, row: int, day: dt.date, snapshot: bool) -> object:
    if column.pii:
        return f"{column.pii}-token-{row:04d}"
    if column.references:
        # Every referenced key exists: the referenced snapshot holds rows 0..ROWS_PER_DAY-1.
        row %= ROWS_PER_DAY
    if column.allowed:
        return column.allowed[row % len(column.allowed)]
    if column.pattern:
        return PATTERN_EXAMPLES[column.pattern](row)
    if column.type in ("int", "double"):
        low = column.min if column.min is not None else 0
        high = column.max if column.max is not None else low + 1000
        value = low + (high - low) * (row % 7 + 1) / 10
        return int(value) if column.type == "int" else round(value, 2)
    if column.type == "date":
        # Snapshot dates are the delivery date; other dates just need to be plausible.
        return day if snapshot else day - dt.timedelta(days=30 + row)
    if column.type == "timestamp":
        return dt.datetime.combine(day, dt.time(9, 30)) + dt.timedelta(minutes=row)
    if column.type == "boolean":
        return row % 2 == 0
    return f"{column.name}-{row:04d}"


def _rows(contract: Contract, day_index: int, day: dt.date) -> list[tuple]:
    snapshot = contract.kind == "snapshot"
    rows = []
    for n in range(ROWS_PER_DAY):
        # Events get fresh ids every day; snapshots re-deliver the same keys.
        row = n if snapshot else day_index * ROWS_PER_DAY + n
        values = [_value(column, row, day, snapshot) for column in contract.columns]
        rows.append((*values, f"landing/{contract.name}/dt={day}/part-00000", n + 2, day))
    return rows


def _write_lake_table(spark, contract: Contract) -> None:
    columns = [f"`{c.curated_name}` {SPARK_TYPES[c.type]}" for c in contract.columns]
    schema = ", ".join([*columns, f"{SOURCE_FILE_COLUMN} string", f"{SOURCE_LINE_COLUMN} long",
                        f"{PARTITION_COLUMN} date"])
    rows = [row for i, day in enumerate(DAYS) for row in _rows(contract, i, day)]
    (spark.createDataFrame(rows, schema).write.mode("overwrite").format("parquet")
     .partitionBy(PARTITION_COLUMN).saveAsTable(f"{LAKE_SCHEMA}.{contract.name}"))


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, object]]:
    from spark.session import spark_session

    root: Path = tmp_path_factory.mktemp("data")
    settings = load_settings({"PROFILEHUB_DATA_ROOT": str(root)})
    spark = spark_session(settings, "test-dbt-staging")
    try:
        spark.sql(f"create database if not exists {LAKE_SCHEMA}")
        for contract in CONTRACTS:
            _write_lake_table(spark, contract)
        yield settings, spark
    finally:
        spark.stop()


def _failed(result) -> list[str]:
    return [f"{r.node.name}: {r.status} {r.message}" for r in result.result
            if r.status not in ("pass", "success")]


def test_dbt_build_staging_passes_on_contract_shaped_lake_tables(lake):
    settings, spark = lake
    started = time.perf_counter()
    result = run_dbt(["build", "--select", "staging"], settings)
    seconds = time.perf_counter() - started
    print(f"dbt build --select staging: {seconds:.1f} s, {len(result.result)} nodes")
    assert result.success, _failed(result)

    kinds = {r.node.resource_type for r in result.result}
    assert {"model", "test"} <= kinds
    source_tests = [r for r in result.result if r.node.resource_type == "test"
                    and any(p.startswith("source.") for p in r.node.depends_on.nodes)]
    assert len(source_tests) > 80, "source tests were not selected by --select staging"
    never_null = {r.node.name for r in source_tests
                  if r.node.test_metadata.name == "not_null_columns"}
    assert len(never_null) == len(CONTRACTS)

    trades = spark.table("profilehub.stg_core_brokerage__trades")
    assert trades.count() == ROWS_PER_DAY * len(DAYS)
    sells = trades.where("side = 'SELL'").select("signed_amount", "amount").collect()
    assert sells and all(row.signed_amount == -row.amount for row in sells)
    for contract in CONTRACTS:
        view = spark.table(f"profilehub.stg_{contract.partner}__{contract.name}")
        assert view.count() == ROWS_PER_DAY * len(DAYS), contract.name


def test_source_tests_fail_on_rows_that_break_the_contract(lake):
    settings, spark = lake
    spark.sql(f"""
        insert into {LAKE_SCHEMA}.consent_events partition ({PARTITION_COLUMN} = '{DAYS[0]}')
        select consent_event_id || '-bad', account_id, partner_id, purpose, 'withdraw',
               event_time, channel, 'v1x2', {SOURCE_FILE_COLUMN}, {SOURCE_LINE_COLUMN}
        from {LAKE_SCHEMA}.consent_events limit 1
    """)
    result = run_dbt(["test", "--select", "source:consent_center.consent_events"], settings)
    assert not result.success
    failed = {(r.node.test_metadata.name, r.node.column_name) for r in result.result
              if r.status == "fail"}
    # 'v1x2' only fails if the pattern's escaped dot reaches the regex engine intact.
    assert failed == {("matches_pattern", "policy_version"), ("accepted_values", "action")}
