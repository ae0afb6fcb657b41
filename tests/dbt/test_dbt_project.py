"""The dbt project parses and its graph matches the contracts. ``dbt parse`` needs no JVM."""

import json
from pathlib import Path

import pytest

from profilehub.contracts import CONTRACTS
from profilehub.dbt_runner import (
    THRIFT_HOST_VAR,
    THRIFT_PORT_VAR,
    dbt_target_path,
    run_dbt,
)
from profilehub.settings import PII_HMAC_KEY_SECRET, load_settings

STAGING_MODEL = "model.profilehub.stg_{partner}__{name}"
SOURCE = "source.profilehub.{partner}.{name}"


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    settings = load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path_factory.mktemp("data"))})
    result = run_dbt(["parse"], settings)
    assert result.success, result.exception
    return json.loads((dbt_target_path(settings) / "manifest.json").read_text())


def test_every_contract_has_a_staging_view_over_its_lake_table(manifest: dict):
    for contract in CONTRACTS:
        names = {"partner": contract.partner, "name": contract.name}
        source = manifest["sources"][SOURCE.format(**names)]
        assert (source["schema"], source["identifier"]) == ("lake", contract.name)
        model = manifest["nodes"][STAGING_MODEL.format(**names)]
        assert model["config"]["materialized"] == "view"
        assert model["depends_on"]["nodes"] == [SOURCE.format(**names)]
        assert model["original_file_path"].startswith(f"models/staging/{contract.partner}/")


def test_source_tests_exercise_the_project_generic_tests(manifest: dict):
    tests_by_source: dict[str, set[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test" and node["depends_on"]["nodes"]:
            parent = node["depends_on"]["nodes"][0]
            tests_by_source.setdefault(parent, set()).add(node["test_metadata"]["name"])
    customers = tests_by_source[SOURCE.format(partner="core_brokerage", name="customers")]
    assert {"not_null_columns", "accepted_values", "matches_pattern",
            "unique_combination_of_columns"} <= customers
    trades = tests_by_source[SOURCE.format(partner="core_brokerage", name="trades")]
    assert {"unique", "accepted_range"} <= trades
    for macro in ("unique_combination_of_columns", "accepted_range", "matches_pattern"):
        assert f"macro.profilehub.test_{macro}" in manifest["macros"]


def test_cluster_target_parses_with_thrift_address_from_settings(tmp_path: Path,
                                                                   monkeypatch):
    for name in (THRIFT_HOST_VAR, THRIFT_PORT_VAR):
        monkeypatch.delenv(name, raising=False)  # restored after the test
    settings = load_settings({"PROFILEHUB_ENV": "prod", "PROFILEHUB_DATA_ROOT": str(tmp_path),
                              PII_HMAC_KEY_SECRET: "k" * 32})
    result = run_dbt(["parse"], settings)
    assert result.success, result.exception
    manifest = json.loads((dbt_target_path(settings) / "manifest.json").read_text())
    assert manifest["metadata"]["adapter_type"] == "spark"
