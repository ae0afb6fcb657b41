"""Hand-made feature rows: one typical customer and named variations of it.

``TYPICAL`` sets every declared feature (the tests assert the keys equal the feature spec), so
each named customer only states what makes it different.
"""

from __future__ import annotations

import random

import duckdb
import pytest

from profilehub.catalog import Feature, load_features
from profilehub.contracts import CHANNELS, CUSTOMERS, SECTORS

# A 35-year-old mass-affluent customer in Hangzhou who trades a few times a week, holds funds
# and bonds, shops online and has no children.
TYPICAL: dict[str, object] = {
    # demographics
    "age_years": 35, "birth_year": 1990, "is_gen_z": False, "account_age_days": 1200,
    "city": "Hangzhou", "gender": "F", "open_channel": "app",
    # assets
    "equity_market_value": 200_000.0, "equity_unrealised_pnl_ratio": 0.05,
    "wealth_market_value": 100_000.0, "total_assets": 300_000.0,
    "total_assets_avg_7d": 298_000.0, "total_assets_avg_30d": 295_000.0,
    "total_assets_avg_90d": 290_000.0, "total_assets_max_90d": 310_000.0,
    "total_assets_30d_ago": 290_000.0, "balance_outflow_30d": 0.0,
    "equity_position_count": 5, "largest_position_share": 0.3, "position_sector_hhi": 0.3,
    "unrealised_loss_position_share": 0.2, "deep_loss_position_share": 0.0,
    # risk
    "customer_risk_level": 3, "risk_assessment_score": 55, "risk_assessment_days_to_expiry": 200,
    "days_since_risk_assessment": 165, "risk_level_change_90d": 0,
    "max_product_risk_level_held": 3, "wealth_risk_level_weighted": 2.4,
    "holdings_above_risk_level_count": 0, "holdings_above_risk_level_value": 0.0,
    "subscriptions_above_risk_level_90d": 0,
    # trading
    "trade_count_7d": 3, "trade_count_30d": 12, "trade_count_90d": 36,
    "trade_count_prev_60d": 24, "trade_amount_7d": 30_000.0, "trade_amount_30d": 120_000.0,
    "trade_amount_90d": 360_000.0, "turnover_ratio_7d": 0.1, "turnover_ratio_30d": 0.41,
    "turnover_ratio_90d": 1.24, "buy_amount_90d": 180_000.0, "sell_amount_90d": 180_000.0,
    "active_trading_days_7d": 2, "active_trading_days_30d": 7, "active_trading_days_90d": 21,
    "avg_trade_amount_90d": 10_000.0, "distinct_symbols_traded_90d": 8,
    "realised_win_rate_90d": 0.5, "realised_pnl_90d": 2_000.0,
    "avg_holding_period_days_90d": 25.0, "same_day_round_trips_30d": 0,
    "same_day_round_trips_90d": 1, "intraday_trade_share_90d": 0.05,
    "margin_trade_share_90d": 0.0, "app_trade_share_90d": 0.9,
    "sector_share_technology_90d": 0.3, "sector_share_finance_90d": 0.2,
    "sector_share_consumer_90d": 0.2, "sector_share_healthcare_90d": 0.1,
    "sector_share_energy_90d": 0.1, "sector_share_industrials_90d": 0.1,
    "sector_share_materials_90d": 0.0, "sector_share_real_estate_90d": 0.0,
    "sector_share_utilities_90d": 0.0, "sector_share_telecom_90d": 0.0,
    "sector_hhi_90d": 0.2, "top_sector_90d": "technology",
    # emotion
    "market_drawdown_days_90d": 2, "drawdown_sell_share_90d": 0.01,
    "normal_day_sell_share_90d": 0.01, "drawdown_buy_share_90d": 0.01,
    "drawdown_exposure_change_per_day_90d": 0.0, "drawdown_trade_intensity_ratio_90d": 1.0,
    "post_rally_buy_share_90d": 0.1, "market_rally_buy_share_90d": 0.0,
    "limit_up_chase_buy_count_90d": 0, "proportion_gains_realised_90d": 0.3,
    "proportion_losses_realised_90d": 0.25, "disposition_effect_90d": 0.05,
    # wealth
    "wealth_share_fund": 0.5, "wealth_share_bond": 0.5, "wealth_share_structured": 0.0,
    "wealth_share_insurance": 0.0, "fixed_income_share": 0.1667, "structured_share": 0.0,
    "foreign_currency_wealth_share": 0.0, "wealth_product_count": 2,
    "wealth_subscription_count_90d": 1, "wealth_subscription_amount_90d": 20_000.0,
    "wealth_redemption_count_90d": 0, "wealth_redemption_amount_30d": 0.0,
    "wealth_redemption_amount_90d": 0.0, "wealth_dividend_amount_90d": 500.0,
    "days_since_last_wealth_txn": 40,
    # engagement
    "active_days_30d": 8, "active_days_prev_60d": 16, "active_days_trend_30d_vs_prev_60d": 0.0,
    "days_since_last_trade": 1, "days_since_last_activity": 1,
    # scenario
    "ecommerce_order_count_30d": 3, "ecommerce_order_count_90d": 9,
    "ecommerce_spend_30d": 1_500.0, "ecommerce_spend_90d": 4_500.0,
    "ecommerce_refund_count_90d": 0, "luxury_spend_90d": 0.0, "luxury_share_90d": 0.0,
    "electronics_spend_90d": 1_000.0, "books_spend_90d": 200.0, "sports_spend_90d": 300.0,
    "travel_booking_count_90d": 1, "travel_spend_30d": 0.0, "travel_spend_90d": 2_000.0,
    "international_trip_count_90d": 0, "upcoming_international_trip_30d": False,
    "distinct_destination_countries_90d": 0, "airport_visit_count_7d": 0,
    "airport_visit_count_90d": 1, "days_since_last_airport_visit": 60,
    "distinct_cities_visited_90d": 2, "mall_visit_count_30d": 2, "school_visit_count_30d": 0,
    "parenting_spend_30d": 0.0, "parenting_spend_90d": 0.0, "education_spend_90d": 0.0,
    "infant_spend_90d": 0.0, "child_present_365d": False, "youngest_child_age_months": None,
    # compliance
    "max_daily_trade_count_7d": 2, "max_daily_trade_count_30d": 3,
    "median_daily_trade_count_90d": 1.5, "max_daily_trade_amount_7d": 20_000.0,
    "median_daily_trade_amount_90d": 15_000.0, "same_day_round_trip_amount_90d": 8_000.0,
    "wash_like_round_trips_90d": 0, "closing_window_trade_share_30d": 0.05,
    "max_symbol_trade_share_30d": 0.25, "large_trade_count_30d": 0,
}

# Named customers: what makes each differ from TYPICAL.
CUSTOMERS_BY_NAME: dict[str, dict[str, object]] = {
    "typical": {},
    "long_tail_saver": {
        "equity_market_value": 0.0, "wealth_market_value": 50_000.0, "total_assets": 50_000.0,
        "total_assets_avg_7d": 50_000.0, "total_assets_avg_30d": 50_000.0,
        "total_assets_avg_90d": 50_000.0, "total_assets_max_90d": 50_000.0,
        "total_assets_30d_ago": 50_000.0, "equity_position_count": 0,
        "largest_position_share": None, "position_sector_hhi": None,
        "equity_unrealised_pnl_ratio": None, "unrealised_loss_position_share": None,
        "deep_loss_position_share": None,
        "trade_count_7d": 0, "trade_count_30d": 0, "trade_count_90d": 0,
    },
    "hnw_panic_seller": {
        "equity_market_value": 2_000_000.0, "wealth_market_value": 500_000.0,
        "total_assets": 2_500_000.0, "total_assets_max_90d": 3_600_000.0,
        "total_assets_30d_ago": 3_400_000.0, "balance_outflow_30d": 900_000.0,
        "drawdown_sell_share_90d": 0.12, "normal_day_sell_share_90d": 0.01,
        "drawdown_exposure_change_per_day_90d": -0.12,
        "drawdown_trade_intensity_ratio_90d": 3.5,
    },
    "empty_new_account": {
        **{name: None for name in (
            "equity_unrealised_pnl_ratio", "largest_position_share", "position_sector_hhi",
            "unrealised_loss_position_share", "deep_loss_position_share", "customer_risk_level",
            "risk_assessment_score", "risk_assessment_days_to_expiry",
            "days_since_risk_assessment", "risk_level_change_90d", "max_product_risk_level_held",
            "wealth_risk_level_weighted", "turnover_ratio_7d", "turnover_ratio_30d",
            "turnover_ratio_90d", "avg_trade_amount_90d", "realised_win_rate_90d",
            "avg_holding_period_days_90d", "intraday_trade_share_90d", "margin_trade_share_90d",
            "app_trade_share_90d", "sector_hhi_90d", "top_sector_90d",
            "drawdown_sell_share_90d", "normal_day_sell_share_90d", "drawdown_buy_share_90d",
            "drawdown_exposure_change_per_day_90d", "drawdown_trade_intensity_ratio_90d",
            "post_rally_buy_share_90d", "market_rally_buy_share_90d",
            "proportion_gains_realised_90d", "proportion_losses_realised_90d",
            "disposition_effect_90d", "wealth_share_fund", "wealth_share_bond",
            "wealth_share_structured", "wealth_share_insurance", "fixed_income_share",
            "structured_share", "foreign_currency_wealth_share", "days_since_last_wealth_txn",
            "active_days_trend_30d_vs_prev_60d", "days_since_last_trade", "luxury_share_90d",
            "days_since_last_airport_visit", "youngest_child_age_months",
            "median_daily_trade_count_90d", "median_daily_trade_amount_90d",
            "closing_window_trade_share_30d", "max_symbol_trade_share_30d",
        )},
        **{f"sector_share_{sector}_90d": None for sector in SECTORS},
        "age_years": 22, "birth_year": 2003, "is_gen_z": True, "account_age_days": 3,
        "days_since_last_activity": 3,
    },
    "gen_z_day_trader": {
        "age_years": 24, "birth_year": 2001, "is_gen_z": True, "intraday_trade_share_90d": 0.7,
        "active_trading_days_30d": 15, "trade_count_30d": 80, "same_day_round_trips_30d": 12,
        "margin_trade_share_90d": 0.6, "customer_risk_level": 2,
    },
    "parent_traveller": {
        "airport_visit_count_7d": 2, "days_since_last_airport_visit": 2,
        "international_trip_count_90d": 1, "upcoming_international_trip_30d": True,
        "youngest_child_age_months": 8, "child_present_365d": True,
        "infant_spend_90d": 3_000.0, "parenting_spend_90d": 6_000.0,
        "education_spend_90d": 3_500.0,
    },
    "wash_trader": {
        "wash_like_round_trips_90d": 4, "max_daily_trade_count_7d": 40,
        "median_daily_trade_count_90d": 3.0, "customer_risk_level": None,
        "risk_assessment_days_to_expiry": None,
    },
}

# String features take values from their contract's allowed set where there is one.
STRING_DOMAINS: dict[str, tuple[str, ...]] = {
    "city": ("Hangzhou", "上海", "Lanzhou", "Beijing"),
    "gender": CUSTOMERS.column("gender").allowed or (),
    "open_channel": CHANNELS,
    "top_sector_90d": SECTORS,
}
_DOUBLES = (0.0, 0.01, 0.05, 0.3, 0.5, 0.99, 1.0, 2.5, 30.0, 95_000.0, 1_500_000.0, -0.25, -1.0)
_INTS = (0, 1, 2, 3, 5, 12, 45, 100, 400, 4000)


def random_row(features: tuple[Feature, ...], rng: random.Random) -> dict[str, object]:
    """A row of arbitrary but well-typed feature values, NULL where the spec allows it."""
    row: dict[str, object] = {}
    for feature in features:
        if feature.nullable and rng.random() < 0.25:
            row[feature.name] = None
        elif feature.type == "double":
            row[feature.name] = rng.choice(_DOUBLES)
        elif feature.type == "int":
            row[feature.name] = rng.choice(_INTS)
        elif feature.type == "boolean":
            row[feature.name] = rng.random() < 0.5
        else:
            row[feature.name] = rng.choice(STRING_DOMAINS[feature.name])
    for level in ("customer_risk_level", "max_product_risk_level_held"):
        if row[level] is not None:
            row[level] = rng.randint(1, 5)
    return row


def feature_table(rows: dict[str, dict[str, object]]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with table ``features``: a ``customer`` column plus every feature."""
    features = load_features()
    connection = duckdb.connect()
    columns = ", ".join(f"{f.name} {f.sql_type}" for f in features)
    connection.execute(f"CREATE TABLE features (customer VARCHAR, {columns})")
    placeholders = ", ".join("?" for _ in range(len(features) + 1))
    connection.executemany(
        f"INSERT INTO features VALUES ({placeholders})",
        [[name, *(row[f.name] for f in features)] for name, row in rows.items()],
    )
    return connection


def named_rows() -> dict[str, dict[str, object]]:
    return {name: {**TYPICAL, **changes} for name, changes in CUSTOMERS_BY_NAME.items()}


def random_rows(count: int = 300, seed: int = 20261001) -> dict[str, dict[str, object]]:
    features = load_features()
    rng = random.Random(seed)
    return {f"random_{index}": random_row(features, rng) for index in range(count)}


@pytest.fixture
def typical_row() -> dict[str, object]:
    return dict(TYPICAL)


@pytest.fixture(scope="module")
def named_table() -> duckdb.DuckDBPyConnection:
    return feature_table(named_rows())


@pytest.fixture(scope="module")
def mixed_rows() -> dict[str, dict[str, object]]:
    """The named customers plus 300 random ones."""
    return {**named_rows(), **random_rows()}


@pytest.fixture(scope="module")
def mixed_table(mixed_rows) -> duckdb.DuckDBPyConnection:
    return feature_table(mixed_rows)
