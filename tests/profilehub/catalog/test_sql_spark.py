"""Spark SQL (ANSI mode, the Spark 4 default) computes every tag exactly as DuckDB does."""

from __future__ import annotations

import pytest

from profilehub.catalog import dbt_tags, load_features, load_tags, to_sql_select

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    from pyspark.sql import SparkSession

    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    session = (
        SparkSession.builder.master("local[1]")
        .appName("catalog-tag-sql")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .getOrCreate()
    )
    yield session
    session.stop()


def test_spark_and_duckdb_publish_identical_tag_values(spark, mixed_rows, mixed_table):
    from pyspark.sql.types import (
        BooleanType,
        DateType,
        DoubleType,
        IntegerType,
        StringType,
        StructField,
        StructType,
    )

    spark_types = {"int": IntegerType(), "double": DoubleType(), "boolean": BooleanType(),
                   "string": StringType(), "date": DateType()}
    features = load_features()
    schema = StructType([StructField("customer", StringType(), False)] + [
        StructField(f.name, spark_types[f.type], f.nullable) for f in features])
    rows = [(name, *(row[f.name] for f in features)) for name, row in mixed_rows.items()]
    spark.createDataFrame(rows, schema).createOrReplaceTempView("features")
    assert spark.conf.get("spark.sql.ansi.enabled") == "true"

    tags = dbt_tags(load_tags())
    query = f"SELECT customer, {to_sql_select(tags)} FROM features ORDER BY customer"
    from_spark = [tuple(row) for row in spark.sql(query).collect()]
    from_duckdb = mixed_table.execute(query).fetchall()
    assert len(from_spark) == len(mixed_rows)
    mismatches = [
        (spark_row[0], tag.id, spark_value, duck_value)
        for spark_row, duck_row in zip(from_spark, from_duckdb, strict=True)
        for tag, spark_value, duck_value in zip(tags, spark_row[1:], duck_row[1:], strict=True)
        if spark_value != duck_value
    ]
    assert mismatches == [], mismatches[:20]
