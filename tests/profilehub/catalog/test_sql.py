"""Every tag evaluates in DuckDB over a feature table typed exactly like the spec."""

from __future__ import annotations

from decimal import Decimal

import pytest

from profilehub.catalog import CatalogError, dbt_tags, load_features, load_tags, to_sql_select
from profilehub.catalog.sql import scan_expression

# Every tag with SQL: model scores have none (test_model_scores_have_no_sql).
TAGS = dbt_tags(load_tags())
NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL")


def _value(table, tag_id: str, customer: str):
    tag = next(t for t in TAGS if t.id == tag_id)
    return table.execute(f"SELECT {tag.sql} FROM features WHERE customer = ?",
                         [customer]).fetchone()[0]


def test_model_scores_have_no_sql():
    models = [tag for tag in load_tags() if tag.is_model_score]
    assert models and len(TAGS) + len(models) == len(load_tags())
    for tag in models:
        with pytest.raises(CatalogError, match=f"produced by model {tag.model}"):
            tag.sql  # noqa: B018 - the property raises


def test_hand_made_row_sets_exactly_the_declared_features(typical_row):
    assert set(typical_row) == {feature.name for feature in load_features()}


@pytest.mark.parametrize("tag", TAGS, ids=lambda tag: tag.id)
def test_definition_has_the_type_its_tag_declares(named_table, tag):
    expressions = [c.signal for c in tag.components] if tag.type == "score" else [tag.definition]
    for expression in expressions:
        described = named_table.execute(f"DESCRIBE SELECT {expression} AS v FROM features")
        column_type = described.fetchone()[1]
        if tag.type == "boolean":
            assert column_type == "BOOLEAN", expression
        elif tag.type == "category":
            assert column_type == "VARCHAR", expression
        else:
            assert column_type.startswith(NUMERIC), (expression, column_type)


def test_values_stay_in_their_declared_domain(mixed_table):
    for tag in TAGS:
        rows = mixed_table.execute(f"SELECT {tag.sql} FROM features").fetchall()
        values = [row[0] for row in rows]
        if tag.type == "boolean":
            assert set(values) <= {True, False}, tag.id
        elif tag.type == "score":
            assert all(v is not None and 0.0 <= v <= 1.0 for v in values), tag.id
        else:
            assert set(values) - {None} <= set(tag.values), (tag.id, set(values))


def test_whole_catalog_is_one_select_of_string_columns(mixed_table):
    result = mixed_table.execute(f"SELECT {to_sql_select(TAGS)} FROM features")
    assert [column[0] for column in result.description] == [tag.id for tag in TAGS]
    rows = result.fetchall()
    assert len(rows) == mixed_table.execute("SELECT COUNT(*) FROM features").fetchone()[0]
    assert all(isinstance(v, str) for row in rows for v in row if v is not None)


@pytest.mark.parametrize(
    ("customer", "expected"),
    [
        ("long_tail_saver", {"long_tail": True, "mass_affluent": False, "hnw": False,
                             "asset_tier": "long_tail", "asset_band": "k50_100k",
                             "wealth_heavy": True, "buy_and_hold": False}),
        ("typical", {"long_tail": False, "mass_affluent": True, "hnw": False,
                     "asset_tier": "mass_affluent",
                     # 300,000 sits on an edge: the bucket above starts there.
                     "asset_band": "k300_500k", "customer_risk_level": "C3",
                     "product_risk_ceiling": "R3", "preferred_sector": "technology",
                     "generation": "millennial", "birth_decade_cohort": "post_90",
                     "city_tier": "new_tier_1", "panic_seller_score": 0.035,
                     "holds_above_risk_level": False, "dominant_product_type": "fund",
                     "new_parent": False, "child_age_stage": None}),
        ("hnw_panic_seller", {"hnw": True, "asset_tier": "hnw", "panic_seller_score": 1.0,
                              "panic_selling_episode_90d": True, "hnw_attrition_risk": True,
                              "emotional_state": "fearful", "steady_hand": False}),
        ("empty_new_account", {"new_customer": True, "gen_z": True, "never_risk_assessed": True,
                               "customer_risk_level": "unassessed", "never_traded": True,
                               "product_risk_ceiling": "none", "margin_user": False,
                               "panic_selling_episode_90d": False, "preferred_sector": None,
                               "disposition_effect_band": None, "fomo_score": 0.0,
                               "loss_aversion_score": 0.0}),
        ("gen_z_day_trader", {"gen_z": True, "day_trader": True, "margin_user": True,
                              "heavy_margin_user": True, "swing_trader": False,
                              "stated_vs_revealed_risk_mismatch": True,
                              "frequent_same_day_round_trips": True}),
        ("parent_traveller", {"airport_visit_7d": True, "travel_insurance_trigger": True,
                              "fx_need_trigger": True, "cross_border_traveller": True,
                              "new_parent": True, "has_child": True, "education_spend": True,
                              "education_fund_trigger": True, "child_age_stage": "infant",
                              "airport_recency": "this_week"}),
        # Burst 40 fills vs median 3: (40/3 - 1)/9 -> 1 × 0.3; 4 wash-like trips 0.8 × 0.25;
        # intraday 0.05 × 0.15; closing share 0.05 is below the 0.1 base -> 0; one-stock
        # share 0.25 × 0.15. Total 0.545.
        ("wash_trader", {"wash_trade_like_round_trips": True, "trading_burst": True,
                         "abnormal_trading_score": 0.545, "burst_ratio_band": "normal",
                         "customer_risk_level": "unassessed",
                         "margin_without_valid_assessment": False}),
    ],
)
def test_known_customers_get_the_expected_tags(named_table, customer, expected):
    actual = {tag_id: _value(named_table, tag_id, customer) for tag_id in expected}
    # Scores are DECIMAL(5, 4): exact, so compare them as floats without tolerance.
    as_floats = {k: float(v) if isinstance(v, Decimal) else v for k, v in actual.items()}
    assert as_floats == expected


def test_scanner_finds_features_and_ignores_literals_and_keywords():
    scan = scan_expression("CASE WHEN city IN ('total_assets', 'x') THEN COALESCE(age_years, 0) "
                           "/ NULLIF(trade_count_30d, 0) ELSE NULL END IS NOT NULL")
    assert scan.identifiers == {"city", "age_years", "trade_count_30d"}
    assert scan.functions == {"COALESCE", "NULLIF"}
    assert scan.problems == ()
