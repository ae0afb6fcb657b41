"""The intermediate and mart layers are generated from the catalog. ``dbt parse`` needs no JVM.

Structure proves "adding a tag is one catalog entry": the only tag SQL files are one macro call
per family, and the marts are incremental per ``as_of`` partition with enforced contracts.
"""

from __future__ import annotations

import json

import pytest

from profilehub.catalog import DBT_FAMILIES, load_tags
from profilehub.dbt_runner import DBT_PROJECT_DIR, dbt_target_path, run_dbt
from profilehub.settings import load_settings

MODELS_DIR = DBT_PROJECT_DIR / "models"
MARTS = ("dim_customer_profile", "fct_customer_tags", "dim_tag")
MODEL = "model.profilehub.{}"


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    settings = load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path_factory.mktemp("data"))})
    result = run_dbt(["parse"], settings)
    assert result.success, result.exception
    return json.loads((dbt_target_path(settings) / "manifest.json").read_text())


def test_one_generated_model_per_family_and_no_sql_per_tag():
    tag_models = {path.name: path.read_text(encoding="utf-8")
                  for path in (MODELS_DIR / "intermediate" / "tags").glob("*.sql")}
    # One per family dbt computes: model scores come from batch scoring (federated.scoring).
    assert tag_models == {f"int_tags__{family}.sql": f"{{{{ tag_family_model('{family}') }}}}\n"
                          for family in DBT_FAMILIES}
    sql_files = {path.relative_to(MODELS_DIR).as_posix()
                 for folder in ("intermediate", "marts")
                 for path in (MODELS_DIR / folder).rglob("*.sql")}
    assert sql_files == {"intermediate/consent/int_consent__active.sql",
                         *(f"intermediate/tags/{name}" for name in tag_models),
                         *(f"marts/{mart}.sql" for mart in MARTS)}


def test_only_families_with_partner_tags_read_consent(manifest: dict):
    gated = {tag.family for tag in load_tags() if tag.partners}
    assert gated == {"scenario_consumption"}
    for family in DBT_FAMILIES:
        parents = manifest["nodes"][MODEL.format(f"int_tags__{family}")]["depends_on"]["nodes"]
        assert "source.profilehub.profilehub_spark.customer_features" in parents
        assert (MODEL.format("int_consent__active") in parents) == (family in gated)


def test_marts_rebuild_one_as_of_partition_under_an_enforced_contract(manifest: dict):
    for mart in MARTS:
        config = manifest["nodes"][MODEL.format(mart)]["config"]
        assert config["materialized"] == "incremental", mart
        assert config["incremental_strategy"] == "insert_overwrite"
        assert config["partition_by"] == ["as_of"]
        assert config["file_format"] == "parquet"
        assert config["on_schema_change"] == "fail"
        assert config["contract"]["enforced"] is True
    facts = manifest["nodes"][MODEL.format("fct_customer_tags")]["depends_on"]["nodes"]
    assert {MODEL.format(f"int_tags__{family}") for family in DBT_FAMILIES} <= set(facts)


def test_unit_tests_cover_consent_gating_buckets_and_several_families(manifest: dict):
    tested: dict[str, list[str]] = {}
    for unit_test in manifest["unit_tests"].values():
        tested.setdefault(unit_test["model"], []).append(unit_test["name"])
    assert {"int_consent__active", "int_tags__scenario_consumption", "fct_customer_tags",
            "dim_customer_profile"} <= set(tested)
    assert len([model for model in tested if model.startswith("int_tags__")]) >= 6
