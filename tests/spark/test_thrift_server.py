"""The Thrift server's command line and the metastore settings it depends on (no JVM here; the
server itself runs in ``tests/dbt/test_cluster_target.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from profilehub.settings import Settings, load_settings
from spark.session import MetastoreError, metastore_config, metastore_shared, session_config
from spark.thrift_server import SERVER_CLASS, ThriftServerError, thrift_server_command

POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/metastore?user=postgres"


def _settings(root: Path, **environ: str) -> Settings:
    return load_settings({"PROFILEHUB_DATA_ROOT": str(root), **environ})


def _confs(command: list[str]) -> dict[str, str]:
    pairs = [command[i + 1] for i, word in enumerate(command) if word == "--conf"]
    return dict(pair.split("=", 1) for pair in pairs)


def test_derby_under_the_data_root_is_the_default_and_not_shared(tmp_path: Path):
    settings = _settings(tmp_path)
    config = metastore_config(settings)
    assert config == {"spark.hadoop.javax.jdo.option.ConnectionURL":
                      f"jdbc:derby:;databaseName={settings.paths.spark_metastore};create=true"}
    assert not metastore_shared(settings)


def test_a_postgres_metastore_brings_its_driver_and_no_foreign_keys(tmp_path: Path):
    jar = tmp_path / "postgresql.jar"
    jar.write_bytes(b"jar")
    settings = _settings(tmp_path, PROFILEHUB_SPARK_METASTORE_URL=POSTGRES_URL,
                         PROFILEHUB_SPARK_METASTORE_DRIVER_JAR=str(jar))
    config = session_config(settings)
    assert metastore_shared(settings)
    assert config["spark.hadoop.javax.jdo.option.ConnectionURL"] == POSTGRES_URL
    assert config["spark.hadoop.javax.jdo.option.ConnectionDriverName"] == "org.postgresql.Driver"
    assert config["spark.driver.extraClassPath"] == str(jar)
    assert config["spark.hadoop.datanucleus.schema.autoCreateConstraints"] == "false"


def test_an_unknown_metastore_database_is_refused_by_name(tmp_path: Path):
    settings = _settings(tmp_path, PROFILEHUB_SPARK_METASTORE_URL="jdbc:mysql://db/metastore")
    with pytest.raises(MetastoreError, match=r"jdbc:mysql://db/metastore.*jdbc:postgresql:"):
        metastore_config(settings)


def test_a_missing_jdbc_driver_says_which_file_and_how_to_get_it(tmp_path: Path):
    missing = tmp_path / "absent.jar"
    settings = _settings(tmp_path, PROFILEHUB_SPARK_METASTORE_URL=POSTGRES_URL,
                         PROFILEHUB_SPARK_METASTORE_DRIVER_JAR=str(missing))
    with pytest.raises(MetastoreError, match=f"{missing}.*make setup"):
        metastore_config(settings)


def test_the_server_runs_on_every_setting_the_jobs_use(tmp_path: Path):
    jar = tmp_path / "postgresql.jar"
    jar.write_bytes(b"jar")
    settings = _settings(tmp_path, PROFILEHUB_SPARK_METASTORE_URL=POSTGRES_URL,
                         PROFILEHUB_SPARK_METASTORE_DRIVER_JAR=str(jar),
                         PROFILEHUB_SPARK_THRIFT_PORT="10123")
    command = thrift_server_command(settings)
    assert Path(command[0]).name == "spark-submit" and Path(command[0]).is_file()
    assert command[command.index("--class") + 1] == SERVER_CLASS
    confs = _confs(command)
    assert {key: confs[key] for key in session_config(settings)} == session_config(settings)
    assert "hive.server2.thrift.port=10123" in command
    assert "hive.server2.thrift.bind.host=127.0.0.1" in command


def test_the_server_refuses_the_embedded_derby_metastore(tmp_path: Path):
    with pytest.raises(ThriftServerError, match="PROFILEHUB_SPARK_METASTORE_URL"):
        thrift_server_command(_settings(tmp_path))
