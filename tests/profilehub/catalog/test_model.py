"""The tag catalog: coverage, derived lineage, and clear errors for every broken rule."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from profilehub.catalog import (
    DBT_FAMILIES,
    FAMILIES,
    MODEL_SCORE_FAMILY,
    PARTNER_DERIVED,
    TAGS_DIR,
    CatalogError,
    dbt_tags,
    load_features,
    load_tags,
    model_score_tags,
)
from profilehub.contracts import (
    CHANNELS,
    CONTRACTS,
    CONTRACTS_BY_NAME,
    CUSTOMER_RISK_LEVELS,
    CUSTOMERS,
    PARTNERS,
    PURPOSES,
    SECTORS,
)

ASKED_FOR = (
    "gen_z", "new_customer", "dormant", "long_tail", "mass_affluent", "hnw",
    "customer_risk_level", "holds_above_risk_level", "day_trader", "swing_trader",
    "buy_and_hold", "margin_user", "preferred_sector", "panic_seller_score", "fomo_chaser",
    "loss_aversion", "fund_lover", "fixed_income_preference", "structured_product_user",
    "churn_risk_score", "declining_activity", "hnw_attrition_risk", "consumption_capacity_band",
    "travel_lover", "cross_border_traveller", "airport_visit_7d", "new_parent", "education_spend",
    "wash_trade_like_round_trips", "trading_burst",
)


@pytest.fixture(scope="module")
def tags():
    """The tags dbt computes from features (the model scores have tests of their own)."""
    return {tag.id: tag for tag in dbt_tags(load_tags())}


def test_catalog_has_150_tags_in_nine_families_of_at_least_ten(tags):
    assert len(tags) >= 150
    per_family = {family: sum(t.family == family for t in tags.values())
                  for family in DBT_FAMILIES}
    assert len(per_family) == 9 and set(FAMILIES) == {*DBT_FAMILIES, MODEL_SCORE_FAMILY}
    assert min(per_family.values()) >= 10, per_family


def test_model_scores_are_the_model_score_family_and_name_their_model():
    catalog = load_tags()
    models = model_score_tags(catalog)
    assert set(models) == {"churn", "panic_sell"}
    assert [tag for tag in catalog if tag.family == MODEL_SCORE_FAMILY] == list(models.values())
    for model, tag in models.items():
        assert tag.source == f"model:{model}" and tag.lineage == (f"model:{model}",)
        assert tag.type == "score" and tag.features == () and tag.components == ()
        assert tag.partners == () and tag.sensitivity != PARTNER_DERIVED
        assert tag.definition and re.search(r"[\u4e00-\u9fff]", tag.name_zh)
        assert tag.purposes and tag.version >= 1 and tag.owner
    assert models["churn"].id == "churn_model_score"
    assert models["panic_sell"].id == "panic_sell_model_score"
    assert all(tag.source == "dbt" and tag.model is None for tag in dbt_tags(catalog))


def test_asked_for_tags_exist(tags):
    assert [tag_id for tag_id in ASKED_FOR if tag_id not in tags] == []


def test_every_tag_type_is_used(tags):
    assert {tag.type for tag in tags.values()} == {"boolean", "category", "score", "bucket"}


def test_every_feature_is_read_by_some_tag(tags):
    read = {name for tag in tags.values() for name in tag.features}
    assert [f.name for f in load_features() if f.name not in read] == []


def test_lineage_is_the_union_of_feature_sources_in_contract_order(tags):
    sources = {feature.name: set(feature.sources) for feature in load_features()}
    order = [contract.name for contract in CONTRACTS]
    for tag in tags.values():
        expected = set().union(*(sources[name] for name in tag.features))
        assert set(tag.lineage) == expected, tag.id
        assert list(tag.lineage) == sorted(tag.lineage, key=order.index), tag.id


def test_lineage_and_partners_of_known_tags(tags):
    assert tags["hnw"].lineage == ("positions", "wealth_holdings")
    assert tags["hnw"].partners == ()
    assert tags["holds_above_risk_level"].lineage == (
        "risk_assessments", "wealth_products", "wealth_holdings")
    assert tags["airport_visit_7d"].lineage == ("geo_events",)
    assert tags["airport_visit_7d"].partners == ("geo_telco",)
    assert tags["panic_seller_score"].lineage == ("trades", "positions", "market_quotes")
    # Travel data plus our own asset tables: gated by the travel partner's consent only.
    assert tags["global_allocation_prospect"].partners == ("trip_ota",)
    assert "positions" in tags["global_allocation_prospect"].lineage
    assert tags["consumption_capacity_band"].partners == ("ecom_mall", "trip_ota", "kids_edu")


def test_partner_derived_exactly_when_a_partner_source_is_read(tags):
    for tag in tags.values():
        reads_partner = any(CONTRACTS_BY_NAME[s].partner in PARTNERS for s in tag.lineage)
        assert (tag.sensitivity == PARTNER_DERIVED) == reads_partner == bool(tag.partners), tag.id


def test_purposes_and_versions(tags):
    for tag in tags.values():
        assert tag.purposes and set(tag.purposes) <= set(PURPOSES), tag.id
        assert tag.version >= 1 and tag.owner, tag.id


def test_names_are_bilingual(tags):
    for tag in tags.values():
        assert re.search(r"[\u4e00-\u9fff]", tag.name_zh), tag.id
        assert not re.search(r"[\u4e00-\u9fff]", tag.name_en), tag.id


def test_score_weights_sum_to_one(tags):
    scores = [tag for tag in tags.values() if tag.type == "score"]
    assert len(scores) >= 5
    for tag in scores:
        assert sum(c.weight for c in tag.components) == pytest.approx(1.0), tag.id
        assert all(c.why for c in tag.components), tag.id


def test_category_values_follow_the_contracts(tags):
    assert tags["preferred_sector"].values == SECTORS
    assert tags["acquisition_channel"].values == CHANNELS
    assert tags["gender"].values == CUSTOMERS.column("gender").allowed
    assert tags["customer_risk_level"].values == (*CUSTOMER_RISK_LEVELS, "unassessed")


# --- broken catalogs ---------------------------------------------------------------------------

@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    target = tmp_path / "tags"
    shutil.copytree(TAGS_DIR, target)
    return target


def _edit(directory: Path, family: str, tag_id: str, **changes) -> None:
    path = directory / f"{family}.yml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = next(tag for tag in document["tags"] if tag["id"] == tag_id)
    for key, value in changes.items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


@pytest.mark.parametrize(
    ("family", "tag_id", "changes", "message"),
    [
        ("asset_tier", "hnw", {"definition": "total_assets > 1000000 AND net_worth > 0"},
         "uses unknown feature(s) net_worth"),
        ("asset_tier", "hnw", {"type": "flag"}, "type 'flag' not in boolean"),
        ("asset_tier", "asset_band", {"buckets": {"edges": [10, 5], "labels": ["a", "b", "c"]}},
         "must be strictly ascending"),
        ("asset_tier", "asset_band", {"buckets": {"edges": [1, 5], "labels": ["a", "b"]}},
         "2 bucket edges need 3 labels, got 2"),
        ("asset_tier", "asset_tier", {"values": None}, "missing field(s) values"),
        ("asset_tier", "hnw", {"buckets": {"edges": [1], "labels": ["a", "b"]}},
         "do not apply to a boolean tag"),
        ("asset_tier", "hnw", {"purposes": ["marketing", "profiling"]},
         "purpose(s) profiling not in contracts.PURPOSES"),
        ("asset_tier", "hnw", {"sensitivity": "partner_derived"},
         "holds no partner source"),
        ("scenario_consumption", "travel_lover", {"sensitivity": "internal"},
         "reads partner source(s) geo_events, travel_bookings so sensitivity must be "
         "partner_derived"),
        ("asset_tier", "hnw", {"lineage": ["positions"]}, "lineage is derived"),
        ("asset_tier", "hnw", {"definition": "total_assets / trade_count_30d > 1"},
         "'/' must be followed by a number or NULLIF"),
        ("asset_tier", "hnw", {"definition": "LOG10(total_assets) > 6"},
         "function LOG10() is not allowed"),
        ("asset_tier", "hnw", {"definition": "total_assets > 1; DROP TABLE x"},
         "';' is not allowed"),
        ("asset_tier", "hnw", {"name_zh": "HNW"}, "must be written in Chinese"),
        ("asset_tier", "hnw", {"version": 0}, "must be a positive integer"),
        ("emotion_radar", "fomo_score",
         {"components": [{"weight": 0.5, "signal": "post_rally_buy_share_90d", "why": "x"}]},
         "score weights sum to 0.5, not 1"),
    ],
)
def test_broken_tag_is_reported_with_its_id_and_rule(catalog_copy, family, tag_id, changes,
                                                     message):
    _edit(catalog_copy, family, tag_id, **changes)
    with pytest.raises(CatalogError) as error:
        load_tags(catalog_copy)
    assert f"tag {tag_id!r} ({family})" in str(error.value)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source": "churn"}, "source 'churn' must be model:<model name>"),
        ({"source": None}, "missing field(s) source for a model score"),
        ({"definition": " "}, "definition must say in words what the model predicts"),
        ({"type": "boolean"}, "a model_scores tag is a model's score: type score"),
        ({"components": [{"weight": 1, "signal": "age_years", "why": "x"}]},
         "field(s) components do not apply to a model score"),
        ({"sensitivity": "partner_derived"}, "a model score cannot be partner_derived"),
        ({"lineage": ["trades"]}, "lineage is its model's source"),
    ],
)
def test_broken_model_score_is_reported(catalog_copy, changes, message):
    _edit(catalog_copy, MODEL_SCORE_FAMILY, "churn_model_score", **changes)
    with pytest.raises(CatalogError) as error:
        load_tags(catalog_copy)
    assert f"tag 'churn_model_score' ({MODEL_SCORE_FAMILY})" in str(error.value)
    assert message in str(error.value)


def test_a_model_has_one_score_tag(catalog_copy):
    _edit(catalog_copy, MODEL_SCORE_FAMILY, "panic_sell_model_score", source="model:churn")
    with pytest.raises(CatalogError, match="model churn already has score tag "
                                           "'churn_model_score'"):
        load_tags(catalog_copy)


def test_a_feature_tag_cannot_name_a_model(catalog_copy):
    _edit(catalog_copy, "asset_tier", "hnw", source="model:churn")
    with pytest.raises(CatalogError, match=r"field\(s\) source do not apply to a boolean tag"):
        load_tags(catalog_copy)


def test_duplicate_id_across_families_is_rejected(catalog_copy):
    _edit(catalog_copy, "compliance", "trading_burst", id="hnw")
    with pytest.raises(CatalogError, match=r"tag 'hnw' \(compliance\): duplicate id, already "
                                           r"defined in asset_tier"):
        load_tags(catalog_copy)


def test_missing_and_unknown_family_files_are_rejected(catalog_copy):
    (catalog_copy / "compliance.yml").rename(catalog_copy / "surveillance.yml")
    with pytest.raises(CatalogError, match=r"unknown family file.*surveillance"):
        load_tags(catalog_copy)
    (catalog_copy / "surveillance.yml").unlink()
    with pytest.raises(CatalogError, match=r"missing family file.*compliance"):
        load_tags(catalog_copy)
