"""The marts' dbt properties follow the catalog: committed file, contracts and accepted values."""

from __future__ import annotations

import yaml

from profilehub.catalog import (
    DBT_FAMILIES,
    SENSITIVITIES,
    TAG_TYPES,
    dbt_tags,
    load_features,
    load_tags,
)
from profilehub.catalog.dbt_marts import (
    MARTS_PROPERTIES,
    PROFILE_MODEL,
    TAG_MODEL,
    TAGS_MODEL,
    marts_properties_yml,
    profile_tags,
)
from profilehub.catalog.model import parse_tag


def _models(text: str) -> dict[str, dict]:
    return {model["name"]: model for model in yaml.safe_load(text)["models"]}


def _accepted_values(model: dict, column: str) -> list[str]:
    entry = next(c for c in model["columns"] if c["name"] == column)
    test = next(t["accepted_values"] for t in entry["data_tests"] if "accepted_values" in t)
    return test["arguments"]["values"]


def test_committed_marts_properties_match_the_catalog():
    assert MARTS_PROPERTIES.read_text(encoding="utf-8") == marts_properties_yml(), (
        "dbt/models/marts/_marts__models.yml is stale: run "
        "`uv run python -m profilehub.catalog render`")


def test_profile_has_a_typed_column_per_tag_that_reads_no_partner_data():
    tags = load_tags()
    profile = _models(marts_properties_yml(tags))[PROFILE_MODEL]
    columns = {c["name"]: c["data_type"] for c in profile["columns"]}
    # Model scores are written by batch scoring, not dbt: no column of the profile.
    expected_tags = [tag.id for tag in dbt_tags(tags) if not tag.partners]
    assert list(columns) == ["customer_key", "account_count", "customer_since", *expected_tags,
                             "as_of"]
    types = {tag.id: tag.sql_type.lower() for tag in tags}
    assert columns["gen_z"] == "boolean" and columns["asset_tier"] == "string"
    assert columns["panic_seller_score"] == types["panic_seller_score"] == "decimal(5, 4)"
    assert not set(columns) & {tag.id for tag in tags if tag.partners or tag.is_model_score}


def test_every_mart_has_a_typed_contract_and_key_tests():
    models = _models(marts_properties_yml())
    assert set(models) == {PROFILE_MODEL, TAGS_MODEL, TAG_MODEL}
    for model in models.values():
        assert all(column["data_type"] for column in model["columns"])
        assert model["columns"][-1]["name"] == "as_of"
        key = model["data_tests"][0]["unique_combination_of_columns"]["arguments"]
        assert key["combination_of_columns"][-1] == "as_of"
    facts = models[TAGS_MODEL]
    # Every tag id is in the catalog of its build date (stricter than a relationships test).
    assert {"tag_values_in_catalog": {"arguments": {"catalog": f"ref('{TAG_MODEL}')"}}} in (
        facts["data_tests"])
    assert _accepted_values(facts, "family") == list(DBT_FAMILIES)
    assert _accepted_values(models[TAG_MODEL], "family") == list(DBT_FAMILIES)
    assert _accepted_values(models[TAG_MODEL], "tag_type") == list(TAG_TYPES)
    assert _accepted_values(models[TAG_MODEL], "sensitivity") == list(SENSITIVITIES)


def test_a_new_catalog_entry_is_a_new_profile_column_without_editing_yml():
    features = {feature.name: feature for feature in load_features()}
    new_tag = parse_tag({
        "id": "very_young_investor", "name_en": "Very young investor", "name_zh": "超年轻投资者",
        "type": "boolean", "definition": "age_years < 22", "version": 1,
        "sensitivity": "internal", "purposes": ["marketing"],
    }, "demographic_lifecycle", "growth-marketing", features, 99)
    tags = (*load_tags(), new_tag)
    profile = _models(marts_properties_yml(tags))[PROFILE_MODEL]
    column = next(c for c in profile["columns"] if c["name"] == "very_young_investor")
    assert column["data_type"] == "boolean"
    never_null = profile["data_tests"][1]["not_null_columns"]["arguments"]["column_names"]
    assert "very_young_investor" in never_null
    assert new_tag in profile_tags(tags)
