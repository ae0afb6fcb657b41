"""Generator runs shared by the tests: tiny, written under pytest's temporary directory."""

from __future__ import annotations

import pytest
from generator_checks import Run, run_generator


@pytest.fixture(scope="session")
def clean_run(tmp_path_factory) -> Run:
    return run_generator(tmp_path_factory, "clean", customers=300, days=3, seed=11,
                         dirty_rate=0.0)


@pytest.fixture(scope="session")
def other_seed_run(tmp_path_factory) -> Run:
    return run_generator(tmp_path_factory, "other-seed", customers=1000, days=3, seed=12,
                         dirty_rate=0.0)


@pytest.fixture(scope="session")
def dirty_run(tmp_path_factory) -> Run:
    """The clean run's world with defects: same seed and size."""
    return run_generator(tmp_path_factory, "dirty", customers=300, days=3, seed=11,
                         dirty_rate=0.02)


@pytest.fixture(scope="session")
def behaviour_run(tmp_path_factory) -> Run:
    """Big enough for every planted cohort, long enough for a drawdown and churn."""
    return run_generator(tmp_path_factory, "behaviour", customers=3000, days=8, seed=5,
                         dirty_rate=0.0)


@pytest.fixture(scope="session")
def calibration_run(tmp_path_factory) -> Run:
    return run_generator(tmp_path_factory, "calibration", customers=20_000, days=1, seed=3,
                         dirty_rate=0.0,
                         sources=["customers", "positions", "wealth_holdings"])
