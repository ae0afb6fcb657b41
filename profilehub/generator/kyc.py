"""Know-your-customer records: account master rows and suitability questionnaires.

The first delivery date carries the initial export of every existing account (and its current
risk assessment). Later dates carry accounts opened that day, KYC updates (a new phone number,
a move to another city) and assessments renewed on their expiry date.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from profilehub.contracts import CUSTOMERS, RISK_ASSESSMENTS
from profilehub.generator import calibration as cal
from profilehub.generator.clock import at, day64, window_seconds
from profilehub.generator.identity import CITY_NAMES, People, record_ids
from profilehub.generator.population import Population
from profilehub.generator.randomness import stream
from profilehub.generator.records import build_table

GENDERS = pa.array(["F", "M"])
CUSTOMER_CHANNEL_NAMES = pa.array([name for name, _ in cal.CUSTOMER_CHANNELS])
RISK_NAMES = pa.array([f"C{level}" for level in range(1, 6)])
EXPORT_HOURS = (2, 4)  # the initial export runs at night
OFFICE_HOURS = (8, 22)


class KycOffice:
    def __init__(self, seed: int, pop: Population, people: People) -> None:
        self.seed, self.pop, self.people = seed, pop, people
        rng = stream(seed, "kyc")
        # Days after the first delivery date on which each existing assessment expires.
        self.expiry_offset = rng.integers(1, cal.ASSESSMENT_VALID_DAYS + 1, pop.size)

    def _day(self, day_index: int) -> dt.date:
        return self.pop.start + dt.timedelta(days=day_index)

    def customers_table(self, day_index: int) -> pa.Table:
        pop = self.pop
        rng = stream(self.seed, "customers", day_index)
        if day_index == 0:
            rows = np.flatnonzero(pop.open_day < 0)
            rows = rows[np.argsort(pop.account_number[rows])]
            seconds = window_seconds(rng, rows.size, *EXPORT_HOURS)
        else:
            changed = (pop.phone_change_day == day_index) | (pop.city_move_day == day_index)
            rows = np.flatnonzero((pop.open_day == day_index) | changed)
            seconds = window_seconds(rng, rows.size, *OFFICE_HOURS)
        order = np.argsort(seconds, kind="stable") if day_index else np.arange(rows.size)
        return self._customer_rows(day_index, rows[order], seconds[order])

    def _customer_rows(self, day_index: int, rows: np.ndarray, seconds: np.ndarray) -> pa.Table:
        pop, people = self.pop, self.people
        change = pop.phone_change_day[rows]
        phone_changed = (change >= 0) & (change <= day_index)
        return build_table(CUSTOMERS, {
            "account_id": pop.account_ids.take(pa.array(rows)),
            "name": people.names(rows),
            "phone": people.phones(rows, phone_changed.astype(np.int64)),
            "national_id": people.national_ids(rows),
            "device_id": people.device_ids(rows),
            "birth_date": pop.birth[rows],
            "gender": GENDERS.take(pa.array(pop.male[rows].astype(np.int64))),
            "city": CITY_NAMES.take(pa.array(pop.current_city(day_index)[rows])),
            "open_date": pop.open_date[rows],
            "channel": CUSTOMER_CHANNEL_NAMES.take(pa.array(pop.channel[rows])),
            "updated_at": at(self._day(day_index), seconds),
        })

    def assessments_table(self, day_index: int) -> pa.Table:
        pop = self.pop
        rng = stream(self.seed, "assessments", day_index)
        day = self._day(day_index)
        if day_index == 0:
            rows = np.flatnonzero(pop.open_day < 0)
            rows = rows[np.argsort(pop.account_number[rows])]
            seconds = window_seconds(rng, rows.size, *EXPORT_HOURS)
            expires = day64(day) + self.expiry_offset[rows].astype("timedelta64[D]")
        else:
            renewed = (pop.open_day < 0) & (self.expiry_offset == day_index)
            rows = np.flatnonzero((pop.open_day == day_index) | renewed)
            seconds = window_seconds(rng, rows.size, *OFFICE_HOURS)
            order = np.argsort(seconds, kind="stable")
            rows, seconds = rows[order], seconds[order]
            expires = np.full(rows.size, day64(day) + cal.ASSESSMENT_VALID_DAYS)
        return self._assessment_rows(rng, day, rows, seconds, expires)

    def _assessment_rows(self, rng, day: dt.date, rows, seconds, expires) -> pa.Table:
        level = self.pop.risk_level[rows].astype(np.int64)
        bands = np.array(cal.RISK_SCORE_BANDS)
        score = rng.integers(bands[level - 1, 0], bands[level - 1, 1] + 1)
        return build_table(RISK_ASSESSMENTS, {
            "assessment_id": record_ids("RA", day, np.arange(1, rows.size + 1)),
            "account_id": self.pop.account_ids.take(pa.array(rows)),
            "risk_level": RISK_NAMES.take(pa.array(level - 1)),
            "score": score, "assessed_at": at(day, seconds), "expires_on": expires,
        })
