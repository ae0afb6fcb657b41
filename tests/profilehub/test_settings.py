from pathlib import Path

import pytest

from profilehub.settings import PII_HMAC_KEY_SECRET, SettingsError, load_settings


def test_local_is_the_default_and_lives_under_one_data_root(tmp_path: Path):
    settings = load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path)})
    assert settings.env == "local"
    assert settings.spark.dbt_target == "local"
    for folder in (settings.paths.landing, settings.paths.lake, settings.paths.quarantine,
                   settings.paths.spark_metastore, settings.paths.airflow_home):
        assert folder.is_relative_to(tmp_path)


def test_prod_is_selected_by_configuration_not_code(tmp_path: Path):
    settings = load_settings({"PROFILEHUB_ENV": "prod", "PROFILEHUB_DATA_ROOT": str(tmp_path),
                              PII_HMAC_KEY_SECRET: "k" * 32})
    assert settings.spark.dbt_target == "cluster"
    assert settings.spark.master.startswith("spark://")
    assert settings.spark.metastore_url.startswith("jdbc:postgresql://")
    assert settings.pii_hmac_key() == b"k" * 32


def test_spark_settings_come_from_the_environment(tmp_path: Path):
    settings = load_settings({
        "PROFILEHUB_DATA_ROOT": str(tmp_path), "PROFILEHUB_SPARK_DBT_TARGET": "cluster",
        "PROFILEHUB_SPARK_THRIFT_HOST": "10.0.0.7", "PROFILEHUB_SPARK_THRIFT_PORT": "10123",
        "PROFILEHUB_SPARK_METASTORE_URL": "jdbc:postgresql://db:5432/metastore",
        "PROFILEHUB_SPARK_METASTORE_DRIVER_JAR": "/opt/jdbc/postgresql.jar"})
    spark = settings.spark
    assert (spark.dbt_target, spark.thrift_host, spark.thrift_port) == (
        "cluster", "10.0.0.7", 10123)
    assert spark.metastore_url == "jdbc:postgresql://db:5432/metastore"
    assert spark.metastore_driver_jar == Path("/opt/jdbc/postgresql.jar")
    assert load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path)}).spark.metastore_url == ""


def test_an_undeclared_dbt_target_is_refused_when_settings_load(tmp_path: Path):
    with pytest.raises(SettingsError, match=r"DBT_TARGET='clustr': expected one of local, clus"):
        load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path),
                       "PROFILEHUB_SPARK_DBT_TARGET": "clustr"})


def test_unknown_environment_is_refused_with_the_allowed_values():
    with pytest.raises(SettingsError, match="local, prod"):
        load_settings({"PROFILEHUB_ENV": "staging"})


def test_prod_without_a_pii_key_fails_instead_of_inventing_one(tmp_path: Path):
    settings = load_settings({"PROFILEHUB_ENV": "prod", "PROFILEHUB_DATA_ROOT": str(tmp_path)})
    with pytest.raises(SettingsError, match=PII_HMAC_KEY_SECRET):
        settings.pii_hmac_key()
    assert not settings.paths.secrets.exists()


def test_local_pii_key_is_generated_once_and_kept_private(tmp_path: Path):
    settings = load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path)})
    first = settings.pii_hmac_key()
    assert len(first) == 64
    assert settings.pii_hmac_key() == first
    key_file = settings.paths.secrets / "pii_hmac.key"
    assert key_file.stat().st_mode & 0o077 == 0
