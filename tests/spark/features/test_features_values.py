"""Hand-computed feature values on the hand-made lake (conftest), on DuckDB and on Spark.

Each expected value is written as the arithmetic that produces it from the rows in conftest, so
a reader can check it against the definition in features.yml. Values not listed for a customer
are not asserted here (the parity tests cover every column).
"""

from __future__ import annotations

import datetime as dt

import pytest
from features_lake import (
    AS_OF,
    K1,
    K2,
    K3,
    K4,
    K5,
    K6,
    K7,
    LATER,
    d,
    weekdays,
)

from profilehub.catalog import load_features

# Trading dates of the 90d window (2037-07-23 .. 2037-10-20) that are not drawdown days
# (07-23 and 10-13 are).
ORDINARY_DAYS = len(weekdays(d("2037-07-23"), AS_OF)) - 2
# Ordinary trading days whose previous calendar day still falls under the 07-01 snapshot.
ORDINARY_DAYS_UNTIL_10_12 = len(weekdays(d("2037-07-24"), d("2037-10-12")))

# K1's total assets per calendar day: equity snapshot in force + wealth snapshot in force.
K1_DAYS_90D = {10000.0: 64,  # 07-23..09-24: equity 07-01 only
               30000.0: 17,  # 09-25..10-11: + wealth 09-25
               35000.0: 2,   # 10-12, 10-13
               31000.0: 6,   # 10-14..10-19
               38600.0: 1}   # as_of: 12600 + 26000
K1_AVG_90D = sum(value * days for value, days in K1_DAYS_90D.items()) / 90
K1_AVG_30D = (4 * 10000.0 + 17 * 30000.0 + 2 * 35000.0 + 6 * 31000.0 + 38600.0) / 30
K1_AVG_7D = (6 * 31000.0 + 38600.0) / 7

EXPECTED: dict[str, dict[str, object]] = {
    K1: {
        # Latest KYC is 2037-09-01 (the 10-21 record is dated after as_of); the earliest is 2020.
        "age_years": 38,  # born 1998-10-21: the 39th birthday is tomorrow
        "birth_year": 1998,
        "is_gen_z": True,
        "account_age_days": (AS_OF - d("2020-01-15")).days,
        "city": "Shanghai",
        "open_channel": "branch",
        # Positions at snap = 10-20, over two accounts; the quantity-0 row is not held.
        "equity_market_value": 12600.0,
        "equity_unrealised_pnl_ratio": (12600 - (400 * 8 + 200 * 9.5 + 500 * 12 + 200 * 12.5))
        / (400 * 8 + 200 * 9.5 + 500 * 12 + 200 * 12.5),
        "wealth_market_value": 26000.0,
        "total_assets": 38600.0,
        "total_assets_avg_7d": K1_AVG_7D,
        "total_assets_avg_30d": K1_AVG_30D,
        "total_assets_avg_90d": K1_AVG_90D,
        "total_assets_max_90d": 38600.0,
        "total_assets_30d_ago": 10000.0,  # 09-20: equity of 07-01, no wealth snapshot yet
        "balance_outflow_30d": 0.0,
        "equity_position_count": 3,
        "largest_position_share": (4400 + 2200) / 12600,  # S1 summed over both accounts
        "position_sector_hhi": (6600**2 + 4000**2 + 2000**2) / 12600**2,
        # S2 is below cost; S3 sits at exactly 80% of its cost (2000 <= 0.8 * 2500).
        "unrealised_loss_position_share": (4000 + 2000) / 12600,
        "deep_loss_position_share": (4000 + 2000) / 12600,
        # RA-0005 (C2) and RA-0006 (C4) share their instant: the greatest id wins.
        "customer_risk_level": 4,
        "risk_assessment_score": 70,
        "risk_assessment_days_to_expiry": -1,
        "days_since_risk_assessment": 10,
        "risk_level_change_90d": 4 - 3,
        "max_product_risk_level_held": 2,
        "wealth_risk_level_weighted": (21000 * 2 + 5000 * 1) / 26000,
        "holdings_above_risk_level_count": 0,
        "holdings_above_risk_level_value": 0.0,
        # 10-05: R4 product while C3 was the level; 10-15: R4 against C4, suitable.
        "subscriptions_above_risk_level_90d": 1,
        "trade_count_7d": 1,
        "turnover_ratio_7d": 2000 / K1_AVG_7D,
        "turnover_ratio_30d": 2000 / K1_AVG_30D,
        "turnover_ratio_90d": 2000 / K1_AVG_90D,
        "top_sector_90d": "consumer",
        "drawdown_sell_share_90d": 0.0,
        "drawdown_exposure_change_per_day_90d": ((600 - 1000) * 11.0 / (1000 * 11.0 + 500 * 10.0)
                                                 / 3 + 0.0) / 2,
        "wealth_share_fund": 21000 / 26000,
        "wealth_share_bond": 5000 / 26000,
        "wealth_share_structured": 0.0,
        "fixed_income_share": 5000 / 38600,
        "structured_share": 0.0,
        "foreign_currency_wealth_share": 5000 / 26000,
        "wealth_product_count": 2,
        "wealth_subscription_count_90d": 3,
        "wealth_subscription_amount_90d": 14000.0,
        "wealth_redemption_count_90d": 1,
        "wealth_redemption_amount_30d": 500.0,
        "wealth_redemption_amount_90d": 500.0,
        "wealth_dividend_amount_90d": 50.0,
        "days_since_last_wealth_txn": 2,
        "active_days_30d": 5,  # 10-05, 10-10, 10-15, 10-16, 10-18
        "active_days_prev_60d": 3,  # 08-01, 09-01 (KYC), 09-20 (dividend)
        "active_days_trend_30d_vs_prev_60d": (5 / 30) / (3 / 60) - 1,
        "days_since_last_trade": 4,
        "days_since_last_activity": 2,
        "ecommerce_spend_90d": 0.0,
        "child_present_365d": False,
        "youngest_child_age_months": None,
    },
    K2: {
        # Fills at 07-22 23:59:59 (out), 07-23 00:00, 09-20, 09-21 00:00, 10-13, 10-14 00:00,
        # 10-20 23:59:59; one dated 10-21 and one delivered 10-21 are not seen.
        "age_years": 37,
        "account_age_days": 0,
        "gender": "M",
        "open_channel": "web",
        "trade_count_7d": 2,
        "trade_count_30d": 4,
        "trade_count_90d": 6,
        "trade_count_prev_60d": 2,
        "trade_amount_7d": 200.0,
        "trade_amount_30d": 400.0,
        "trade_amount_90d": 600.0,
        "active_trading_days_7d": 2,
        "active_trading_days_30d": 4,
        "active_trading_days_90d": 6,
        "avg_trade_amount_90d": 100.0,
        "distinct_symbols_traded_90d": 2,
        "sector_share_energy_90d": 0.5,
        "sector_share_finance_90d": 0.5,
        "sector_share_technology_90d": 0.0,
        "sector_hhi_90d": 0.5,
        "top_sector_90d": "energy",  # a tie with finance: the alphabetically first
        "turnover_ratio_30d": None,
        "realised_win_rate_90d": None,
        "avg_holding_period_days_90d": None,
        "drawdown_sell_share_90d": None,
        "drawdown_buy_share_90d": None,
        # 2 fills on the 2 drawdown days; 3 on ordinary trading days (09-20 is a Sunday).
        "drawdown_trade_intensity_ratio_90d": (2 / 2) / (3 / ORDINARY_DAYS),
        "max_daily_trade_count_7d": 1,
        "median_daily_trade_count_90d": 1.0,
        "active_days_30d": 4,
        "active_days_prev_60d": 2,
        "active_days_trend_30d_vs_prev_60d": (4 / 30) / (2 / 60) - 1,
        "days_since_last_trade": 0,
        "days_since_last_activity": 0,
    },
    K3: {
        "trade_count_7d": 3,
        "trade_count_30d": 6,
        "trade_count_90d": 7,
        "buy_amount_90d": 110.0 + 100.0 + 200.0,
        "sell_amount_90d": 2000.0 + 5000.0 + 1000.0 + 500.0,
        # Matched sells: 07-23 at 10 vs cost 12 (loss), 10-13 at 10 vs 8 (win), 10-15 at 10 vs
        # 10 (neither); the S2 sell has no position the day before.
        "realised_win_rate_90d": 1 / 3,
        "realised_pnl_90d": 200 * (10 - 12) + 500 * (10 - 8) + 100 * (10 - 10.0),
        "avg_holding_period_days_90d": (1 + 2) / 2,
        "same_day_round_trips_30d": 1,
        "same_day_round_trips_90d": 1,
        "intraday_trade_share_90d": 2 / 7,
        "top_sector_90d": "technology",
        "equity_market_value": 7300.0,
        "equity_unrealised_pnl_ratio": (7300 - (410 * 10 + 320 * 9)) / (410 * 10 + 320 * 9),
        "total_assets_30d_ago": 10000.0,
        "balance_outflow_30d": 10000.0 - 7300.0,
        "total_assets_avg_7d": (2 * 8100.0 + 5 * 7300.0) / 7,
        "total_assets_max_90d": 14000.0,
        "equity_position_count": 2,
        "largest_position_share": 4100 / 7300,
        "position_sector_hhi": (4100**2 + 3200**2) / 7300**2,
        "unrealised_loss_position_share": 0.0,  # S1 at exactly its cost is not below it
        "customer_risk_level": None,
        "market_drawdown_days_90d": 2,
        # Sold 5000 on 10-13 and 2000 on 07-23; books the day before: 14000 and 10000.
        "drawdown_sell_share_90d": (5000 + 2000) / (14000 + 10000),
        "drawdown_buy_share_90d": 100 / (14000 + 10000),
        "normal_day_sell_share_90d": (1000 + 500)
        / (ORDINARY_DAYS_UNTIL_10_12 * 10000 + 3 * 8100 + 2 * 7300),
        # 10-13: p = 10-12, n = 10-15 (snapshot 10-14); 07-23: nothing changed between snapshots.
        "drawdown_exposure_change_per_day_90d": ((510 - 1000) * 11.0 / 14000 / 3 + 0.0) / 2,
        "drawdown_trade_intensity_ratio_90d": (3 / 2) / (4 / ORDINARY_DAYS),
        "post_rally_buy_share_90d": 100 / 410,  # S1 rose 10% the trading day before 10-13
        "market_rally_buy_share_90d": 200 / 410,  # 10-15 follows the 10-14 rally
        "limit_up_chase_buy_count_90d": 1,  # the re-delivered quote counts once
        "proportion_gains_realised_90d": 1 / (1 + 2),
        "proportion_losses_realised_90d": 1 / (1 + 0),
        "disposition_effect_90d": 1 / 3 - 1,
        "max_daily_trade_count_7d": 3,
        "median_daily_trade_count_90d": (1 + 2) / 2,
        "median_daily_trade_amount_90d": (1700 + 2000) / 2,
        "same_day_round_trip_amount_90d": 5100.0,
        "wash_like_round_trips_90d": 0,
    },
    K4: {
        "trade_count_7d": 8,
        "max_daily_trade_count_7d": 4,
        "max_daily_trade_count_30d": 4,
        "median_daily_trade_count_90d": (1 + 2) / 2,  # days with 4, 1, 1 and 2 fills
        "max_daily_trade_amount_7d": 1_000_000.0,
        "median_daily_trade_amount_90d": (3505 + 1_000_000) / 2,
        "same_day_round_trips_30d": 2,
        "same_day_round_trip_amount_90d": 1000.0 + 1005.0 + 1000.0 + 500.0,
        "intraday_trade_share_90d": 4 / 8,
        "wash_like_round_trips_90d": 1,  # S1: 100 vs 100 shares at 10.00 vs 10.05
        "closing_window_trade_share_30d": 2 / 8,  # 14:50:00 and 15:00:00, not 14:49:59/15:00:01
        "max_symbol_trade_share_30d": 2_000_000 / 2_003_705,
        "large_trade_count_30d": 2,
        "margin_trade_share_90d": 100 / 2_003_705,
        "app_trade_share_90d": 6 / 8,
        "avg_holding_period_days_90d": (0 + 0 + 1) / 3,
        "realised_win_rate_90d": None,
        "realised_pnl_90d": 0.0,
        "sector_hhi_90d": (2205**2 + 1500**2 + 2_000_000**2) / 2_003_705**2,
        "top_sector_90d": "consumer",
        "turnover_ratio_7d": None,
        "drawdown_trade_intensity_ratio_90d": 0.0,
        "market_rally_buy_share_90d": 1_000_000 / 1_002_200,
    },
    K5: {
        "ecommerce_order_count_30d": 2,
        "ecommerce_order_count_90d": 4,
        "ecommerce_spend_30d": 1500.0,
        "ecommerce_spend_90d": 1800.0,
        "ecommerce_refund_count_90d": 1,
        "luxury_spend_90d": 1000.0,
        "luxury_share_90d": 1000 / 1800,
        "electronics_spend_90d": 500.0,
        "books_spend_90d": 200.0,
        "sports_spend_90d": 100.0,
        "travel_booking_count_90d": 5,
        "travel_spend_30d": 3000.0 + 1000.0,
        "travel_spend_90d": 3000.0 + 1000.0 + 2000.0 + 500.0 + 800.0,
        "international_trip_count_90d": 2,  # (11-19, JP) and (09-10, TH)
        "upcoming_international_trip_30d": True,  # departs 11-19 = as_of + 30
        "distinct_destination_countries_90d": 2,
        "airport_visit_count_7d": 1,
        "airport_visit_count_90d": 3,
        "days_since_last_airport_visit": 6,
        "distinct_cities_visited_90d": 3,
        "mall_visit_count_30d": 2,
        "school_visit_count_30d": 1,
        "parenting_spend_30d": 100.0 + 300.0,
        "parenting_spend_90d": 100.0 + 300.0 + 200.0,
        "education_spend_90d": 300.0,
        "infant_spend_90d": 100.0 + 200.0,
        "child_present_365d": True,
        # 6 months on 10-15 (+0), 3 months on 08-10 (+2): the 2035 purchase was another
        # customer's, before the phone number moved.
        "youngest_child_age_months": 3 + 2,
        "trade_count_90d": 0,
        "top_sector_90d": None,
        "days_since_last_trade": None,
        "days_since_last_activity": (AS_OF - d("2032-05-05")).days,
    },
    K6: {
        # Held S4 on the 10-16 snapshot only: nothing at snap(as_of) = 10-20.
        "equity_market_value": 0.0,
        "equity_position_count": 0,
        "largest_position_share": None,
        "position_sector_hhi": None,
        "wealth_market_value": 100.0,
        "total_assets": 100.0,
        "total_assets_avg_7d": (4 * 1000.0 + 100.0) / 7,
        "total_assets_avg_30d": (4 * 1000.0 + 100.0) / 30,
        "total_assets_max_90d": 1000.0,
        "turnover_ratio_7d": 0.0,
        # Never assessed: suitable for nothing.
        "customer_risk_level": None,
        "holdings_above_risk_level_count": 1,
        "holdings_above_risk_level_value": 100.0,
        "max_product_risk_level_held": 2,
        "wealth_risk_level_weighted": 2.0,
        "wealth_share_fund": 1.0,
        "fixed_income_share": 0.0,
        "normal_day_sell_share_90d": 0.0,
        "drawdown_sell_share_90d": None,
        "trade_count_90d": 0,
        "median_daily_trade_count_90d": None,
        "max_daily_trade_amount_7d": 0.0,
        "active_days_trend_30d_vs_prev_60d": None,
    },
}

# At 2037-10-22 the rows dated or delivered after 2037-10-20 come into view.
EXPECTED_LATER: dict[str, dict[str, object]] = {
    # snap(positions, 10-22) is the 10-21 snapshot, which only K1 appears in.
    K1: {"city": "Beijing", "age_years": 39, "customer_risk_level": 5,
         "equity_market_value": 99999.0},
    K3: {"equity_market_value": 0.0, "total_assets_30d_ago": 10000.0},
    K2: {"trade_count_7d": 3, "days_since_last_trade": 1},
    K7: {"city": "Xiamen", "account_age_days": 1},
}


def _mismatches(row: dict, expected: dict) -> list[str]:
    problems = []
    for name, want in expected.items():
        got = row[name]
        if isinstance(want, float) and not isinstance(want, bool) and got is not None:
            ok = got == pytest.approx(want, rel=1e-9, abs=1e-12)
        else:
            ok = got == want and type(got) is type(want)
        if not ok:
            problems.append(f"{name}: got {got!r}, expected {want!r}")
    return problems


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.slow)])
def built(request) -> dict[dt.date, dict[str, dict]]:
    if request.param == "duckdb":
        return request.getfixturevalue("duckdb_features")
    return request.getfixturevalue("spark_features").rows


def test_expectations_name_real_features():
    names = {feature.name for feature in load_features()}
    for expected in (*EXPECTED.values(), *EXPECTED_LATER.values()):
        assert set(expected) <= names


def test_population_is_the_mapped_customers_with_kyc_by_as_of(built):
    assert set(built[AS_OF]) == {K1, K2, K3, K4, K5, K6}
    assert set(built[LATER]) == {K1, K2, K3, K4, K5, K6, K7}


@pytest.mark.parametrize("customer", sorted(EXPECTED))
def test_hand_computed_values_at_as_of(built, customer):
    assert _mismatches(built[AS_OF][customer], EXPECTED[customer]) == []


@pytest.mark.parametrize("customer", sorted(EXPECTED_LATER))
def test_later_rows_show_up_at_a_later_as_of(built, customer):
    assert _mismatches(built[LATER][customer], EXPECTED_LATER[customer]) == []


def test_market_calendar_is_the_same_for_everyone(built):
    assert {row["market_drawdown_days_90d"] for row in built[AS_OF].values()} == {2}


def test_declared_non_nullable_features_are_never_null(built):
    required = [feature.name for feature in load_features() if not feature.nullable]
    for day, rows in built.items():
        for customer, row in rows.items():
            nulls = [name for name in required if row[name] is None]
            assert nulls == [], f"{customer} at {day}"
