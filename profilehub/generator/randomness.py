"""Deterministic random streams: one independent generator per named concern.

Each concern (population, trades of day 3, dirty defects, ...) draws from its own stream, so a
change in one (say, the dirty rate) never shifts the numbers another concern sees.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, *labels: str | int) -> np.random.Generator:
    """A generator determined by the run seed and the labels naming the concern."""
    words = [seed & 0xFFFFFFFF, (seed >> 32) & 0xFFFFFFFF]
    for label in labels:
        words.append(zlib.crc32(label.encode()) if isinstance(label, str) else int(label))
    return np.random.default_rng(np.random.SeedSequence(words))


def pick(rng: np.random.Generator, eligible: np.ndarray, count: int,
         weights: np.ndarray | None = None) -> np.ndarray:
    """A boolean mask choosing ``count`` of the eligible positions (fewer if not enough)."""
    candidates = np.flatnonzero(eligible)
    count = min(int(count), candidates.size)
    chosen = np.zeros(eligible.size, dtype=bool)
    if count == 0:
        return chosen
    p = None
    if weights is not None:
        w = np.asarray(weights, dtype=np.float64)[candidates]
        p = w / w.sum() if w.sum() > 0 else None
    chosen[rng.choice(candidates, size=count, replace=False, p=p)] = True
    return chosen


def categorical(rng: np.random.Generator, weights, size: int) -> np.ndarray:
    """Indices drawn from the (unnormalised) weights."""
    w = np.asarray(weights, dtype=np.float64)
    return rng.choice(w.size, size=size, p=w / w.sum())


def row_categorical(rng: np.random.Generator, cumulative: np.ndarray) -> np.ndarray:
    """One index per row of a matrix of cumulative (row-normalised) weights."""
    u = rng.random(cumulative.shape[0]) * cumulative[:, -1]
    return (cumulative < u[:, None]).sum(axis=1)


def stochastic_round(rng: np.random.Generator, value: float) -> int:
    """``floor(value)`` plus one with probability of the fractional part (unbiased)."""
    base = int(np.floor(value))
    return base + int(rng.random() < value - base)


def lognormal_around(rng: np.random.Generator, median, sigma: float, size: int) -> np.ndarray:
    return np.asarray(median) * np.exp(sigma * rng.standard_normal(size))
