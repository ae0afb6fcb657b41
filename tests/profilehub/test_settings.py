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
    assert settings.pii_hmac_key() == b"k" * 32


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
