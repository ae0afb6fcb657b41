"""build_features on Spark: the table it writes, rebuilds, and agreement with DuckDB."""

from __future__ import annotations

import pytest
from features_lake import AS_OF, LATER, by_customer, row_mismatches

from profilehub.catalog import load_features
from spark.features import build_features_duckdb
from spark.features.plan import groups

pytestmark = pytest.mark.slow

SPARK_TYPES = {"INT": "int", "DOUBLE": "double", "BOOLEAN": "boolean", "STRING": "string",
               "DATE": "date"}


def test_table_columns_and_types_are_the_spec(spark_features):
    expected = [("customer_key", "string"),
                *((f.name, SPARK_TYPES[f.sql_type]) for f in load_features()),
                ("as_of", "date")]
    assert spark_features.schema == expected


def test_rebuilding_a_past_date_reproduces_its_rows(spark_features):
    assert spark_features.first_rows == spark_features.rows[AS_OF]


def test_a_build_replaces_only_its_own_date(spark_features):
    assert {row["as_of"] for row in spark_features.rows[LATER].values()} == {LATER}
    assert len(spark_features.rows[LATER]) == 7


@pytest.mark.parametrize("day", [AS_OF, LATER])
def test_spark_and_duckdb_agree_on_every_feature(spark_features, spark_lake, day):
    duck = by_customer(build_features_duckdb(spark_lake.paths.lake, day).to_pylist())
    assert row_mismatches(spark_features.rows[day], duck) == []


def test_result_reports_rows_null_shares_and_seconds_per_group(spark_features):
    first = spark_features.results[0]
    assert first.as_of == AS_OF and first.rows == 6
    assert list(first.seconds) == ["inputs", "shared", *groups(), "assemble", "write"]
    assert set(first.null_share) == set(groups())
    assert all(0 <= share <= 1 for share in first.null_share.values())
    assert first.null_share["demographics"] == 0
    summary = first.summary()
    for group in groups():
        assert group in summary
