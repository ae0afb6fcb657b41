"""The market: planted drawdown days, quotes consistent with the index, A-share codes."""

from __future__ import annotations

import pyarrow.parquet as pq
from generator_checks import load_source

from profilehub.contracts import MARKET_QUOTES, SECTORS


def market_days(run):
    return pq.read_table(run.paths.ground_truth / "market_days.parquet").to_pandas()


def test_drawdown_days_are_planted(behaviour_run):
    days = market_days(behaviour_run)
    assert len(days) == 8
    drawdowns = days[days.is_drawdown]
    assert 1 <= len(drawdowns) <= 4
    assert (drawdowns.index_return <= -0.03).all()
    assert (days[~days.is_drawdown].index_return > -0.03).all()
    assert not days.is_drawdown.iloc[0]


def test_quotes_carry_the_index_and_fall_on_drawdown_days(behaviour_run):
    quotes = load_source(behaviour_run.paths.landing, MARKET_QUOTES)
    days = market_days(behaviour_run).set_index("date")
    index = quotes.groupby("trade_date").index_close.agg(["min", "max"])
    assert (index["min"] == index["max"]).all()
    assert (index["min"].values == days.index_close.values).all()
    quotes["ret"] = quotes.close / quotes.prev_close - 1
    by_day = quotes.groupby("trade_date").ret.mean()
    drawdown_dates = days.index[days.is_drawdown]
    assert (by_day.loc[drawdown_dates] < -0.02).all()


def test_each_close_is_the_next_previous_close(behaviour_run):
    quotes = load_source(behaviour_run.paths.landing, MARKET_QUOTES).sort_values(
        ["symbol", "trade_date"])
    same_symbol = quotes.symbol.eq(quotes.symbol.shift())
    assert (quotes.prev_close[same_symbol].values
            == quotes.close.shift()[same_symbol].values).all()


def test_securities_look_like_a_shares(behaviour_run):
    quotes = load_source(behaviour_run.paths.landing, MARKET_QUOTES)
    symbols = quotes.drop_duplicates("symbol")
    assert 300 <= len(symbols) <= 800
    assert set(symbols.sector) == set(SECTORS)
    boards = symbols.symbol.str[:3]
    assert boards.isin(["600", "601", "602", "603", "604", "605", "688", "000", "001", "002",
                        "300", "301"]).all()
    growth = quotes.symbol.str[:3].isin(["300", "301", "688"])
    limit = growth.map({True: 0.2, False: 0.1})
    # The exchange rounds limit prices to the fen, as the generator does.
    assert (quotes.close <= (quotes.prev_close * (1 + limit)).round(2) + 1e-9).all()
    assert (quotes.close >= (quotes.prev_close * (1 - limit)).round(2) - 1e-9).all()
