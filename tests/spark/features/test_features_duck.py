"""build_features_duckdb: the declared schema, no look-ahead, and Spark's Parquet as written."""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from features_lake import (
    AS_OF,
    LATER,
    SHANGHAI,
    by_customer,
    copy_lake_until,
    row_mismatches,
)

from profilehub.catalog import load_features
from spark.features import build_features_duckdb
from spark.features.duck import DuckDBEngine
from spark.features.plan import lake_inputs

ARROW_TYPES = {"INT": pa.int32(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(),
               "STRING": pa.string(), "DATE": pa.date32()}


def test_output_columns_and_types_are_the_spec(handmade_lake):
    table = build_features_duckdb(handmade_lake.root, AS_OF)
    expected = [("customer_key", pa.string()),
                *((f.name, ARROW_TYPES[f.sql_type]) for f in load_features()),
                ("as_of", pa.date32())]
    assert [(field.name, field.type) for field in table.schema] == expected


def test_rows_delivered_after_as_of_change_nothing(handmade_lake, duckdb_features, tmp_path):
    # The hand-made lake holds deliveries up to 2037-10-25; this copy stops at as_of.
    truncated = copy_lake_until(handmade_lake.root, tmp_path / "lake", AS_OF)
    assert max(max(days) for days in handmade_lake.partitions.values()) > AS_OF
    rows = by_customer(build_features_duckdb(truncated, AS_OF).to_pylist())
    assert row_mismatches(rows, duckdb_features[AS_OF]) == []


def test_a_source_that_has_delivered_nothing_reads_as_empty(handmade_lake, tmp_path):
    lake = tmp_path / "lake"
    shutil.copytree(handmade_lake.root, lake)
    shutil.rmtree(lake / "geo_events")
    rows = by_customer(build_features_duckdb(lake, AS_OF).to_pylist())
    assert {row["airport_visit_count_90d"] for row in rows.values()} == {0}
    assert {row["days_since_last_airport_visit"] for row in rows.values()} == {None}


def test_identity_tables_can_be_given_as_arrow(handmade_lake, duckdb_features):
    root = handmade_lake.root
    accounts = pq.read_table(root / "customer_accounts" / f"as_of={LATER}")
    links = pq.read_table(root / "partner_links" / f"as_of={LATER}")
    rows = build_features_duckdb(
        root, LATER,
        customer_accounts=accounts.append_column("as_of", pa.array([LATER] * len(accounts))),
        partner_links=links.append_column("as_of", pa.array([LATER] * len(links))))
    assert row_mismatches(by_customer(rows.to_pylist()), duckdb_features[LATER]) == []


@pytest.mark.parametrize("int96", [True, False], ids=["int96", "timestamp-utc"])
def test_timestamps_are_read_as_shanghai_wall_time(tmp_path, int96):
    """Spark writes INT96 by default, UTC-adjusted microseconds when configured to."""
    trades = next(table for table in lake_inputs() if table.name == "trades")
    wall_time = dt.datetime(2037, 10, 21, 0, 30)  # 16:30 UTC the day before
    instant = wall_time.replace(tzinfo=SHANGHAI)
    columns = {name: [None] for name, _ in trades.columns}
    columns["trade_time"] = pa.array([instant], pa.timestamp("us", tz="UTC"))
    folder = tmp_path / "lake" / "trades" / "dt=2037-10-21"
    folder.mkdir(parents=True)
    pq.write_table(pa.table(columns), folder / "part-0.parquet",
                   use_deprecated_int96_timestamps=int96)
    connection = duckdb.connect()
    engine = DuckDBEngine(connection, tmp_path / "lake", {})
    engine.execute("SET TimeZone = 'UTC'")  # the engine must not depend on the session zone
    sql = engine.input_sql(trades).replace("{as_of}", "DATE '2037-10-21'")
    value, day = engine.execute(f"SELECT trade_time, CAST(trade_time AS DATE) FROM ({sql})")[0]
    connection.close()
    assert (value, day) == (wall_time, wall_time.date())

