"""The whole synthetic brokerage of a run, built once and advanced one delivery day at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from profilehub import contracts as c
from profilehub.generator.consent import ConsentLedger
from profilehub.generator.identity import People, sample_people
from profilehub.generator.kyc import KycOffice
from profilehub.generator.market import Market, build_market
from profilehub.generator.partners import PartnerWorld
from profilehub.generator.population import Population, build_population
from profilehub.generator.randomness import stream
from profilehub.generator.trading import TradingDesk
from profilehub.generator.wealth import Catalogue, WealthDesk, build_catalogue


@dataclass
class World:
    pop: Population
    people: People
    market: Market
    desk: TradingDesk
    catalogue: Catalogue
    wealth: WealthDesk
    kyc: KycOffice
    partners: PartnerWorld
    consent: ConsentLedger
    # Equity and wealth value of each account at the close of its first day in the run.
    first_equity: np.ndarray
    first_wealth: np.ndarray

    @property
    def asset_day(self) -> np.ndarray:
        return np.maximum(self.pop.open_day, 0)

    def record_first_assets(self, day_index: int) -> None:
        due = self.asset_day == day_index
        self.first_equity[due] = self.desk.equity_by_account(day_index)[due]
        self.first_wealth[due] = self.wealth.value_by_account(day_index)[due]

    def day_tables(self, day_index: int) -> Iterator[tuple[c.Contract, Callable[[], pa.Table]]]:
        """Every source's table for the day, in the order the state must advance."""
        start = self.pop.start
        yield c.CUSTOMERS, lambda: self.kyc.customers_table(day_index)
        yield c.RISK_ASSESSMENTS, lambda: self.kyc.assessments_table(day_index)
        yield c.MARKET_QUOTES, lambda: self.market.quotes_table(day_index)
        yield c.TRADES, lambda: self.desk.trade_day(day_index)
        yield c.POSITIONS, lambda: self.desk.positions_table(day_index)
        yield c.WEALTH_PRODUCTS, lambda: self.catalogue.table(start, day_index)
        yield c.WEALTH_TRANSACTIONS, lambda: self.wealth.transactions_day(day_index)
        yield c.WEALTH_HOLDINGS, lambda: self.wealth.holdings_table(day_index)
        yield c.ECOMMERCE_ORDERS, lambda: self.partners.ecommerce_table(day_index)
        yield c.TRAVEL_BOOKINGS, lambda: self.partners.travel_table(day_index)
        yield c.GEO_EVENTS, lambda: self.partners.geo_table(day_index)
        yield c.PARENTING_SPEND, lambda: self.partners.parenting_table(day_index)
        yield c.CONSENT_EVENTS, lambda: self.consent.events_table(day_index)


def _people(seed: int, pop: Population, partners: PartnerWorld) -> People:
    """Personal data for customers and partner-only users alike (unique across both)."""
    people = sample_people(
        stream(seed, "people"),
        np.r_[pop.birth, partners.outsider_birth],
        np.r_[pop.male, partners.outsider_male],
        np.r_[pop.city, partners.outsider_city],
    )
    sharers = np.flatnonzero(pop.device_owner >= 0)
    people.device_key[sharers] = pop.device_owner[sharers]
    people.has_device[: pop.size] = pop.has_device
    return people


def build_world(seed: int, customers: int, days: int, start: dt.date) -> World:
    pop = build_population(seed, customers, days, start)
    partners = PartnerWorld(seed, pop, days)
    people = _people(seed, pop, partners)
    partners.people = people
    market = build_market(seed, customers, days, start)
    catalogue = build_catalogue(seed, market)
    return World(
        pop=pop, people=people, market=market, desk=TradingDesk(seed, pop, market),
        catalogue=catalogue, wealth=WealthDesk(seed, pop, catalogue),
        kyc=KycOffice(seed, pop, people), partners=partners,
        consent=ConsentLedger(seed, pop, partners, days),
        first_equity=np.zeros(pop.size), first_wealth=np.zeros(pop.size),
    )
