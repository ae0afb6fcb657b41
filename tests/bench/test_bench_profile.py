"""The profile bench suite's pure parts: the report section, the projection and the feature
parity SQL (on tiny Parquet files; no Spark)."""

from __future__ import annotations

import duckdb
import pytest

from bench.cases.duckdb_profile import tags_sql
from bench.harness import Measurement
from bench.suites import SUITES
from bench.suites.profile import (
    AIM_CUSTOMERS,
    Parity,
    feature_parity,
    profile_sections,
    projection,
)


def _spark(stage: str, wall: float, seconds: float, startup: float, rows: int = 100,
           **details: object) -> Measurement:
    return Measurement("profile", stage, "spark", wall, 900.0, rows=rows,
                       details={"stage_seconds": seconds, "startup_seconds": startup,
                                **details})


def _duckdb(stage: str, wall: float, rows: int = 100, **details: object) -> Measurement:
    return Measurement("profile", stage, "duckdb", wall, 200.0, rows=rows,
                       details={"stage_seconds": wall - 0.5, **details})


def _measured(feature_rows: int = 100) -> tuple[dict, dict]:
    spark = {"identity": _spark("identity", 10.0, 6.0, 3.0),
             "features": _spark("features", 20.0, 15.0, 3.0, rows=feature_rows),
             "dbt": _spark("dbt", 30.0, 25.0, 3.0, own_tag_rows=700, tag_rows=800,
                           nodes=4, node_seconds=40.0,
                           slowest_nodes=[["unique_fct", 21.5], ["fct_customer_tags", 9.25]])}
    duckdb = {"features": _duckdb("features", 4.0),
              "tags": _duckdb("tags", 1.0, own_tag_rows=700, tag_rows=900)}
    return spark, duckdb


def test_profile_is_a_registered_suite_after_ingest():
    assert SUITES.index("ingest") < SUITES.index("profile")


def test_section_has_a_row_per_stage_totals_and_the_ratio_verdict():
    spark, duckdb = _measured()
    [section] = profile_sections(1000, spark, duckdb, Parity(100, 0, {}))
    labels = [row[0] for row in section.rows]
    assert labels[:3] == ["identity", "features", "tags (dbt build / catalog SQL)"]
    assert section.rows[0][4:] == ["–"] * 4
    build, like = section.rows[3], section.rows[4]
    # Wall ratio: (10 + 20 + 30) / (4 + 1); like for like leaves identity out.
    assert build[-1] == pytest.approx(12.0) and like[-1] == pytest.approx(10.0)
    assert build[3] == 900.0 and build[5] == 200.0
    text = section.markdown()
    assert "12.0× the DuckDB" in text and "misses the 3× aim" in text
    assert "Projection, not a measurement" in text
    assert ("Costliest dbt nodes: unique_fct 21.5 s, fct_customer_tags 9.2 s, of 40.0 "
            "node-seconds in all (4 nodes" in text)
    assert "differ" not in text and "identical" in text


def test_a_run_at_the_aims_scale_is_its_own_measurement_not_a_projection():
    spark, duckdb = _measured()
    [section] = profile_sections(AIM_CUSTOMERS, spark, duckdb, Parity(100, 0, {}))
    text = section.markdown()
    assert f"At {AIM_CUSTOMERS:,} customers the Spark build takes 12.0×" in text
    assert "Projection" not in text


def test_section_flags_disagreements():
    spark, duckdb = _measured(feature_rows=99)
    [section] = profile_sections(1000, spark, duckdb, Parity(100, 2, {"age": 3}))
    text = section.markdown()
    assert "feature rows: Spark 99, DuckDB 100 **differ**" in text
    assert "**2 missing from Spark**" in text and "**differ for age (3)**" in text


def test_projection_scales_stage_seconds_and_keeps_the_rest_of_each_process():
    spark, duckdb = _measured()
    spark_s, duckdb_s = projection(AIM_CUSTOMERS // 10, spark.values(), duckdb.values())
    # Spark: walls 10, 20, 30 around stages of 6, 15, 25 s; DuckDB: 0.5 s around each stage.
    assert spark_s == pytest.approx((4 + 5 + 5) + (6 + 15 + 25) * 10)
    assert duckdb_s == pytest.approx(2 * 0.5 + (3.5 + 0.5) * 10)


def test_feature_parity_counts_missing_customers_and_differing_values(tmp_path):
    connection = duckdb.connect()
    connection.execute("CREATE TABLE d AS SELECT 'k' || i AS customer_key, i * 1.0 AS x, "
                       "i AS n, NULL::VARCHAR AS s FROM range(10) t(i)")
    connection.execute("CREATE TABLE s AS SELECT customer_key, "
                       "CASE WHEN customer_key = 'k1' THEN x + 1 ELSE x + 1e-12 END AS x, "
                       "CASE WHEN customer_key = 'k2' THEN NULL ELSE n END AS n, s "
                       "FROM d WHERE customer_key <> 'k3'")
    for table in ("d", "s"):
        connection.execute(f"COPY {table} TO '{tmp_path / table}.parquet' (FORMAT parquet)")
    features = [("x", "DOUBLE"), ("n", "INT"), ("s", "STRING")]
    parity = feature_parity(str(tmp_path / "s.parquet"), str(tmp_path / "d.parquet"), features,
                            sample=10)
    assert parity == Parity(10, 1, {"x": 1, "n": 1})
    assert feature_parity(str(tmp_path / "s.parquet"), str(tmp_path / "d.parquet"), features,
                          sample=3).sampled == 3


def test_reference_tags_are_the_non_null_catalog_values_as_long_rows(tmp_path):
    from profilehub.catalog import dbt_tags, load_features, load_tags

    features = load_features()
    connection = duckdb.connect()
    connection.execute("CREATE TABLE f (customer_key VARCHAR, "
                       + ", ".join(f"{f.name} {f.sql_type}" for f in features)
                       + ", as_of DATE)")
    connection.execute("INSERT INTO f (customer_key, as_of) VALUES ('a', DATE '2026-10-03')")
    connection.execute(f"COPY f TO '{tmp_path / 'f.parquet'}' (FORMAT parquet)")
    connection.execute(tags_sql(str(tmp_path / "f.parquet"), str(tmp_path / "t.parquet")))
    rows = connection.execute(f"SELECT tag_id, value FROM '{tmp_path / 't.parquet'}'").fetchall()
    ids = {tag.id for tag in dbt_tags(load_tags())}
    assert rows and {tag_id for tag_id, _ in rows} <= ids
    assert all(value is not None for _, value in rows)
