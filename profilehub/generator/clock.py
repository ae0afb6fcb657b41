"""Delivery dates and event times: every timestamp the generator writes is built here.

Times are Asia/Shanghai wall-clock seconds as ``datetime64[s]``. A record delivered on day D
carries an event time on D or at most two days earlier (the ingest allows three days of
lateness), never later than D.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

SECONDS_PER_DAY = 86_400
MORNING_OPEN = 9 * 3600 + 30 * 60
AFTERNOON_OPEN = 13 * 3600
SESSION_HALF = 2 * 3600  # each half of the A-share session lasts two hours
SESSION_SECONDS = 2 * SESSION_HALF
# Hour-of-day weights of consumer activity (online shopping, travel booking, app use).
CONSUMER_HOURS = np.array([2, 1, 1, 1, 1, 1, 2, 4, 6, 7, 8, 8, 9, 8, 8, 8, 8, 8, 9, 11, 13,
                           14, 11, 6], dtype=np.float64)


def day64(day: dt.date) -> np.datetime64:
    return np.datetime64(day, "D")


def delivery_dates(start: dt.date, days: int) -> list[dt.date]:
    return [start + dt.timedelta(days=offset) for offset in range(days)]


def at(day: dt.date, seconds: np.ndarray) -> np.ndarray:
    """Timestamps on ``day`` at the given seconds after midnight."""
    return day64(day).astype("datetime64[s]") + np.asarray(seconds, dtype="timedelta64[s]")


def session_clock(offsets: np.ndarray) -> np.ndarray:
    """Map seconds into the trading session (0..14399) onto seconds after midnight."""
    offsets = np.clip(np.asarray(offsets, dtype=np.int64), 0, SESSION_SECONDS - 1)
    return np.where(offsets < SESSION_HALF, MORNING_OPEN + offsets,
                    AFTERNOON_OPEN + offsets - SESSION_HALF)


def session_offsets(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.integers(0, SESSION_SECONDS, size=size)


def consumer_seconds(rng: np.random.Generator, size: int) -> np.ndarray:
    """Seconds after midnight following the consumer activity curve."""
    hours = rng.choice(24, size=size, p=CONSUMER_HOURS / CONSUMER_HOURS.sum())
    return hours * 3600 + rng.integers(0, 3600, size=size)


def window_seconds(rng: np.random.Generator, size: int, first_hour: int,
                   last_hour: int) -> np.ndarray:
    """Seconds after midnight uniform in [first_hour, last_hour)."""
    return rng.integers(first_hour * 3600, last_hour * 3600, size=size)


def delivery_lags(rng: np.random.Generator, size: int, shares) -> np.ndarray:
    """How many days (0, 1 or 2) before its delivery date each event happened."""
    p = np.asarray(shares, dtype=np.float64)
    return rng.choice(p.size, size=size, p=p / p.sum())


def event_dates(day: dt.date, lags: np.ndarray) -> np.ndarray:
    return day64(day) - np.asarray(lags, dtype="timedelta64[D]")


def stamp(dates: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """Timestamps from per-record dates and seconds after midnight."""
    return dates.astype("datetime64[s]") + np.asarray(seconds, dtype="timedelta64[s]")


def yyyymmdd(day: dt.date) -> str:
    return day.strftime("%Y%m%d")
