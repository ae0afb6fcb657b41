"""Wealth management: the product catalogue, customers' holdings and their transactions.

Products carry a risk level R1..R5 consistent with their type (bonds and insurance low,
structured notes high). Customers buy only products at or below their own risk level C1..C5,
except a small planted cohort that holds products above it (a suitability breach).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from profilehub.contracts import (
    PRODUCT_TYPES,
    WEALTH_HOLDINGS,
    WEALTH_PRODUCTS,
    WEALTH_TRANSACTIONS,
)
from profilehub.generator import calibration as cal
from profilehub.generator.clock import at, day64, window_seconds
from profilehub.generator.identity import record_ids
from profilehub.generator.market import Market
from profilehub.generator.population import Population
from profilehub.generator.randomness import categorical, stream
from profilehub.generator.records import build_table

CODE_PREFIX = {"fund": "FD", "bond": "BD", "structured": "SN", "insurance": "IN"}
# Catalogue codes stay below this number; codes at or above it are unknown references.
CATALOGUE_CODE_LIMIT = 990_000
ISSUERS = {
    "fund": ("华夏基金", "易方达基金", "南方基金", "嘉实基金", "广发基金", "汇添富基金",
             "博时基金"),
    "bond": ("财政部", "国家开发银行", "中国银行", "招商银行"),
    "structured": ("中信证券", "华泰证券", "国泰君安", "招商证券"),
    "insurance": ("中国人寿", "平安人寿", "太平洋人寿", "泰康人寿"),
}
STYLE = {
    "fund": ("货币", "纯债", "稳健混合", "成长股票", "科技先锋股票"),
    "bond": ("国债", "金融债", "", "", ""),
    "structured": ("", "", "", "保本浮动收益凭证", "雪球结构化收益凭证"),
    "insurance": ("增额终身寿险", "年金险", "", "", ""),
}
TXN_TYPES = pa.array(["subscribe", "redeem", "dividend"])
CHANNEL_NAMES = pa.array([name for name, _ in cal.WEALTH_CHANNELS])
CATALOGUE_HOUR = 5  # the catalogue snapshot is published at 05:00


@dataclass
class Catalogue:
    codes: pa.Array
    names: pa.Array
    product_type: np.ndarray  # index into PRODUCT_TYPES
    risk: np.ndarray  # 1..5
    issuer: pa.Array
    currency: pa.Array
    min_investment: np.ndarray
    launch_date: np.ndarray
    nav: np.ndarray  # (days + 1, products)

    @property
    def size(self) -> int:
        return int(self.risk.size)

    def table(self, start: dt.date, day_index: int) -> pa.Table:
        day = start + dt.timedelta(days=day_index)
        return build_table(WEALTH_PRODUCTS, {
            "product_code": self.codes, "product_name": self.names,
            "product_type": pa.array(PRODUCT_TYPES).take(pa.array(self.product_type)),
            "risk_level": pa.array([f"R{r}" for r in self.risk]),
            "issuer": self.issuer, "currency": self.currency,
            "min_investment": self.min_investment, "launch_date": self.launch_date,
            "updated_at": at(day, np.full(self.size, CATALOGUE_HOUR * 3600)),
        })


def _product_names(rng, kinds, risk) -> tuple[list[str], list[str]]:
    names, issuers = [], []
    for number, (kind, level) in enumerate(zip(kinds, risk, strict=True), start=1):
        issuer = ISSUERS[kind][rng.integers(len(ISSUERS[kind]))]
        names.append(f"{issuer}{STYLE[kind][level - 1]}{number:03d}号")
        issuers.append(issuer)
    return names, issuers


def _nav(rng, kinds: np.ndarray, risk: np.ndarray, market: Market) -> np.ndarray:
    days, n = market.index_close.size - 1, risk.size
    index_returns = market.index_close[1:] / market.index_close[:-1] - 1
    beta = np.array(cal.NAV_BETA_BY_RISK)[risk - 1]
    noise = cal.NAV_DAILY_NOISE * (risk >= 3)
    returns = (beta * index_returns[:, None] + cal.NAV_DAILY_DRIFT
               + noise * rng.standard_normal((days, n)))
    fund = kinds == PRODUCT_TYPES.index("fund")
    start = np.where(fund, rng.uniform(0.8, 3.5, n), 1.0 + rng.uniform(0.0, 0.2, n))
    return np.round(start * np.cumprod(np.vstack([np.ones(n), 1 + returns]), axis=0), 4)


def build_catalogue(seed: int, market: Market) -> Catalogue:
    rng = stream(seed, "catalogue")
    kinds, risk, codes, minimum = [], [], [], []
    for kind, count in cal.PRODUCT_COUNTS.items():
        kinds += [kind] * count
        risk += list(1 + categorical(rng, cal.PRODUCT_RISK_MIX[kind], count))
        numbers = 100_000 + rng.choice(CATALOGUE_CODE_LIMIT - 100_000, count, replace=False)
        codes += [f"{CODE_PREFIX[kind]}{number:06d}" for number in numbers]
        minimum += list(rng.choice(cal.PRODUCT_MIN_INVESTMENT[kind], count))
    risk_levels = np.array(risk, dtype=np.int64)
    names, issuers = _product_names(rng, kinds, risk_levels)
    kind_index = np.array([PRODUCT_TYPES.index(k) for k in kinds])
    foreign = (kind_index == 0) & (rng.random(kind_index.size) < cal.FOREIGN_CURRENCY_SHARE)
    currency = np.where(foreign, np.where(rng.random(kind_index.size) < 0.5, "USD", "HKD"), "CNY")
    launch = day64(market.start) - rng.integers(30, 3650, kind_index.size).astype("timedelta64[D]")
    return Catalogue(codes=pa.array(codes), names=pa.array(names), product_type=kind_index,
                     risk=risk_levels, issuer=pa.array(issuers), currency=pa.array(currency),
                     min_investment=np.array(minimum, dtype=np.float64), launch_date=launch,
                     nav=_nav(rng, kind_index, risk_levels, market))


def choose_products(rng, catalogue: Catalogue, level: np.ndarray, budget: np.ndarray,
                    above_level: bool = False) -> np.ndarray:
    """A product per request affordable within ``budget``, at (or above) the customer's level.

    Requests no product satisfies get -1.
    """
    tiers = np.unique(catalogue.min_investment)
    cap = np.searchsorted(tiers, budget, side="right") - 1
    preference = np.array([cal.PRODUCT_TYPE_PREFERENCE[t] for t in PRODUCT_TYPES])
    chosen = np.full(level.size, -1, dtype=np.int64)
    for customer_level in range(1, 6):
        for tier in range(tiers.size):
            requests = np.flatnonzero((level == customer_level) & (cap == tier))
            suits = catalogue.risk > customer_level if above_level else (
                catalogue.risk <= customer_level)
            products = np.flatnonzero(suits & (catalogue.min_investment <= tiers[tier]))
            if requests.size == 0 or products.size == 0:
                continue
            weight = preference[catalogue.product_type[products]]
            chosen[requests] = rng.choice(products, requests.size, p=weight / weight.sum())
    return chosen


@dataclass
class Holdings:
    account: np.ndarray
    product: np.ndarray
    units: np.ndarray


class WealthDesk:
    """Holds customers' wealth products across days; produces transactions and snapshots."""

    def __init__(self, seed: int, pop: Population, catalogue: Catalogue) -> None:
        self.seed, self.pop, self.catalogue = seed, pop, catalogue
        self.breached = np.zeros(pop.size, dtype=bool)
        rng = stream(seed, "initial-holdings")
        existing = np.flatnonzero(pop.wealth_user & (pop.open_day < 0))
        account, product, value = self._slots(rng, existing)
        self.holdings = Holdings(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))
        self._add_units(account, product, value / catalogue.nav[0, product])

    def wealth_target(self, accounts: np.ndarray) -> np.ndarray:
        return self.pop.asset_target[accounts] * (1 - self.pop.equity_share[accounts])

    def _slots(self, rng, accounts: np.ndarray):
        """Products (account, product, value) spending each account's wealth allocation."""
        value = self.wealth_target(accounts)
        mean = cal.HOLDINGS_SLOPE * np.maximum(np.log10(np.maximum(value, 1)) - 3, 0)
        group = np.repeat(np.arange(accounts.size),
                          np.minimum(1 + rng.poisson(mean), cal.MAX_HOLDINGS))
        weight = rng.exponential(1.0, group.size)
        slot_value = value[group] * weight / np.bincount(group, weight, accounts.size)[group]
        owner = accounts[group]
        product = choose_products(rng, self.catalogue, self.pop.risk_level[owner], slot_value)
        breach = accounts[self.pop.breach_cohort[accounts]]
        above = choose_products(rng, self.catalogue, self.pop.risk_level[breach],
                                0.3 * self.wealth_target(breach), above_level=True)
        owner = np.r_[owner, breach]
        product = np.r_[product, above]
        slot_value = np.r_[slot_value, 0.3 * self.wealth_target(breach)]
        kept = product >= 0
        return owner[kept], product[kept], slot_value[kept]

    def _add_units(self, account, product, units) -> None:
        held = self.holdings
        space = self.catalogue.size
        keys = np.r_[held.account * space + held.product, account * space + product]
        unique, inverse = np.unique(keys, return_inverse=True)
        total = np.bincount(inverse, np.r_[held.units, units], unique.size)
        keep = total > 1e-4
        self.holdings = Holdings(unique[keep] // space, unique[keep] % space, total[keep])

    # --- one day ---------------------------------------------------------------------------------

    def transactions_day(self, day_index: int) -> pa.Table:
        """The day's subscriptions, redemptions and dividends; holdings move accordingly."""
        rng = stream(self.seed, "wealth", day_index)
        nav = self.catalogue.nav[day_index + 1]
        parts = [self._subscriptions(rng, day_index), self._opening(rng, day_index)]
        redeem = self._redemptions(rng, day_index, nav)
        dividend = self._dividends(rng, nav)
        for account, product, amount in parts:
            self._add_units(account, product, amount / nav[product])
        self._add_units(redeem[0], redeem[1], -redeem[3])
        kinds = [0, 0, 1, 2]
        return self._table(rng, day_index, [*parts, redeem[:3], dividend], kinds)

    def _subscriptions(self, rng, day_index: int):
        pop = self.pop
        calm = ~(pop.churner & (day_index >= pop.churn_start_day))
        rate = cal.SUBSCRIBE_RATE * pop.activity(day_index) * calm * pop.wealth_user
        account = np.flatnonzero(rng.random(pop.size) < rate)
        budget = self.wealth_target(account) * rng.uniform(0.05, 0.3, account.size)
        level = pop.risk_level[account]
        product = choose_products(rng, self.catalogue, level, budget)
        above = pop.breach_cohort[account] & (rng.random(account.size) < cal.BREACH_SUBSCRIBE_SHARE)
        product[above] = choose_products(rng, self.catalogue, level[above], budget[above], True)
        kept = product >= 0
        account, product, budget = account[kept], product[kept], budget[kept]
        amount = np.maximum(self.catalogue.min_investment[product], np.round(budget, -2))
        return account, product, np.minimum(amount, 100_000_000.0)

    def _opening(self, rng, day_index: int):
        opened = np.flatnonzero(self.pop.wealth_user & (self.pop.open_day == day_index))
        account, product, value = self._slots(rng, opened)
        amount = np.maximum(np.round(value, 2), self.catalogue.min_investment[product])
        return account, product, amount

    def _redemptions(self, rng, day_index: int, nav: np.ndarray):
        pop, held = self.pop, self.holdings
        churning = pop.churner & (day_index >= pop.churn_start_day)
        rate = cal.REDEEM_RATE * np.where(churning, 5.0, 1.0) * (pop.activity(day_index) > 0)
        rows = np.flatnonzero(rng.random(held.account.size) < rate[held.account])
        fraction = rng.uniform(0.2, 1.0, rows.size)
        units = held.units[rows] * np.where(fraction > 0.9, 1.0, fraction)
        amount = np.round(units * nav[held.product[rows]], 2)
        kept = amount >= 0.01
        return held.account[rows][kept], held.product[rows][kept], amount[kept], units[kept]

    def _dividends(self, rng, nav: np.ndarray):
        held = self.holdings
        paying = np.isin(self.catalogue.product_type[held.product],
                         [PRODUCT_TYPES.index("fund"), PRODUCT_TYPES.index("bond")])
        rows = np.flatnonzero(paying & (rng.random(held.account.size) < cal.DIVIDEND_RATE))
        value = held.units[rows] * nav[held.product[rows]]
        amount = np.round(value * rng.uniform(0.002, 0.01, rows.size), 2)
        kept = amount >= 0.01
        return held.account[rows][kept], held.product[rows][kept], amount[kept]

    def _table(self, rng, day_index: int, parts, kinds) -> pa.Table:
        day = self.pop.start + dt.timedelta(days=day_index)
        account = np.concatenate([p[0] for p in parts]).astype(np.int64)
        product = np.concatenate([p[1] for p in parts]).astype(np.int64)
        amount = np.concatenate([p[2] for p in parts])
        kind = np.concatenate([np.full(p[0].size, k) for p, k in zip(parts, kinds, strict=True)])
        seconds = window_seconds(rng, account.size, 9, 15)
        order = np.argsort(seconds, kind="stable")
        channel = categorical(rng, [w for _, w in cal.WEALTH_CHANNELS], account.size)
        return build_table(WEALTH_TRANSACTIONS, {
            "txn_id": record_ids("WT", day, np.arange(1, account.size + 1)),
            "account_id": self.pop.account_ids.take(pa.array(account[order])),
            "product_code": self.catalogue.codes.take(pa.array(product[order])),
            "txn_type": TXN_TYPES.take(pa.array(kind[order].astype(np.int64))),
            "amount": amount[order], "txn_time": at(day, seconds[order]),
            "channel": CHANNEL_NAMES.take(pa.array(channel)),
        })

    # --- snapshots -------------------------------------------------------------------------------

    def holding_values(self, day_index: int) -> np.ndarray:
        held = self.holdings
        return np.round(held.units * self.catalogue.nav[day_index + 1, held.product], 2)

    def value_by_account(self, day_index: int) -> np.ndarray:
        return np.bincount(self.holdings.account, self.holding_values(day_index), self.pop.size)

    def holdings_table(self, day_index: int) -> pa.Table:
        held = self.holdings
        above = self.catalogue.risk[held.product] > self.pop.risk_level[held.account]
        self.breached[held.account[above]] = True
        return build_table(WEALTH_HOLDINGS, {
            "account_id": self.pop.account_ids.take(pa.array(held.account)),
            "holding_date": np.full(held.account.size, day64(self.pop.start) + day_index),
            "product_code": self.catalogue.codes.take(pa.array(held.product)),
            "units": np.round(held.units, 4), "market_value": self.holding_values(day_index),
        })
