"""Wealth products: a catalogue with type-consistent risk levels, and suitability."""

from __future__ import annotations

import pyarrow.parquet as pq
from generator_checks import load_source

from profilehub.contracts import (
    RISK_ASSESSMENTS,
    WEALTH_HOLDINGS,
    WEALTH_PRODUCTS,
    WEALTH_TRANSACTIONS,
)


def test_catalogue_risk_levels_fit_product_types(behaviour_run):
    products = load_source(behaviour_run.paths.landing, WEALTH_PRODUCTS)
    catalogue = products[products.delivery_date == products.delivery_date.min()]
    assert 200 <= len(catalogue) <= 400
    level = catalogue.risk_level.str[1].astype(int)
    kinds = catalogue.product_type
    assert set(kinds) == {"fund", "bond", "structured", "insurance"}
    assert (level[kinds.isin(["bond", "insurance"])] <= 2).all()
    assert (level[kinds == "structured"] >= 4).all()
    assert set(level[kinds == "fund"]) == {1, 2, 3, 4, 5}
    assert (catalogue.min_investment[kinds == "structured"] >= 50_000).all()
    daily = products.groupby("delivery_date").product_code.apply(frozenset)
    assert daily.nunique() == 1  # the same shelf every day


def test_only_the_breach_cohort_holds_products_above_its_risk_level(behaviour_run):
    landing = behaviour_run.paths.landing
    holdings = load_source(landing, WEALTH_HOLDINGS)
    products = load_source(landing, WEALTH_PRODUCTS).drop_duplicates("product_code")
    levels = load_source(landing, RISK_ASSESSMENTS).drop_duplicates("account_id")
    merged = holdings.merge(products[["product_code", "risk_level"]], on="product_code").merge(
        levels[["account_id", "risk_level"]], on="account_id", suffixes=("_product", "_customer"))
    above = merged.risk_level_product.str[1] > merged.risk_level_customer.str[1]
    breaching = set(merged.account_id[above])
    truth = pq.read_table(behaviour_run.paths.ground_truth / "customers.parquet").to_pandas()
    assert breaching == set(truth.account_id[truth.is_suitability_breach])
    holders = holdings.account_id.nunique()
    assert 1 <= len(breaching) <= 0.05 * holders


def test_transactions_reference_the_catalogue_and_respect_minimums(behaviour_run):
    landing = behaviour_run.paths.landing
    products = load_source(landing, WEALTH_PRODUCTS).drop_duplicates("product_code")
    txns = load_source(landing, WEALTH_TRANSACTIONS).merge(
        products[["product_code", "min_investment"]], on="product_code", how="left")
    assert txns.min_investment.notna().all()
    assert set(txns.txn_type) == {"subscribe", "redeem", "dividend"}
    subscriptions = txns[txns.txn_type == "subscribe"]
    assert (subscriptions.amount >= subscriptions.min_investment).all()
