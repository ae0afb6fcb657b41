"""Partner data: e-commerce orders, travel bookings, telco place visits, parenting spend.

Each partner covers part of our customers plus people who are not our customers at all, under
its own user ids. Records carry only the partner's PII link key (phone, ID number or device
id), so joining them to accounts is the platform's job; the true links are kept as ground
truth, including the traps planted on purpose: customers who changed phone and devices shared
by two customers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from profilehub.contracts import (
    CONTRACTS,
    ECOMMERCE_ORDERS,
    ECOMMERCE_PARTNER,
    GEO_EVENTS,
    GEO_PARTNER,
    PARENTING_PARTNER,
    PARENTING_SPEND,
    PARTNERS,
    TRAVEL_BOOKINGS,
    TRAVEL_PARTNER,
)
from profilehub.generator import calibration as cal
from profilehub.generator.clock import (
    consumer_seconds,
    day64,
    delivery_lags,
    event_dates,
    stamp,
)
from profilehub.generator.identity import (
    CITIES,
    CITY_NAMES,
    CITY_WEIGHTS,
    People,
    join,
    partner_user_ids,
    record_ids,
    zero_pad,
)
from profilehub.generator.population import Population, sample_birth_dates
from profilehub.generator.randomness import categorical, pick, row_categorical, stream
from profilehub.generator.records import build_table

USER_ID_PREFIX = {ECOMMERCE_PARTNER: "EM", TRAVEL_PARTNER: "TR", GEO_PARTNER: "GT",
                  PARENTING_PARTNER: "KE"}
USER_ID_SALT = {ECOMMERCE_PARTNER: 7_331, TRAVEL_PARTNER: 91_127, GEO_PARTNER: 552_211,
                PARENTING_PARTNER: 3_301_919}
# The PII column through which each partner's records link to our customers.
LINK_KEY = {c.partner: c.pii_columns[0].name for c in CONTRACTS if c.partner in PARTNERS}
INTERNATIONAL = (("东京", "JP"), ("大阪", "JP"), ("首尔", "KR"), ("曼谷", "TH"), ("普吉岛", "TH"),
                 ("新加坡", "SG"), ("香港", "HK"), ("澳门", "MO"), ("吉隆坡", "MY"), ("巴黎", "FR"),
                 ("伦敦", "GB"), ("悉尼", "AU"), ("纽约", "US"), ("迪拜", "AE"))
DAYS_PER_MONTH = 30.4375
MAX_BOOKING_LEAD_DAYS = 120


@dataclass
class PartnerUsers:
    partner: str
    person: np.ndarray
    account: np.ndarray  # customer index, -1 for people who are not our customers
    user_ids: pa.Array

    @property
    def size(self) -> int:
        return int(self.person.size)


def _names(pairs, column: int) -> pa.Array:
    return pa.array([pair[column] for pair in pairs])


def _coverage_weights(pop: Population, partner: str) -> tuple[np.ndarray, np.ndarray]:
    """(eligible, weight) of customers for a partner's user base."""
    everyone = np.ones(pop.size, dtype=bool)
    if partner == ECOMMERCE_PARTNER:
        return everyone, np.where(pop.age < 45, 1.3, 0.8) * np.where(pop.male, 1.0, 1.2)
    if partner == TRAVEL_PARTNER:
        return everyone, pop.asset_target ** 0.25
    if partner == GEO_PARTNER:  # the telco knows the device's owner, not who else uses it
        return pop.has_device & (pop.device_owner < 0), np.ones(pop.size)
    return everyone, np.where((pop.age >= 25) & (pop.age <= 42), 3.0, 0.2)


class PartnerWorld:
    """Partner user bases, their behaviour, and each day's partner records."""

    def __init__(self, seed: int, pop: Population, days: int) -> None:
        self.seed, self.pop, self.days = seed, pop, days
        rng = stream(seed, "partners")
        self.users: dict[str, PartnerUsers] = {}
        next_person = pop.size
        for partner in PARTNERS:
            customers = self._customer_users(rng, partner)
            extra = round(cal.NON_CUSTOMER_USER_RATIO * customers.size)
            person = np.r_[customers, np.arange(next_person, next_person + extra)]
            next_person += extra
            account = np.r_[customers, np.full(extra, -1)]
            self.users[partner] = PartnerUsers(
                partner, person, account,
                partner_user_ids(USER_ID_PREFIX[partner], USER_ID_SALT[partner], person))
        self.outsiders = next_person - pop.size
        birth, _ = sample_birth_dates(rng, self.outsiders, pop.start)
        self.outsider_birth = birth
        self.outsider_male = rng.random(self.outsiders) < cal.MALE_SHARE
        self.outsider_city = categorical(rng, CITY_WEIGHTS, self.outsiders)
        self._behaviour(rng)
        self.geo_index, self.geo_parent = self._geo_lookups()
        self.people: People | None = None  # set once everyone's personal data is drawn
        self.airport_visits: dict[int, list[np.ndarray]] = {}
        self.airport_log: list[tuple[np.ndarray, np.ndarray]] = []

    def _customer_users(self, rng, partner: str) -> np.ndarray:
        eligible, weight = _coverage_weights(self.pop, partner)
        count = round(cal.PARTNER_COVERAGE[partner] * self.pop.size)
        forced = np.zeros(self.pop.size, dtype=bool)
        if partner == GEO_PARTNER:  # plant every shared device in the telco's data
            forced[self.pop.device_owner[self.pop.device_owner >= 0]] = True
        chosen = forced | pick(rng, eligible & ~forced, count - int(forced.sum()), weight)
        return np.flatnonzero(chosen)

    def _behaviour(self, rng) -> None:
        pop = self.pop
        ecom = self.users[ECOMMERCE_PARTNER]
        self.ecom_rate = cal.ECOMMERCE_RATE_MEDIAN * np.exp(
            cal.ECOMMERCE_RATE_SIGMA * rng.standard_normal(ecom.size))
        alpha = np.tile([w for _, w, _ in cal.ECOMMERCE_CATEGORIES], (ecom.size, 1)) * 5.0
        rich = (ecom.account >= 0) & (pop.asset_target[np.maximum(ecom.account, 0)] >= 1e6)
        alpha[rich, 3] *= 5.0  # high-net-worth shoppers buy luxury goods
        self.ecom_categories = np.cumsum(rng.gamma(alpha), axis=1)
        travel = self.users[TRAVEL_PARTNER]
        wealth = np.where(travel.account >= 0, pop.asset_target[np.maximum(travel.account, 0)],
                          np.exp(cal.ASSET_LOG_MEAN)) ** 0.25
        self.traveller = pick(rng, np.ones(travel.size, bool),
                              round(cal.TRAVELLER_SHARE * travel.size), wealth)
        self.cross_border = pick(rng, self.traveller,
                                 round(cal.CROSS_BORDER_SHARE * self.traveller.sum()), wealth)
        booking_day = rng.integers(0, self.days, travel.size)
        self.first_booking_day = np.where(self.traveller, booking_day, -1)
        kids = self.users[PARENTING_PARTNER]
        self.new_parent = rng.random(kids.size) < cal.NEW_PARENT_SHARE
        months = np.where(self.new_parent, rng.uniform(0, 20, kids.size),
                          rng.uniform(24, 150, kids.size))
        self.child_birth = day64(pop.start) - np.round(months * DAYS_PER_MONTH).astype(
            "timedelta64[D]")

    # --- people --------------------------------------------------------------------------------

    def person_city(self, persons: np.ndarray, day_index: int) -> np.ndarray:
        customer = persons < self.pop.size
        home = self.pop.current_city(day_index)[np.minimum(persons, self.pop.size - 1)]
        outsider = self.outsider_city[np.maximum(persons - self.pop.size, 0)]
        return np.where(customer, home, outsider)

    def _phones(self, users: PartnerUsers, rows: np.ndarray, dates: np.ndarray) -> pa.Array:
        """The phone each user had on each date: changers use their new number afterwards."""
        account = users.account[rows]
        generation = np.where(account >= 0,
                              self.pop.phone_generation(np.maximum(account, 0), dates), 0)
        return self.people.phones(users.person[rows], generation)

    def _day(self, day_index: int) -> dt.date:
        return self.pop.start + dt.timedelta(days=day_index)

    @staticmethod
    def _events(rng, rate: np.ndarray) -> np.ndarray:
        return np.repeat(np.arange(rate.size), rng.poisson(rate))

    # --- e-commerce ------------------------------------------------------------------------------

    def ecommerce_table(self, day_index: int) -> pa.Table:
        rng = stream(self.seed, "ecommerce", day_index)
        users, day = self.users[ECOMMERCE_PARTNER], self._day(day_index)
        rows = self._events(rng, self.ecom_rate)
        dates = event_dates(day, delivery_lags(rng, rows.size, cal.PARTNER_DELIVERY_LAG))
        times = stamp(dates, consumer_seconds(rng, rows.size))
        category = row_categorical(rng, self.ecom_categories[rows])
        median = np.array([m for _, _, m in cal.ECOMMERCE_CATEGORIES])[category]
        amount = median * np.exp(cal.ECOMMERCE_AMOUNT_SIGMA * rng.standard_normal(rows.size))
        refunded = rng.random(rows.size) < cal.ECOMMERCE_REFUND_SHARE
        order = np.argsort(times, kind="stable")
        return build_table(ECOMMERCE_ORDERS, {
            "order_id": record_ids("EO", day, np.arange(1, rows.size + 1)),
            "partner_user_id": users.user_ids.take(pa.array(rows[order])),
            "phone": self._phones(users, rows[order], dates[order]),
            "order_time": times[order],
            "category": _names(cal.ECOMMERCE_CATEGORIES, 0).take(pa.array(category[order])),
            "amount": np.round(np.clip(amount, 1.0, 1_000_000.0), 2)[order],
            "status": pa.array(np.where(refunded, "refunded", "paid")[order]),
        })

    # --- travel ----------------------------------------------------------------------------------

    def travel_table(self, day_index: int) -> pa.Table:
        rng = stream(self.seed, "travel", day_index)
        users, day = self.users[TRAVEL_PARTNER], self._day(day_index)
        rate = np.where(self.traveller, cal.TRAVELLER_RATE, cal.OCCASIONAL_TRAVEL_RATE)
        due = self.first_booking_day == day_index
        rows = np.repeat(np.arange(users.size), rng.poisson(rate) + due)
        first = due[rows] & np.r_[True, rows[1:] != rows[:-1]]
        kind = categorical(rng, [w for _, w in cal.BOOKING_TYPES], rows.size)
        kind = np.where(first, 0, np.where(self.traveller[rows], kind, 1))  # 0 flight, 1 hotel
        abroad = self.cross_border[rows] & (first | (rng.random(rows.size)
                                                     < cal.CROSS_BORDER_TRIP_SHARE))
        dates = event_dates(day, delivery_lags(rng, rows.size, cal.PARTNER_DELIVERY_LAG))
        lead = np.minimum(rng.geometric(cal.BOOKING_LEAD_DAYS_P, rows.size), MAX_BOOKING_LEAD_DAYS)
        travel_date = dates + lead.astype("timedelta64[D]")
        self._schedule_airport_visits(users.person[rows[kind != 1]], travel_date[kind != 1],
                                      day_index)
        times = stamp(dates, consumer_seconds(rng, rows.size))
        order = np.argsort(times, kind="stable")
        columns = self._destinations(rng, users.person[rows], abroad, day_index)
        columns.update(self._booking_amounts(rng, kind, abroad))
        columns = {name: _reorder(values, order) for name, values in columns.items()}
        return build_table(TRAVEL_BOOKINGS, {
            "booking_id": record_ids("TB", day, np.arange(1, rows.size + 1)),
            "partner_user_id": users.user_ids.take(pa.array(rows[order])),
            "national_id": self.people.national_ids(users.person[rows[order]]),
            "booked_at": times[order], "travel_date": travel_date[order],
            "booking_type": _names(cal.BOOKING_TYPES, 0).take(pa.array(kind[order])),
            **columns,
        })

    def _destinations(self, rng, persons, abroad, day_index) -> dict:
        home = self.person_city(persons, day_index)
        domestic = (home + rng.integers(1, len(CITIES), persons.size)) % len(CITIES)
        foreign = rng.integers(0, len(INTERNATIONAL), persons.size)
        city = np.where(abroad, _names(INTERNATIONAL, 0).take(pa.array(foreign)).to_numpy(False),
                        CITY_NAMES.take(pa.array(domestic)).to_numpy(False))
        country = np.where(abroad, _names(INTERNATIONAL, 1).take(pa.array(foreign)).to_numpy(False),
                           "CN")
        return {"destination_city": city, "destination_country": country}

    def _booking_amounts(self, rng, kind, abroad) -> dict:
        medians = np.array([cal.BOOKING_AMOUNTS[name] for name, _ in cal.BOOKING_TYPES])
        median = medians[kind, abroad.astype(np.int64)]
        amount = median * np.exp(0.5 * rng.standard_normal(kind.size))
        return {"amount": np.round(np.clip(amount, 1.0, 2_000_000.0), 2)}

    def _schedule_airport_visits(self, persons, travel_date, day_index) -> None:
        """Flyers who are also telco users show up at the airport on their departure day."""
        geo = self.geo_index
        day = (travel_date - day64(self.pop.start)).astype(np.int64)
        user = geo[persons]
        keep = (user >= 0) & (day >= day_index) & (day < self.days)
        for visit_day in np.unique(day[keep]):
            visitors = user[keep & (day == visit_day)]
            self.airport_visits.setdefault(int(visit_day), []).append(visitors)

    # --- telco place visits ----------------------------------------------------------------------

    def _geo_lookups(self) -> tuple[np.ndarray, np.ndarray]:
        """Geo-user index of every person (-1: not a telco user); which geo users are parents."""
        geo, everyone = self.users[GEO_PARTNER], self.pop.size + self.outsiders
        index = np.full(everyone, -1, dtype=np.int64)
        index[geo.person] = np.arange(geo.size)
        parents = np.zeros(everyone, dtype=bool)
        parents[self.users[PARENTING_PARTNER].person] = True
        return index, parents[geo.person]

    def geo_table(self, day_index: int) -> pa.Table:
        rng = stream(self.seed, "geo", day_index)
        users, day = self.users[GEO_PARTNER], self._day(day_index)
        rows = self._events(rng, np.full(users.size, cal.GEO_EVENTS_PER_DAY))
        place = categorical(rng, [w for _, w, _, _ in cal.GEO_PLACES], rows.size)
        school, mall = _place("school"), _place("mall")
        place = np.where((place == school) & ~self.geo_parent[rows], mall, place)
        flyers = self.airport_visits.pop(day_index, [])
        flyers = np.concatenate(flyers) if flyers else np.empty(0, np.int64)
        lags = delivery_lags(rng, rows.size, cal.PARTNER_DELIVERY_LAG)
        rows = np.r_[rows, flyers]
        place = np.r_[place, np.full(flyers.size, _place("airport"))]
        dates = event_dates(day, np.r_[lags, np.zeros(flyers.size, np.int64)])
        airport = place == _place("airport")
        times = stamp(dates, _visit_seconds(rng, place))
        self._log_airport_visits(users.account[rows[airport]], dates[airport])
        order = np.argsort(times, kind="stable")
        rows, place, times = rows[order], place[order], times[order]
        city = self.person_city(users.person[rows], day_index)
        return build_table(GEO_EVENTS, {
            "event_id": record_ids("GE", day, np.arange(1, rows.size + 1)),
            "partner_user_id": users.user_ids.take(pa.array(rows)),
            "device_id": self.people.device_ids(users.person[rows]),
            "event_time": times,
            "place_type": _names(cal.GEO_PLACES, 0).take(pa.array(place)),
            "place_code": self._place_codes(rng, place, city),
            "city": CITY_NAMES.take(pa.array(city)),
            "dwell_minutes": self._dwell(rng, place),
        })

    def _log_airport_visits(self, accounts: np.ndarray, dates: np.ndarray) -> None:
        customer = accounts >= 0
        self.airport_log.append((accounts[customer], dates[customer]))

    @staticmethod
    def _place_codes(rng, place, city) -> pa.Array:
        airport = pa.array([c.airport for c in CITIES]).take(pa.array(city))
        station = pa.array([c.station for c in CITIES]).take(pa.array(city))
        poi = join("P", zero_pad(rng.integers(10_000_000, 100_000_000, place.size), 8))
        coded = rng.random(place.size) < cal.GEO_PLACE_CODE_SHARE
        codes = np.where(place == _place("airport"), airport.to_numpy(False),
                         np.where(place == _place("railway_station"), station.to_numpy(False),
                                  np.where(coded, poi.to_numpy(False), None)))
        return pa.array(codes, pa.string())

    @staticmethod
    def _dwell(rng, place) -> np.ndarray:
        bounds = np.array([span for _, _, span, _ in cal.GEO_PLACES])[place]
        return rng.integers(bounds[:, 0], bounds[:, 1] + 1)

    # --- parenting -------------------------------------------------------------------------------

    def parenting_table(self, day_index: int) -> pa.Table:
        rng = stream(self.seed, "parenting", day_index)
        users, day = self.users[PARENTING_PARTNER], self._day(day_index)
        rows = self._events(rng, np.where(self.new_parent, cal.PARENTING_RATE_NEW,
                                          cal.PARENTING_RATE_OLDER))
        dates = event_dates(day, delivery_lags(rng, rows.size, cal.PARTNER_DELIVERY_LAG))
        times = stamp(dates, consumer_seconds(rng, rows.size))
        months = ((dates - self.child_birth[rows]).astype(np.int64) / DAYS_PER_MONTH).astype(int)
        months = np.clip(months, 0, 216)
        category, median = _parenting_categories(rng, months < 36)
        amount = median * np.exp(cal.PARENTING_AMOUNT_SIGMA * rng.standard_normal(rows.size))
        known = rng.random(rows.size) >= cal.CHILD_AGE_UNKNOWN_SHARE
        order = np.argsort(times, kind="stable")
        return build_table(PARENTING_SPEND, {
            "txn_id": record_ids("PS", day, np.arange(1, rows.size + 1)),
            "partner_user_id": users.user_ids.take(pa.array(rows[order])),
            "phone": self._phones(users, rows[order], dates[order]),
            "txn_time": times[order], "category": pa.array(category[order]),
            "amount": np.round(np.clip(amount, 1.0, 500_000.0), 2)[order],
            "child_age_months": pa.array(months[order], pa.int64(), mask=~known[order]),
        })

    # --- ground truth ----------------------------------------------------------------------------

    def member(self, partner: str) -> np.ndarray:
        """Which customers are users of the partner."""
        users = self.users[partner]
        flags = np.zeros(self.pop.size, dtype=bool)
        flags[users.account[users.account >= 0]] = True
        return flags

    def customer_flag(self, partner: str, flags: np.ndarray) -> np.ndarray:
        users = self.users[partner]
        out = np.zeros(self.pop.size, dtype=bool)
        customer = users.account >= 0
        out[users.account[customer]] = flags[customer]
        return out

    def identity_links(self) -> pa.Table:
        pop = self.pop
        sharer_of = np.full(pop.size, -1, dtype=np.int64)
        sharers = np.flatnonzero(pop.device_owner >= 0)
        sharer_of[pop.device_owner[sharers]] = sharers
        tables = []
        for partner, users in self.users.items():
            account = users.account
            safe = np.maximum(account, 0)
            if partner == GEO_PARTNER:
                other = np.where(account >= 0, sharer_of[safe], -1)
                conflict = np.where(other >= 0, "shared_device", None)
            else:
                other = np.full(users.size, -1)
                changed = (account >= 0) & (pop.phone_change_day[safe] >= 0)
                conflict = np.where(changed & (LINK_KEY[partner] == "phone"), "phone_changed", None)
            tables.append(pa.table({
                "partner": pa.array(np.full(users.size, partner)),
                "partner_user_id": users.user_ids,
                "account_id": _account_ids_or_null(pop, account),
                "link_key": pa.array(np.full(users.size, LINK_KEY[partner])),
                "link_conflict": pa.array(conflict, pa.string()),
                "other_account_id": _account_ids_or_null(pop, other),
                # The same traps as flags: what identity scoring filters on.
                "shared_device": conflict == "shared_device",
                "phone_changed": conflict == "phone_changed",
            }))
        return pa.concat_tables(tables)


def _account_ids_or_null(pop: Population, account: np.ndarray) -> pa.Array:
    ids = pop.account_ids.take(pa.array(np.maximum(account, 0)))
    return pa.array(np.where(account >= 0, ids.to_numpy(False), None), pa.string())


def _reorder(values, order):
    return values[order] if isinstance(values, np.ndarray) else values.take(pa.array(order))


def _visit_seconds(rng, place: np.ndarray) -> np.ndarray:
    hours = np.array([span for *_, span in cal.GEO_PLACES])[place]
    return rng.integers(hours[:, 0] * 3600, hours[:, 1] * 3600)


def _place(name: str) -> int:
    return [place for place, *_ in cal.GEO_PLACES].index(name)


def _parenting_categories(rng, infant: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    names = np.empty(infant.size, dtype=object)
    median = np.empty(infant.size)
    for table, rows in ((cal.INFANT_CATEGORIES, infant), (cal.OLDER_CHILD_CATEGORIES, ~infant)):
        pick_ = categorical(rng, [w for _, w, _ in table], int(rows.sum()))
        names[rows] = np.array([n for n, _, _ in table], dtype=object)[pick_]
        median[rows] = np.array([m for _, _, m in table])[pick_]
    return names, median
