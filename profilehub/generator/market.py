"""The A-share market of the run: securities, a broad index with planted drawdowns, closes.

Every delivery date is a trading day. Day ``d`` (0-based) closes at ``closes[d + 1]``;
``closes[0]`` is the close before the first delivery date. Each security moves with the index
(its beta), its sector and its own noise, within the board's daily price limit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from profilehub.contracts import MARKET_QUOTES, SECTORS
from profilehub.generator import calibration as cal
from profilehub.generator.clock import day64
from profilehub.generator.randomness import categorical, stream
from profilehub.generator.records import build_table

# (first code, number of codes, share of listed securities) per board.
BOARDS = ((600_000, 6000, 0.35), (688_000, 1000, 0.10), (1, 1999, 0.25), (2001, 999, 0.15),
          (300_001, 1999, 0.15))
SECTOR_NAMES = pa.array(SECTORS)


@dataclass
class Market:
    start: dt.date
    symbols: pa.Array
    sector: np.ndarray
    beta: np.ndarray
    popularity: np.ndarray
    closes: np.ndarray  # (days + 1, symbols)
    limit: np.ndarray
    index_close: np.ndarray  # (days + 1,)
    drawdown: np.ndarray  # (days,) bool
    rally: np.ndarray  # (days,) bool
    sector_order: np.ndarray
    sector_key: np.ndarray

    @property
    def size(self) -> int:
        return int(self.sector.size)

    def index_return(self, day_index: int) -> float:
        return float(self.index_close[day_index + 1] / self.index_close[day_index] - 1)

    def returns(self, day_index: int) -> np.ndarray:
        return self.closes[day_index + 1] / self.closes[day_index] - 1

    def sample_symbols(self, sectors: np.ndarray, u: np.ndarray) -> np.ndarray:
        """A security of each given sector, drawn by popularity (``u`` uniform in [0, 1))."""
        u = np.maximum(u, 1e-9)  # u == 0 would land on the previous sector's last security
        position = np.searchsorted(self.sector_key, sectors + u, side="left")
        return self.sector_order[np.minimum(position, self.size - 1)]

    def intraday_prices(self, rng, day_index: int, symbols: np.ndarray) -> np.ndarray:
        """Fill prices between the previous close and the close, within the price limit."""
        prev = self.closes[day_index, symbols]
        close = self.closes[day_index + 1, symbols]
        price = prev + rng.random(symbols.size) * (close - prev)
        price *= 1 + cal.INTRADAY_NOISE * rng.standard_normal(symbols.size)
        limit = self.limit[symbols]
        return np.round(np.clip(price, prev * (1 - limit), prev * (1 + limit)), 2).clip(0.01)

    def top_gainers(self, day_index: int) -> np.ndarray:
        returns = self.returns(day_index)
        return np.flatnonzero(returns >= np.quantile(returns, cal.FOMO_TOP_GAINER_QUANTILE))

    def thin_cheap_symbols(self) -> np.ndarray:
        """Little-traded, low-priced securities: where wash trades hide."""
        quiet = self.popularity <= np.quantile(self.popularity, 0.3)
        cheap = self.closes[0] < 15.0
        found = np.flatnonzero(quiet & cheap)
        return found if found.size else np.argsort(self.closes[0])[:10]

    def quotes_table(self, day_index: int) -> pa.Table:
        day = day64(self.start) + day_index
        return build_table(MARKET_QUOTES, {
            "symbol": self.symbols,
            "trade_date": np.full(self.size, day),
            "sector": SECTOR_NAMES.take(pa.array(self.sector)),
            "prev_close": self.closes[day_index],
            "close": self.closes[day_index + 1],
            "index_close": np.full(self.size, self.index_close[day_index + 1]),
        })


def _symbol_codes(rng, n: int) -> tuple[np.ndarray, np.ndarray]:
    counts = np.round(np.array([share for _, _, share in BOARDS]) * n).astype(int)
    counts[0] += n - counts.sum()
    codes = np.concatenate([first + rng.choice(size, count, replace=False)
                            for (first, size, _), count in zip(BOARDS, counts, strict=True)])
    growth = (codes // 1000 == 688) | (codes // 1000 // 100 == 3)
    return codes, np.where(growth, cal.GROWTH_BOARD_LIMIT, cal.MAIN_BOARD_LIMIT)


def _planted_days(rng, days: int) -> tuple[np.ndarray, np.ndarray]:
    """Drawdown and rally days, never the first day (which serves as the calm baseline)."""
    drawdown, rally = np.zeros(days, dtype=bool), np.zeros(days, dtype=bool)
    later = rng.permutation(np.arange(1, days))
    n_drawdowns = 0 if days < 2 else int(np.clip(days // cal.DAYS_PER_DRAWDOWN, 1,
                                                 cal.MAX_DRAWDOWNS))
    drawdown[later[:n_drawdowns]] = True
    n_rallies = 0 if days < 3 else int(np.clip(days // cal.DAYS_PER_DRAWDOWN, 1, 3))
    rally[later[n_drawdowns:n_drawdowns + n_rallies]] = True
    return drawdown, rally


def _index_path(rng, drawdown: np.ndarray, rally: np.ndarray) -> np.ndarray:
    days = drawdown.size
    returns = np.clip(rng.normal(cal.INDEX_DAILY_DRIFT, cal.INDEX_DAILY_VOL, days),
                      -cal.NORMAL_RETURN_CLIP, cal.NORMAL_RETURN_CLIP)
    returns[drawdown] = rng.uniform(*cal.DRAWDOWN_RETURN, drawdown.sum())
    returns[rally] = rng.uniform(*cal.RALLY_RETURN, rally.sum())
    return np.round(cal.INDEX_START * np.cumprod(np.r_[1.0, 1 + returns]), 2)


def _closes(rng, index_close, sector, beta, limit) -> np.ndarray:
    days, n = index_close.size - 1, sector.size
    start = np.exp(rng.normal(cal.PRICE_LOG_MEDIAN, cal.PRICE_LOG_SIGMA, n))
    closes = np.empty((days + 1, n))
    closes[0] = np.round(np.clip(start, *cal.PRICE_RANGE), 2)
    index_returns = index_close[1:] / index_close[:-1] - 1
    for d in range(days):  # one vectorised step per day, over all securities
        shock = rng.normal(0, cal.SECTOR_DAILY_VOL, len(SECTORS))[sector]
        r = beta * index_returns[d] + shock + rng.normal(0, cal.IDIOSYNCRATIC_DAILY_VOL, n)
        closes[d + 1] = np.round(closes[d] * (1 + np.clip(r, -limit, limit)), 2).clip(0.01, 9999)
    return closes


def _sector_index(sector: np.ndarray, popularity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.lexsort((np.arange(sector.size), sector))
    sorted_sector = sector[order]
    cumulative = np.cumsum(popularity[order])
    first = np.searchsorted(sorted_sector, sorted_sector, side="left")
    last = np.searchsorted(sorted_sector, sorted_sector, side="right") - 1
    before = np.where(first > 0, cumulative[np.maximum(first - 1, 0)], 0.0)
    within = (cumulative - before) / (cumulative[last] - before)
    return order, sorted_sector + within


def build_market(seed: int, customers: int, days: int, start: dt.date) -> Market:
    rng = stream(seed, "market")
    low, high = cal.SYMBOL_COUNT_RANGE
    n = int(np.clip(customers // cal.CUSTOMERS_PER_SYMBOL, low, high))
    codes, limit = _symbol_codes(rng, n)
    sector = categorical(rng, [cal.SECTOR_WEIGHTS[s] for s in SECTORS], n)
    sector[: len(SECTORS)] = np.arange(len(SECTORS))  # every sector is listed
    beta = rng.uniform(*cal.BETA_RANGE, n)
    popularity = rng.pareto(1.2, n) + 0.05
    drawdown, rally = _planted_days(rng, days)
    index_close = _index_path(rng, drawdown, rally)
    order, key = _sector_index(sector, popularity)
    symbols = pa.array([f"{code:06d}" for code in codes])
    return Market(start=start, symbols=symbols, sector=sector, beta=beta, popularity=popularity,
                  closes=_closes(rng, index_close, sector, beta, limit), limit=limit,
                  index_close=index_close, drawdown=drawdown, rally=rally,
                  sector_order=order, sector_key=key)
