"""Trades and positions: planted behaviours, T+1, board lots, fees, and consistency."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from generator_checks import load_source

from profilehub.contracts import MARKET_QUOTES, POSITIONS, TRADES
from profilehub.generator import calibration as cal


@pytest.fixture(scope="module")
def trading(behaviour_run):
    landing, truth_dir = behaviour_run.paths.landing, behaviour_run.paths.ground_truth
    trades = load_source(landing, TRADES)
    trades["day"] = trades.trade_time.dt.normalize()
    positions = load_source(landing, POSITIONS)
    positions["day"] = pd.to_datetime(positions.position_date)
    truth = pq.read_table(truth_dir / "customers.parquet").to_pandas().set_index("account_id")
    days = pq.read_table(truth_dir / "market_days.parquet").to_pandas()
    return trades, positions, truth, days


def test_panic_sellers_dump_their_positions_on_drawdown_days(trading):
    trades, positions, truth, days = trading
    drawdown = pd.to_datetime(days.date[days.is_drawdown]).iloc[0]
    held = positions[positions.day == drawdown - pd.Timedelta(days=1)]
    value = held.groupby("account_id").market_value.sum()
    sold = trades[(trades.day == drawdown) & (trades.side == "SELL")].groupby(
        "account_id").amount.sum().reindex(value.index, fill_value=0.0)
    cohort = truth.reindex(value.index)
    panic = cohort.is_panic_seller
    # Day and wash traders sell a lot every day, but buy it back: compare with the rest.
    others = ~panic & ~cohort.is_day_trader & ~cohort.is_wash_trader
    panic_share = sold[panic].sum() / value[panic].sum()
    other_share = sold[others].sum() / value[others].sum()
    assert panic.sum() >= 50
    assert panic_share >= 0.4
    assert panic_share >= 5 * other_share


def round_trips(trades: pd.DataFrame) -> pd.DataFrame:
    """Same account, day and symbol both bought and sold."""
    sides = trades.groupby(["account_id", "day", "symbol"]).side.nunique()
    return sides[sides == 2].reset_index()


def test_day_traders_make_many_same_day_round_trips(trading):
    trades, _, truth, _ = trading
    trips = round_trips(trades).groupby("account_id").size()
    active_days = trades.groupby("account_id").day.nunique()
    per_day = (trips / active_days).reindex(truth.index, fill_value=0.0)
    assert per_day[truth.is_day_trader].mean() >= 4
    plain = ~truth.is_day_trader & ~truth.is_wash_trader
    assert per_day[plain].mean() <= 0.2


def test_wash_traders_buy_and_sell_one_thin_symbol_at_one_price(trading):
    trades, _, truth, _ = trading
    washers = truth.index[truth.is_wash_trader]
    assert len(washers) >= 2
    mine = trades[trades.account_id.isin(washers)]
    legs = mine.groupby(["account_id", "day", "symbol", "quantity", "price"]).side.agg(
        lambda sides: {"BUY", "SELL"} <= set(sides))
    matched = legs[legs].reset_index()
    assert (matched.groupby("account_id").size() >= 3 * trades.day.nunique()).all()
    assert (matched.groupby("account_id").symbol.nunique() == 1).all()


def test_fomo_chasers_pile_into_the_top_gainers_on_rally_days(trading, behaviour_run):
    trades, _, truth, days = trading
    rally = pd.Timestamp(days.date[days.is_rally].iloc[0])
    quotes = load_source(behaviour_run.paths.landing, MARKET_QUOTES)
    today = quotes[pd.to_datetime(quotes.trade_date) == rally]
    gain = today.close / today.prev_close - 1
    top = set(today.symbol[gain >= gain.quantile(cal.FOMO_TOP_GAINER_QUANTILE)])
    buys = trades[(trades.day == rally) & (trades.side == "BUY")]
    chasing = buys.symbol.isin(top)
    fomo = buys.account_id.map(truth.is_fomo_chaser).astype(bool)
    fomo_share = buys.amount[fomo & chasing].sum() / buys.amount[fomo].sum()
    other_share = buys.amount[~fomo & chasing].sum() / buys.amount[~fomo].sum()
    assert fomo_share >= 0.5
    assert fomo_share >= 3 * other_share


def test_churners_fade_out_and_stop(trading):
    trades, _, truth, _ = trading
    churners = truth[truth.is_churner]
    stopped = trades.merge(churners.churn_stop_date.rename("stop"), left_on="account_id",
                           right_index=True)
    assert len(churners) >= 50
    assert (stopped.day < pd.to_datetime(stopped.stop)).all()
    last_day = trades.day.max()
    gone = churners[pd.to_datetime(churners.churn_stop_date) <= last_day]
    assert len(gone) >= 10


def test_positions_follow_from_trades(trading):
    trades, positions, _, _ = trading
    signed = trades.quantity.where(trades.side == "BUY", -trades.quantity)
    flow = trades.assign(signed=signed).groupby(["day", "account_id", "symbol"]).signed.sum()
    held = positions.set_index(["day", "account_id", "symbol"]).quantity
    for day in sorted(positions.day.unique())[1:]:
        before = held.xs(day - pd.Timedelta(days=1), level="day")
        after = held.xs(day, level="day")
        moved = flow.xs(day, level="day") if day in flow.index.levels[0] else before * 0
        expected = before.add(moved, fill_value=0)
        expected = expected[expected != 0].astype(int).sort_index()
        assert expected.equals(after.sort_index()), day


def test_sells_never_exceed_the_opening_position(trading):
    trades, positions, _, _ = trading
    sells = trades[trades.side == "SELL"].groupby(["day", "account_id", "symbol"]).quantity.sum()
    held = positions.set_index(["day", "account_id", "symbol"]).quantity
    later = sells[sells.index.get_level_values("day") > positions.day.min()]
    previous = later.index.set_levels(later.index.levels[0] - pd.Timedelta(days=1), level="day")
    opening = held.reindex(previous).fillna(0).values
    assert (later.values <= opening).all()


def test_fills_are_board_lots_with_brokerage_fees(trading):
    trades, _, _, _ = trading
    assert (trades.quantity % cal.LOT_SIZE == 0).all()
    assert np.allclose(trades.amount, (trades.quantity * trades.price).round(2))
    sell = trades.side == "SELL"
    fee = (np.maximum(cal.MIN_COMMISSION, cal.COMMISSION_RATE * trades.amount)
           + cal.TRANSFER_FEE_RATE * trades.amount + sell * cal.STAMP_DUTY_RATE * trades.amount)
    assert np.allclose(trades.fee, fee.round(2), atol=0.011)
    assert trades.trade_time.dt.time.between(dt.time(9, 30), dt.time(15, 0)).all()
    margin_accounts = set(trades.account_id[trades.is_margin])
    assert 0 < len(margin_accounts) < 0.1 * trades.account_id.nunique()


def test_trading_frequency_is_heavy_tailed(trading):
    trades, _, truth, _ = trading
    per_account = trades.groupby("account_id").size().reindex(truth.index, fill_value=0)
    assert per_account.median() <= 0.2 * per_account.mean() + 2
    assert per_account.quantile(0.99) >= 10 * max(per_account.median(), 1)


def test_positions_reflect_sector_preferences(trading):
    _, positions, truth, _ = trading
    first = positions[positions.day == positions.day.min()]
    value = first.groupby(["account_id", "sector"]).market_value.sum().reset_index()
    top = value.sort_values("market_value").groupby("account_id").tail(1).set_index("account_id")
    preferred = truth.preferred_sector.reindex(top.index)
    assert (top.sector == preferred).mean() >= 0.35
