"""The shared session builder: everything under the data root, settings honoured, one per root."""

from __future__ import annotations

import datetime as dt

import pytest

from profilehub.settings import load_settings
from spark.session import SESSION_TIME_ZONE, SparkSessionConflict, spark_session

pytestmark = pytest.mark.slow


def test_session_keeps_warehouse_and_metastore_under_the_data_root(spark, spark_settings):
    spark.sql("CREATE DATABASE IF NOT EXISTS session_probe")
    spark.sql("CREATE TABLE IF NOT EXISTS session_probe.t (x BIGINT) USING parquet")
    spark.sql("INSERT OVERWRITE session_probe.t SELECT 1")
    paths = spark_settings.paths
    assert (paths.spark_warehouse / "session_probe.db" / "t").is_dir()
    assert (paths.spark_metastore / "service.properties").is_file()
    assert spark.conf.get("spark.sql.shuffle.partitions") == "2"
    assert spark.conf.get("spark.sql.catalogImplementation") == "hive"


def test_timestamps_are_read_as_shanghai_wall_time(spark):
    assert spark.conf.get("spark.sql.session.timeZone") == SESSION_TIME_ZONE
    row = spark.sql("SELECT unix_timestamp(TIMESTAMP '2026-10-01 08:00:00') AS epoch").first()
    utc_midnight = dt.datetime(2026, 10, 1, tzinfo=dt.UTC).timestamp()
    assert row.epoch == utc_midnight


def test_second_call_reuses_the_running_session(spark, spark_settings):
    assert spark_session(spark_settings, "another-job") is spark


def test_session_for_another_data_root_is_refused_while_one_runs(spark, tmp_path):
    other = load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path)})
    with pytest.raises(SparkSessionConflict, match=str(other.paths.spark_warehouse)):
        spark_session(other, "elsewhere")
