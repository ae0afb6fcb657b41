"""Calibration: asset tiers, Gen Z share, adults only, risk levels tied to age and assets."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
from generator_checks import START, load_source

from profilehub.contracts import CUSTOMERS, POSITIONS, WEALTH_HOLDINGS


def total_assets(run) -> pd.Series:
    landing = run.paths.landing
    accounts = load_source(landing, CUSTOMERS).account_id
    values = pd.concat([load_source(landing, POSITIONS)[["account_id", "market_value"]],
                        load_source(landing, WEALTH_HOLDINGS)[["account_id", "market_value"]]])
    per_account = values.groupby("account_id").market_value.sum()
    return per_account.reindex(accounts, fill_value=0.0)


def test_two_thirds_of_accounts_are_long_tail_and_a_few_are_hnw(calibration_run):
    assets = total_assets(calibration_run)
    assert len(assets) == 20_000
    assert abs((assets < 100_000).mean() - 0.68) <= 0.03
    assert 0.02 <= (assets >= 1_000_000).mean() <= 0.06


def test_truth_assets_are_what_the_files_show(calibration_run):
    truth = pq.read_table(calibration_run.paths.ground_truth / "customers.parquet").to_pandas()
    assets = total_assets(calibration_run)
    merged = truth.set_index("account_id").total_assets.reindex(assets.index)
    assert (merged - assets).abs().max() < 0.05
    tiers = truth.asset_tier.value_counts(normalize=True)
    assert set(tiers.index) == {"long_tail", "mass", "mass_affluent", "hnw"}


def test_adults_only_with_a_real_gen_z_share(calibration_run):
    customers = load_source(calibration_run.paths.landing, CUSTOMERS)
    birth = pd.to_datetime(customers.birth_date)
    adult_cutoff = pd.Timestamp(START.replace(year=START.year - 18))
    assert (birth <= adult_cutoff).all()
    gen_z = birth.dt.year.between(1997, 2012).mean()
    assert 0.18 <= gen_z <= 0.27
    assert (pd.to_datetime(customers.open_date) >= birth + pd.DateOffset(years=18)).all()


def test_risk_level_rises_with_assets_and_falls_with_age(calibration_run):
    truth = pq.read_table(calibration_run.paths.ground_truth / "customers.parquet").to_pandas()
    level = truth.risk_level.str[1].astype(int)
    assert level[truth.asset_tier == "hnw"].mean() > level[truth.asset_tier == "long_tail"].mean()
    assert level[truth.age < 30].mean() > level[truth.age >= 55].mean()
    shares = level.value_counts(normalize=True).sort_index()
    assert list(shares.index) == [1, 2, 3, 4, 5]
    assert shares[3] == shares.max()
