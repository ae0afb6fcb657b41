"""Equity trading: the book of positions and each day's fills, one vectorised pass per day.

A day's fills are *legs* from several behaviours (regular trading, day traders' round trips,
wash trades, panic selling after a drawdown, FOMO buying after a rally, new accounts' first
purchases). Sells obey T+1: all sells of a position on a day together never exceed what was
held at the start of the day. The book is then updated from exactly the fills written, so
positions always agree with trades.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa

from profilehub.contracts import POSITIONS, TRADES
from profilehub.generator import calibration as cal
from profilehub.generator.clock import at, day64, session_clock, session_offsets
from profilehub.generator.identity import record_ids
from profilehub.generator.market import SECTOR_NAMES, Market
from profilehub.generator.population import Population
from profilehub.generator.randomness import categorical, row_categorical, stream
from profilehub.generator.records import build_table

LOT = cal.LOT_SIZE
MAX_POSITION_QUANTITY = 10_000_000
SIDES = pa.array(["BUY", "SELL"])
TRADE_CHANNEL_NAMES = pa.array([name for name, _ in cal.TRADE_CHANNELS])


@dataclass
class Legs:
    account: np.ndarray
    symbol: np.ndarray
    sell: np.ndarray
    quantity: np.ndarray
    price: np.ndarray  # NaN: drawn from the day's intraday range
    second: np.ndarray  # offset into the trading session

    @property
    def size(self) -> int:
        return int(self.account.size)

    @classmethod
    def of(cls, account, symbol, sell, quantity, second, price=None) -> Legs:
        n = np.asarray(account).size
        return cls(np.asarray(account, dtype=np.int64), np.asarray(symbol, dtype=np.int64),
                   np.broadcast_to(np.asarray(sell, dtype=bool), n).copy(),
                   np.asarray(quantity, dtype=np.int64),
                   np.full(n, np.nan) if price is None else np.asarray(price, dtype=np.float64),
                   np.asarray(second, dtype=np.int64))

    @classmethod
    def concat(cls, parts: list[Legs]) -> Legs:
        return cls(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)))

    def take(self, index) -> Legs:
        return Legs(*(getattr(self, f.name)[index] for f in fields(self)))


@dataclass
class Book:
    """Open positions, sorted by (account, symbol)."""

    account: np.ndarray
    symbol: np.ndarray
    quantity: np.ndarray
    cost: np.ndarray
    symbol_space: int

    def keys(self) -> np.ndarray:
        return self.account * self.symbol_space + self.symbol

    def rows_of(self, accounts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        first = np.searchsorted(self.account, accounts, side="left")
        return first, np.searchsorted(self.account, accounts, side="right") - first

    def quantity_of(self, keys: np.ndarray) -> np.ndarray:
        """Shares held under each (account * symbol_space + symbol) key; 0 if none."""
        book_keys = self.keys()
        if book_keys.size == 0:
            return np.zeros(np.asarray(keys).size, dtype=np.int64)
        at = np.minimum(np.searchsorted(book_keys, keys), book_keys.size - 1)
        return np.where(book_keys[at] == keys, self.quantity[at], 0)


def lots(shares: np.ndarray, minimum: int = LOT) -> np.ndarray:
    """Round share counts to whole board lots, at least ``minimum``."""
    return np.maximum(np.round(np.asarray(shares) / LOT) * LOT, minimum).astype(np.int64)


def merge_positions(account, symbol, quantity, cost, symbol_space: int) -> Book:
    keys = account * symbol_space + symbol
    unique, inverse = np.unique(keys, return_inverse=True)
    qty = np.bincount(inverse, quantity.astype(np.float64), unique.size)
    spent = np.bincount(inverse, quantity * cost, unique.size)
    return Book(unique // symbol_space, unique % symbol_space, np.rint(qty).astype(np.int64),
                spent / np.maximum(qty, 1), symbol_space)


def portfolio(rng, pop: Population, market: Market, accounts: np.ndarray, equity: np.ndarray,
              prices: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions (account, symbol, quantity) spending each account's equity in its sectors."""
    log_equity = np.log10(np.maximum(equity, 1.0))
    mean = cal.POSITIONS_SLOPE * np.maximum(log_equity - cal.POSITIONS_LOG_OFFSET, 0)
    count = np.minimum(1 + rng.poisson(mean), cal.MAX_POSITIONS)
    count *= equity >= cal.MIN_EQUITY_FOR_POSITIONS
    group = np.repeat(np.arange(accounts.size), count)
    weight = rng.exponential(1.0, group.size)
    value = equity[group] * weight / np.bincount(group, weight, accounts.size)[group]
    owner = accounts[group]
    sector = row_categorical(rng, pop.sector_cumulative[owner])
    symbol = market.sample_symbols(sector, rng.random(group.size))
    for _ in range(3):  # redraw securities whose board lot costs more than the slot
        dear = LOT * prices[symbol] > value
        symbol[dear] = market.sample_symbols(sector[dear], rng.random(int(dear.sum())))
    affordable = LOT * prices[symbol] <= value
    quantity = np.minimum(lots(value / prices[symbol]), MAX_POSITION_QUANTITY)
    return owner[affordable], symbol[affordable], quantity[affordable]


class TradingDesk:
    """Holds the book across days and produces each day's trades and positions."""

    def __init__(self, seed: int, pop: Population, market: Market) -> None:
        self.seed, self.pop, self.market = seed, pop, market
        self.wash_symbol = np.full(pop.size, -1, dtype=np.int64)
        self.book = self._initial_book(stream(seed, "initial-book"))

    def _initial_book(self, rng) -> Book:
        pop, market = self.pop, self.market
        existing = np.flatnonzero(pop.open_day < 0)
        equity = pop.equity_target[existing] * np.where(pop.wash_trader[existing], 0.5, 1.0)
        account, symbol, quantity = portfolio(rng, pop, market, existing, equity, market.closes[0])
        washers = np.flatnonzero(pop.wash_trader)
        candidates = market.thin_cheap_symbols()
        self.wash_symbol[washers] = candidates[rng.integers(0, candidates.size, washers.size)]
        wash_price = market.closes[0, self.wash_symbol[washers]]
        wash_quantity = lots(0.5 * pop.equity_target[washers] / wash_price, 15 * LOT)
        account = np.r_[account, washers]
        symbol = np.r_[symbol, self.wash_symbol[washers]]
        quantity = np.r_[quantity, wash_quantity]
        start_price = market.closes[0, symbol]
        cost = start_price * np.exp(cal.COST_BASIS_SPREAD * rng.standard_normal(symbol.size))
        return merge_positions(account, symbol, quantity, np.clip(cost, 0.01, 9999.0),
                               market.size)

    # --- one day ---------------------------------------------------------------------------------

    def trade_day(self, day_index: int) -> pa.Table:
        """The day's fills as a ``trades`` table; the book moves to the day's close."""
        rng = stream(self.seed, "trades", day_index)
        activity = self.pop.activity(day_index)
        legs = Legs.concat([
            self._regular(rng, day_index, activity), self._round_trips(rng, activity),
            self._wash_trades(rng, day_index, activity), self._panic(rng, day_index),
            self._fomo(rng, day_index, activity), self._opening(rng, day_index),
        ])
        missing = np.isnan(legs.price)
        legs.price[missing] = self.market.intraday_prices(rng, day_index, legs.symbol[missing])
        legs = self._settle_t_plus_one(legs)
        legs = legs.take(np.argsort(legs.second, kind="stable"))
        self._apply(legs)
        return self._trades_table(rng, day_index, legs)

    def _market_factor(self, day_index: int) -> float:
        if self.market.drawdown[day_index]:
            return cal.DRAWDOWN_ACTIVITY
        return cal.RALLY_ACTIVITY if self.market.rally[day_index] else 1.0

    def _regular(self, rng, day_index: int, activity: np.ndarray) -> Legs:
        pop = self.pop
        rate = np.where(pop.day_trader, cal.DAY_TRADER_REGULAR_RATE, pop.trade_rate)
        account = np.repeat(np.arange(pop.size),
                            rng.poisson(rate * activity * self._market_factor(day_index)))
        first, count = self.book.rows_of(account)
        churning = pop.churner[account] & (day_index >= pop.churn_start_day[account])
        sell_p = np.where(churning, cal.CHURN_SELL_PROBABILITY, cal.SELL_PROBABILITY)
        sell = (count > 0) & (rng.random(account.size) < sell_p)
        row = first + (rng.random(account.size) * count).astype(np.int64)
        row = np.minimum(row, max(self.book.account.size - 1, 0))
        fraction = rng.uniform(*cal.SELL_FRACTION, account.size)
        buy_symbol, buy_quantity = self._buys(rng, day_index, account, cal.TRADE_SIZE_SHARE)
        if self.book.account.size:
            held = self.book.quantity[row]
            sell_symbol = self.book.symbol[row]
        else:
            held = sell_symbol = np.zeros(account.size, dtype=np.int64)
        sell_quantity = np.where(fraction > cal.SELL_ALL_ABOVE, held,
                                 np.minimum(lots(held * fraction), held))
        return Legs.of(account, np.where(sell, sell_symbol, buy_symbol), sell,
                       np.where(sell, sell_quantity, buy_quantity),
                       session_offsets(rng, account.size))

    def _buys(self, rng, day_index, account, size_share, symbols=None):
        if symbols is None:
            sector = row_categorical(rng, self.pop.sector_cumulative[account])
            symbols = self.market.sample_symbols(sector, rng.random(account.size))
        value = self.pop.equity_target[account] * rng.uniform(*size_share, account.size)
        shares = value / self.market.closes[day_index, symbols]
        return symbols, np.minimum(lots(shares), cal.MAX_FILL_QUANTITY)

    def _held_rows(self, rng, account: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A random held position of each account (accounts holding nothing are dropped)."""
        first, count = self.book.rows_of(account)
        keep = count > 0
        row = first[keep] + (rng.random(int(keep.sum())) * count[keep]).astype(np.int64)
        return account[keep], row

    def _round_trips(self, rng, activity: np.ndarray) -> Legs:
        """Day traders sell shares held overnight and buy them back the same day (T+0)."""
        traders = np.flatnonzero(self.pop.day_trader & (activity > 0))
        trips = rng.poisson(cal.DAY_TRADER_ROUND_TRIPS * activity[traders])
        account, row = self._held_rows(rng, np.repeat(traders, trips))
        quantity = np.minimum(LOT * rng.integers(1, 10, account.size), self.book.quantity[row])
        symbol = self.book.symbol[row]
        first = session_offsets(rng, account.size)
        second = first + rng.integers(300, 7200, account.size)
        sell_first = rng.random(account.size) < 0.5
        return Legs.concat([Legs.of(account, symbol, sell_first, quantity, first),
                            Legs.of(account, symbol, ~sell_first, quantity, second)])

    def _wash_trades(self, rng, day_index: int, activity: np.ndarray) -> Legs:
        """Wash traders buy and sell the same quantity of one thin security at one price."""
        traders = np.flatnonzero(self.pop.wash_trader & (activity > 0))
        symbol = self.wash_symbol[traders]
        held = self.book.quantity_of(traders * self.market.size + symbol)
        low, high = cal.WASH_ROUND_TRIPS
        trips = np.where(held >= LOT, rng.integers(low, high + 1, traders.size), 0)
        quantity = np.repeat(lots(held / (high + 1)), trips)
        account, symbol = np.repeat(traders, trips), np.repeat(symbol, trips)
        price = self.market.intraday_prices(rng, day_index, symbol)
        first = session_offsets(rng, account.size)
        second = first + rng.integers(30, 180, account.size)
        return Legs.concat([Legs.of(account, symbol, False, quantity, first, price),
                            Legs.of(account, symbol, True, quantity, second, price)])

    def _panic(self, rng, day_index: int) -> Legs:
        """Panic sellers dump most positions on a drawdown day, and more the day after."""
        drawdown = self.market.drawdown
        if drawdown[day_index]:
            probability = cal.PANIC_POSITION_PROBABILITY
        elif day_index > 0 and drawdown[day_index - 1]:
            probability = cal.PANIC_NEXT_DAY_PROBABILITY
        else:
            return Legs.of([], [], False, [], [])
        book = self.book
        rows = np.flatnonzero(self.pop.panic_seller[book.account]
                              & (rng.random(book.account.size) < probability))
        fraction = rng.uniform(*cal.PANIC_SELL_FRACTION, rows.size)
        held = book.quantity[rows]
        quantity = np.where(fraction > cal.SELL_ALL_ABOVE, held,
                            np.minimum(lots(held * fraction), held))
        return Legs.of(book.account[rows], book.symbol[rows], True, quantity,
                       session_offsets(rng, rows.size))

    def _fomo(self, rng, day_index: int, activity: np.ndarray) -> Legs:
        """FOMO chasers pile into the top gainers on a rally day and the day after."""
        rally = self.market.rally
        if rally[day_index]:
            gainers = self.market.top_gainers(day_index)
        elif day_index > 0 and rally[day_index - 1]:
            gainers = self.market.top_gainers(day_index - 1)
        else:
            return Legs.of([], [], False, [], [])
        chasers = np.flatnonzero(self.pop.fomo_chaser & (activity > 0))
        account = np.repeat(chasers, 1 + rng.poisson(cal.FOMO_BUYS, chasers.size))
        picked = gainers[rng.integers(0, gainers.size, account.size)]
        symbol, quantity = self._buys(rng, day_index, account, cal.FOMO_SIZE_SHARE, picked)
        return Legs.of(account, symbol, False, quantity, session_offsets(rng, account.size))

    def _opening(self, rng, day_index: int) -> Legs:
        """Accounts opened today buy their first portfolio."""
        opened = np.flatnonzero(self.pop.open_day == day_index)
        account, symbol, quantity = portfolio(rng, self.pop, self.market, opened,
                                              self.pop.equity_target[opened],
                                              self.market.closes[day_index])
        return Legs.of(account, symbol, False, np.minimum(quantity, cal.MAX_FILL_QUANTITY),
                       session_offsets(rng, account.size))

    # --- settlement ------------------------------------------------------------------------------

    def _settle_t_plus_one(self, legs: Legs) -> Legs:
        """Cut sells so that a day's sells of a position never exceed the opening holding."""
        sells = np.flatnonzero(legs.sell)
        keys = legs.account[sells] * self.market.size + legs.symbol[sells]
        order = np.lexsort((legs.second[sells], keys))
        keys, rows = keys[order], sells[order]
        quantity = legs.quantity[rows]
        running = np.cumsum(quantity)
        first = np.searchsorted(keys, keys, side="left")
        sold_before = running - quantity - (running[first] - quantity[first])
        available = self.book.quantity_of(keys)
        legs.quantity[rows] = np.clip(available - sold_before, 0, quantity)
        return legs.take(np.flatnonzero(legs.quantity > 0))

    def _apply(self, legs: Legs) -> None:
        book, space = self.book, self.market.size
        keys = np.r_[book.keys(), legs.account * space + legs.symbol]
        unique, inverse = np.unique(keys, return_inverse=True)
        held, traded = inverse[: book.account.size], inverse[book.account.size:]
        bought = np.where(legs.sell, 0, legs.quantity).astype(np.float64)
        quantity = (np.bincount(held, book.quantity.astype(np.float64), unique.size)
                    + np.bincount(traded, bought, unique.size)
                    - np.bincount(traded, np.where(legs.sell, legs.quantity, 0.0), unique.size))
        spent = (np.bincount(held, book.quantity * book.cost, unique.size)
                 + np.bincount(traded, bought * legs.price, unique.size))
        bought_or_held = (np.bincount(held, book.quantity.astype(np.float64), unique.size)
                          + np.bincount(traded, bought, unique.size))
        keep = quantity > 0.5
        cost = spent / np.maximum(bought_or_held, 1)
        self.book = Book(unique[keep] // space, unique[keep] % space,
                         np.rint(quantity[keep]).astype(np.int64), cost[keep], space)

    # --- tables ----------------------------------------------------------------------------------

    def _trades_table(self, rng, day_index: int, legs: Legs) -> pa.Table:
        day = self.pop.start + dt.timedelta(days=day_index)
        amount = np.round(legs.quantity * legs.price, 2)
        fee = np.maximum(cal.MIN_COMMISSION, cal.COMMISSION_RATE * amount)
        fee += cal.TRANSFER_FEE_RATE * amount + np.where(legs.sell, cal.STAMP_DUTY_RATE * amount, 0)
        margin = self.pop.margin_user[legs.account] & (
            rng.random(legs.size) < cal.MARGIN_TRADE_PROBABILITY)
        channel = categorical(rng, [w for _, w in cal.TRADE_CHANNELS], legs.size)
        return build_table(TRADES, {
            "trade_id": record_ids("T", day, np.arange(1, legs.size + 1)),
            "account_id": self.pop.account_ids.take(pa.array(legs.account)),
            "trade_time": at(day, session_clock(legs.second)),
            "symbol": self.market.symbols.take(pa.array(legs.symbol)),
            "sector": SECTOR_NAMES.take(pa.array(self.market.sector[legs.symbol])),
            "side": SIDES.take(pa.array(legs.sell.astype(np.int64))),
            "quantity": legs.quantity, "price": legs.price, "amount": amount,
            "fee": np.round(fee, 2), "is_margin": margin,
            "channel": TRADE_CHANNEL_NAMES.take(pa.array(channel)),
        })

    def position_values(self, day_index: int) -> np.ndarray:
        """Closing market value of each position in the book, in CNY (as written)."""
        return np.round(self.book.quantity * self.market.closes[day_index + 1, self.book.symbol], 2)

    def equity_by_account(self, day_index: int) -> np.ndarray:
        return np.bincount(self.book.account, self.position_values(day_index), self.pop.size)

    def positions_table(self, day_index: int) -> pa.Table:
        book = self.book
        return build_table(POSITIONS, {
            "account_id": self.pop.account_ids.take(pa.array(book.account)),
            "position_date": np.full(book.account.size, day64(self.pop.start) + day_index),
            "symbol": self.market.symbols.take(pa.array(book.symbol)),
            "sector": SECTOR_NAMES.take(pa.array(self.market.sector[book.symbol])),
            "quantity": book.quantity, "cost_basis": np.round(book.cost, 3),
            "market_value": self.position_values(day_index),
        })
