"""The feature specification loads, is well-formed, and rejects broken entries by name."""

from __future__ import annotations

import copy

import pytest
import yaml

from profilehub.catalog import FEATURES_FILE, CatalogError, load_features
from profilehub.catalog.features import parse_feature_spec
from profilehub.contracts import CONTRACTS_BY_NAME, SECTORS


def _document() -> dict:
    return yaml.safe_load(FEATURES_FILE.read_text(encoding="utf-8"))


def test_spec_covers_every_feature_group_with_unique_names():
    features = load_features()
    names = [feature.name for feature in features]
    assert len(names) == len(set(names))
    assert 80 <= len(features) <= 150
    assert {feature.group for feature in features} == {
        "demographics", "assets", "risk", "trading", "emotion", "wealth", "engagement",
        "scenario", "compliance",
    }


def test_lineage_names_only_contract_sources():
    for feature in load_features():
        assert set(feature.sources) <= set(CONTRACTS_BY_NAME), feature.name


def test_asked_for_features_exist_with_their_windows():
    by_name = {feature.name: feature for feature in load_features()}
    for window in (7, 30, 90):
        for stem in ("trade_count", "trade_amount", "turnover_ratio", "active_trading_days"):
            assert by_name[f"{stem}_{window}d"].window_days == window
    for sector in SECTORS:
        assert by_name[f"sector_share_{sector}_90d"].type == "double"
    assert by_name["customer_risk_level"].type == "int"
    assert by_name["is_gen_z"].type == "boolean"
    assert by_name["top_sector_90d"].type == "string"
    assert by_name["airport_visit_count_7d"].sources == ("geo_events",)
    assert "market_quotes" in by_name["drawdown_sell_share_90d"].sources


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda f: f.update(type="float"), "type 'float'"),
        (lambda f: f.update(sources=["trades", "login_log"]), "unknown source 'login_log'"),
        (lambda f: f.update(window_days=30), "name says 7d but window_days is 30"),
        (lambda f: f.update(name="TradeCount7d"), "snake_case"),
        (lambda f: f.pop("definition"), "missing field(s) definition"),
        (lambda f: f.update(nullable="no"), "nullable must be true or false"),
    ],
)
def test_broken_feature_is_rejected_with_its_name(edit, message):
    document = _document()
    feature = next(f for f in document["features"] if f["name"] == "trade_count_7d")
    edit(feature)
    with pytest.raises(CatalogError, match="feature") as error:
        parse_feature_spec(document)
    assert message in str(error.value)


def test_duplicate_feature_name_is_rejected():
    document = _document()
    document["features"].append(copy.deepcopy(document["features"][0]))
    with pytest.raises(CatalogError, match=r"feature 'age_years': duplicate name"):
        parse_feature_spec(document)
