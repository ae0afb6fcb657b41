"""End to end on generated data: generator → Spark ingest → identity → feature build.

300 customers × 5 days in their own dates (2028-03), built once in a module fixture. The
feature table must agree with DuckDB on every column, match the generator's ground truth where
a feature is a plain fact (gender, Generation Z), and show the planted behaviours.
"""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import time
from dataclasses import dataclass

import pyarrow.parquet as pq
import pytest
from features_lake import CustomerRows, by_customer, read_feature_partition, row_mismatches

from profilehub.generator import generate
from profilehub.generator.truth import CUSTOMERS_FILE, MARKET_DAYS_FILE
from profilehub.settings import Paths
from spark.features import FeatureResult, build_features, build_features_duckdb
from spark.identity import CUSTOMER_ACCOUNTS, build_identity
from spark.identity.tables import read_partition
from spark.ingest import ingest_range

pytestmark = pytest.mark.slow

CUSTOMERS, DAYS, SEED = 300, 5, 11
START = dt.date(2028, 3, 6)
AS_OF = START + dt.timedelta(days=DAYS - 1)


@dataclass(frozen=True)
class EndToEnd:
    result: FeatureResult
    seconds: float
    rows: CustomerRows  # our customers only: the shared lake may hold other suites' rows
    duckdb_rows: CustomerRows
    truth: dict[str, dict]  # customer_key -> ground truth of (one of) its accounts
    drawdown_days: int


@pytest.fixture(scope="module")
def e2e(spark, spark_settings, tmp_path_factory) -> EndToEnd:
    generated = tmp_path_factory.mktemp("features-e2e")
    report = generate(Paths(generated), customers=CUSTOMERS, days=DAYS, seed=SEED,
                      dirty_rate=0.0, start=START, progress=False)
    shutil.copytree(report.landing, spark_settings.paths.landing, dirs_exist_ok=True)
    ingest_range(spark_settings, start=START, end=AS_OF, sources=None, spark=spark)
    build_identity(spark_settings, AS_OF)
    started = time.perf_counter()
    result = build_features(spark_settings, AS_OF)
    seconds = time.perf_counter() - started

    truth_by_account = {row["account_id"]: row for row in
                        pq.read_table(report.ground_truth / CUSTOMERS_FILE).to_pylist()}
    keys = {row.account_id: row.customer_key
            for row in read_partition(spark, CUSTOMER_ACCOUNTS, AS_OF).collect()}
    truth = {keys[account]: row for account, row in truth_by_account.items() if account in keys}
    market = pq.read_table(report.ground_truth / MARKET_DAYS_FILE).to_pylist()
    ours = set(truth)
    duck = by_customer(build_features_duckdb(spark_settings.paths.lake, AS_OF).to_pylist())
    return EndToEnd(
        result, seconds,
        {k: v for k, v in read_feature_partition(spark, AS_OF).items() if k in ours},
        {k: v for k, v in duck.items() if k in ours},
        truth, sum(day["is_drawdown"] for day in market))


def _mean(values) -> float:
    values = [value for value in values if value is not None]
    return statistics.fmean(values) if values else 0.0


def _split(e2e: EndToEnd, flag: str, feature: str) -> tuple[float, float]:
    """Mean of ``feature`` over customers with and without the planted ``flag``."""
    planted = [row[feature] for key, row in e2e.rows.items() if e2e.truth[key][flag]]
    others = [row[feature] for key, row in e2e.rows.items() if not e2e.truth[key][flag]]
    assert planted and others, f"nobody or everybody is {flag}"
    return _mean(planted), _mean(others)


def test_every_generated_customer_has_a_row(e2e):
    assert len(e2e.truth) >= CUSTOMERS * 0.9  # a few accounts merge into one person
    assert set(e2e.rows) == set(e2e.truth)
    print(f"\nfeature build, {len(e2e.rows)} customers: {e2e.seconds:.1f}s\n"
          f"{e2e.result.summary()}")


def test_spark_and_duckdb_agree_on_generated_data(e2e):
    assert row_mismatches(e2e.rows, e2e.duckdb_rows) == []


def test_plain_facts_match_the_ground_truth(e2e):
    for key, row in e2e.rows.items():
        assert row["gender"] == e2e.truth[key]["gender"]
        assert row["is_gen_z"] == e2e.truth[key]["is_gen_z"]


def test_market_drawdown_days_are_the_planted_ones(e2e):
    assert e2e.drawdown_days >= 1
    assert {row["market_drawdown_days_90d"] for row in e2e.rows.values()} == {e2e.drawdown_days}


def test_panic_sellers_sell_more_of_their_book_on_drawdown_days(e2e):
    panic, others = _split(e2e, "is_panic_seller", "drawdown_sell_share_90d")
    print(f"\ndrawdown sell share: panic sellers {panic:.3f}, others {others:.3f}")
    assert panic > 3 * others


def test_day_traders_trade_far_more_often(e2e):
    traders, others = _split(e2e, "is_day_trader", "trade_count_7d")
    print(f"\nfills in 7 days: day traders {traders:.1f}, others {others:.1f}")
    assert traders > 3 * others


def test_day_traders_make_same_day_round_trips(e2e):
    traders, others = _split(e2e, "is_day_trader", "same_day_round_trips_30d")
    assert traders > 3 * others
