from pathlib import Path

import pytest

from profilehub.dbt_runner import DBT_PROJECT_DIR, dbt_cli_args, target_method
from profilehub.settings import PII_HMAC_KEY_SECRET, load_settings


def test_cli_args_take_target_and_artefact_paths_from_settings(tmp_path: Path):
    settings = load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path)})
    args = dbt_cli_args(["build", "--select", "staging"], settings)
    assert args[:3] == ["build", "--select", "staging"]
    options = dict(zip(args[3::2], args[4::2], strict=True))
    assert options["--project-dir"] == options["--profiles-dir"] == str(DBT_PROJECT_DIR)
    assert options["--target"] == "local"
    for flag in ("--target-path", "--log-path"):
        assert Path(options[flag]).is_relative_to(tmp_path)

    prod = load_settings({"PROFILEHUB_ENV": "prod", "PROFILEHUB_DATA_ROOT": str(tmp_path),
                          PII_HMAC_KEY_SECRET: "k" * 32})
    assert "cluster" in dbt_cli_args(["run"], prod)


def test_cli_args_need_a_command(tmp_path: Path):
    with pytest.raises(ValueError, match="dbt command"):
        dbt_cli_args([], load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path)}))


def test_profiles_declare_in_process_local_and_thrift_cluster_targets():
    assert target_method("local") == "session"
    assert target_method("cluster") == "thrift"
    with pytest.raises(KeyError, match="known: local, cluster"):
        target_method("staging")
