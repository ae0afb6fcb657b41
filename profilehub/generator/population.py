"""The brokerage's customers: demographics, assets, risk profile and planted behaviours.

Everything is drawn once, vectorised, as one array per attribute (index = customer = person).
Correlations are planted through shared latent scores: older customers hold more assets, and
the risk level rises with assets and falls with age.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from profilehub.contracts import SECTORS
from profilehub.generator import calibration as cal
from profilehub.generator.clock import day64
from profilehub.generator.identity import ACCOUNT_NUMBER_BASE, CITY_WEIGHTS, account_ids
from profilehub.generator.randomness import categorical, pick, stream

DAYS_PER_YEAR = 365.2425
ADULT_DAYS = 6575  # 18 years


@dataclass
class Population:
    start: dt.date
    days: int
    account_number: np.ndarray
    account_ids: pa.Array
    open_day: np.ndarray  # -1: opened before the run; d >= 1: opened on delivery day d
    open_date: np.ndarray  # datetime64[D]
    birth: np.ndarray  # datetime64[D]
    male: np.ndarray
    city: np.ndarray
    channel: np.ndarray  # index into calibration.CUSTOMER_CHANNELS
    age: np.ndarray
    asset_target: np.ndarray
    equity_share: np.ndarray
    wealth_user: np.ndarray
    risk_level: np.ndarray  # 1..5 for C1..C5
    sector_cumulative: np.ndarray  # (n, sectors) cumulative preference weights
    preferred_sector: np.ndarray
    trade_rate: np.ndarray  # regular trades per day
    day_trader: np.ndarray
    wash_trader: np.ndarray
    panic_seller: np.ndarray
    churner: np.ndarray
    churn_start_day: np.ndarray  # -1 for non-churners
    churn_stop_day: np.ndarray  # first day without any activity
    fomo_chaser: np.ndarray
    margin_user: np.ndarray
    breach_cohort: np.ndarray  # planted to hold products above their risk level
    phone_change_day: np.ndarray  # -1: never
    city_move_day: np.ndarray  # -1: never
    new_city: np.ndarray
    has_device: np.ndarray
    device_owner: np.ndarray  # -1, or the customer whose device this one shares

    @property
    def size(self) -> int:
        return int(self.age.size)

    @property
    def equity_target(self) -> np.ndarray:
        return self.asset_target * self.equity_share

    def exists_on(self, day_index: int) -> np.ndarray:
        return self.open_day <= day_index

    def activity(self, day_index: int) -> np.ndarray:
        """Multiplier of each customer's activity on a day: churners fade to zero."""
        factor = np.where(self.exists_on(day_index), 1.0, 0.0)
        fading = self.churner & (day_index >= self.churn_start_day)
        span = np.maximum(self.churn_stop_day - self.churn_start_day + 1, 1)
        left = 1.0 - (day_index - self.churn_start_day + 1) / span
        return np.where(fading, factor * np.clip(left, 0.0, 1.0), factor)

    def current_city(self, day_index: int) -> np.ndarray:
        moved = (self.city_move_day >= 0) & (self.city_move_day <= day_index)
        return np.where(moved, self.new_city, self.city)

    def phone_generation(self, person: np.ndarray, dates: np.ndarray) -> np.ndarray:
        """Which phone number (0 original, 1 new) each customer used on each date."""
        change = self.phone_change_day[person]
        change_date = day64(self.start) + np.maximum(change, 0).astype("timedelta64[D]")
        return ((change >= 0) & (dates >= change_date)).astype(np.int64)


def normal_scores(rng: np.random.Generator, values: np.ndarray) -> np.ndarray:
    """Standard-normal scores in the rank order of ``values`` (ties broken at random)."""
    order = np.lexsort((rng.random(values.size), values))
    scores = np.empty(values.size)
    scores[order] = np.sort(rng.standard_normal(values.size))
    return scores


def sample_birth_dates(rng, n: int, start: dt.date) -> tuple[np.ndarray, np.ndarray]:
    bands = categorical(rng, [share for _, _, share in cal.AGE_BANDS], n)
    low = np.array([lo for lo, _, _ in cal.AGE_BANDS])[bands]
    high = np.array([hi for _, hi, _ in cal.AGE_BANDS])[bands]
    years = rng.integers(low, high + 1) + rng.random(n)
    birth = day64(start) - np.round(years * DAYS_PER_YEAR).astype("timedelta64[D]")
    adult_cutoff = day64(start.replace(year=start.year - 18, day=min(start.day, 28)))
    birth = np.minimum(birth, adult_cutoff)
    return birth, ages_on(birth, start)


def ages_on(birth: np.ndarray, day: dt.date) -> np.ndarray:
    """Completed years of age on ``day``."""
    years = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    month_day = (birth.astype("datetime64[M]").astype(np.int64) % 12 + 1) * 100 + (
        birth - birth.astype("datetime64[M]")).astype(np.int64) + 1
    return day.year - years - (month_day > day.month * 100 + day.day)


def _open_days(rng, n: int, days: int) -> np.ndarray:
    new = min(round(n * cal.NEW_ACCOUNTS_PER_DAY * (days - 1)), n // 2)
    open_day = np.full(n, -1, dtype=np.int64)
    if new:
        chosen = rng.choice(n, size=new, replace=False)
        open_day[chosen] = rng.integers(1, days, size=new)
    return open_day


def _open_dates(rng, birth: np.ndarray, open_day: np.ndarray, start: dt.date) -> np.ndarray:
    first_day = day64(start)
    account_age = rng.exponential(cal.MEAN_ACCOUNT_AGE_YEARS * DAYS_PER_YEAR, birth.size)
    before = first_day - 1 - account_age.astype("timedelta64[D]")
    adult = birth + np.timedelta64(ADULT_DAYS, "D")
    before = np.clip(np.maximum(before, adult), np.datetime64(cal.EARLIEST_OPEN_DATE),
                     first_day - 1)
    return np.where(open_day < 0, before, first_day + open_day.astype("timedelta64[D]"))


def _assets(rng, z_age: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rho = cal.ASSET_AGE_CORRELATION
    z_assets = rho * z_age + np.sqrt(1 - rho**2) * rng.standard_normal(z_age.size)
    target = np.exp(cal.ASSET_LOG_MEAN + cal.ASSET_LOG_SIGMA * z_assets)
    return z_assets, np.minimum(target, cal.MAX_TOTAL_ASSETS)


def _risk_levels(rng, z_assets: np.ndarray, z_age: np.ndarray) -> np.ndarray:
    latent = (cal.RISK_ASSET_WEIGHT * z_assets + cal.RISK_AGE_WEIGHT * z_age
              + cal.RISK_NOISE * rng.standard_normal(z_age.size))
    ranks = np.argsort(np.argsort(latent)) / z_age.size
    return (np.searchsorted(np.cumsum(cal.CUSTOMER_RISK_SHARES), ranks, side="right") + 1).clip(
        1, 5).astype(np.int8)


def _wealth(rng, z_age, z_assets) -> tuple[np.ndarray, np.ndarray]:
    intercept, age_weight, asset_weight = cal.WEALTH_USER_LOGIT
    logit = intercept + age_weight * z_age + asset_weight * z_assets
    wealth_user = rng.random(z_age.size) < 1 / (1 + np.exp(-logit))
    equity_share = np.where(wealth_user, rng.beta(2.0, 2.0, z_age.size), 1.0)
    return wealth_user, equity_share


def _sector_preferences(rng, n: int) -> tuple[np.ndarray, np.ndarray]:
    alpha = cal.SECTOR_PREFERENCE_CONCENTRATION * np.array(
        [cal.SECTOR_WEIGHTS[s] for s in SECTORS]) * len(SECTORS)
    weights = rng.dirichlet(alpha, size=n).astype(np.float32)
    return np.cumsum(weights, axis=1), weights.argmax(axis=1).astype(np.int8)


def _trade_rates(rng, age: np.ndarray) -> np.ndarray:
    n = age.size
    rate = cal.ACTIVE_TRADE_RATE_MEDIAN * np.exp(
        cal.ACTIVE_TRADE_RATE_SIGMA * rng.standard_normal(n))
    rate *= 1 + cal.YOUNG_ACTIVITY_BOOST * (age < 35)
    return np.where(rng.random(n) < cal.DORMANT_SHARE, rate * cal.DORMANT_RATE_FACTOR, rate)


def _cohort(rng, taken: np.ndarray, eligible: np.ndarray, count: int, weights=None):
    chosen = pick(rng, eligible & ~taken, count, weights)
    taken |= chosen
    return chosen


def _behaviour_cohorts(rng, pop: dict) -> dict:
    n, existing = pop["age"].size, pop["open_day"] < 0
    equity = pop["asset_target"] * pop["equity_share"]
    young = np.where(pop["age"] < 35, 1.5, 1.0)
    taken = np.zeros(n, dtype=bool)
    day_weights = young * np.where(pop["male"], 1.3, 1.0)
    cohorts = {
        "day_trader": _cohort(rng, taken, existing & (equity >= cal.DAY_TRADER_MIN_EQUITY),
                              round(cal.DAY_TRADER_SHARE * n), day_weights),
        "wash_trader": _cohort(rng, taken, existing & (equity >= cal.WASH_TRADER_MIN_EQUITY),
                               max(cal.WASH_TRADER_MIN_COUNT, round(cal.WASH_TRADER_SHARE * n))),
        "panic_seller": _cohort(rng, taken,
                                existing & (equity >= 10 * cal.MIN_EQUITY_FOR_POSITIONS),
                                round(cal.PANIC_SELLER_SHARE * n)),
        "churner": _cohort(rng, taken, existing, round(cal.CHURNER_SHARE * n)),
        "fomo_chaser": _cohort(rng, taken, existing & (equity >= cal.MIN_EQUITY_FOR_POSITIONS),
                               round(cal.FOMO_SHARE * n), young),
    }
    rich = pop["asset_target"] >= cal.MARGIN_MIN_ASSETS
    cohorts["margin_user"] = rich & (rng.random(n) < cal.MARGIN_SHARE_OF_ELIGIBLE)
    breach_pool = existing & pop["wealth_user"] & (pop["risk_level"] < 5)
    cohorts["breach_cohort"] = pick(
        rng, breach_pool, max(1, round(cal.SUITABILITY_BREACH_SHARE * breach_pool.sum())))
    return cohorts


def _churn_days(rng, churner: np.ndarray, days: int) -> tuple[np.ndarray, np.ndarray]:
    start = np.where(churner, rng.integers(0, days, churner.size), -1)
    low, high = cal.CHURN_DECLINE_DAYS
    stop = np.where(churner, start + rng.integers(low, high + 1, churner.size), -1)
    return start, stop


def _life_events(rng, pop: dict, days: int) -> dict:
    n, existing = pop["age"].size, pop["open_day"] < 0
    taken = np.zeros(n, dtype=bool)
    # Runs of one day have no later day to deliver an update on.
    phones = max(int(n >= 100), round(cal.PHONE_CHANGE_SHARE * n)) if days >= 2 else 0
    phone = _cohort(rng, taken, existing, phones)
    move = _cohort(rng, taken, existing, round(cal.CITY_MOVE_SHARE * n) if days >= 2 else 0)
    shift = rng.integers(1, len(CITY_WEIGHTS), n)
    return {
        "phone_change_day": np.where(phone, rng.integers(1, max(days, 2), n), -1),
        "city_move_day": np.where(move, rng.integers(1, max(days, 2), n), -1),
        "new_city": (pop["city"] + shift) % len(CITY_WEIGHTS),
    }


def _devices(rng, existing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = existing.size
    has_device = rng.random(n) >= cal.NO_DEVICE_SHARE
    pairs = max(int(n >= 100), round(cal.SHARED_DEVICE_PAIR_SHARE * n))
    members = np.flatnonzero(pick(rng, existing & has_device, 2 * pairs))
    members = rng.permutation(members)
    owner = np.full(n, -1, dtype=np.int64)
    half = members.size // 2
    owner[members[half:2 * half]] = members[:half]
    return has_device, owner


def _account_numbers(rng, open_date: np.ndarray) -> np.ndarray:
    order = np.lexsort((rng.random(open_date.size), open_date))
    numbers = np.empty(open_date.size, dtype=np.int64)
    numbers[order] = ACCOUNT_NUMBER_BASE + np.arange(open_date.size)
    return numbers


def build_population(seed: int, customers: int, days: int, start: dt.date) -> Population:
    rng = stream(seed, "population")
    birth, age = sample_birth_dates(rng, customers, start)
    pop: dict = {"birth": birth, "age": age, "male": rng.random(customers) < cal.MALE_SHARE}
    pop["city"] = categorical(rng, CITY_WEIGHTS, customers)
    pop["channel"] = categorical(rng, [w for _, w in cal.CUSTOMER_CHANNELS], customers)
    pop["open_day"] = _open_days(rng, customers, days)
    pop["open_date"] = _open_dates(rng, birth, pop["open_day"], start)
    z_age = normal_scores(rng, age.astype(np.float64))
    z_assets, pop["asset_target"] = _assets(rng, z_age)
    pop["risk_level"] = _risk_levels(rng, z_assets, z_age)
    pop["wealth_user"], pop["equity_share"] = _wealth(rng, z_age, z_assets)
    pop["sector_cumulative"], pop["preferred_sector"] = _sector_preferences(rng, customers)
    pop["trade_rate"] = _trade_rates(rng, age)
    pop.update(_behaviour_cohorts(rng, pop))
    pop["churn_start_day"], pop["churn_stop_day"] = _churn_days(rng, pop["churner"], days)
    pop.update(_life_events(rng, pop, days))
    pop["has_device"], pop["device_owner"] = _devices(rng, pop["open_day"] < 0)
    pop["account_number"] = _account_numbers(rng, pop["open_date"])
    return Population(start=start, days=days, account_ids=account_ids(pop["account_number"]),
                      **pop)
