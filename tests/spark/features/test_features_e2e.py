"""End to end on generated data: generator → Spark ingest → identity → feature build.

300 customers × 8 days in their own dates (2028-03), built once in a module fixture. The
feature table must agree with DuckDB on every column, match the generator's ground truth where
a feature is a plain fact (gender, Generation Z), and show the planted behaviours; and the
catalog's tags, evaluated over it (their SQL in DuckDB, as dbt computes them), must find the
planted behaviours (``profilehub.tag_quality``).
"""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from features_lake import CustomerRows, by_customer, read_feature_partition, row_mismatches

from profilehub.catalog import load_features, load_tags, to_sql_select
from profilehub.generator import generate
from profilehub.generator.truth import CUSTOMERS_FILE, MARKET_DAYS_FILE
from profilehub.settings import Paths
from profilehub.tag_quality import CHECKS, TagQuality, score_tables
from spark.features import FeatureResult, build_features, build_features_duckdb
from spark.identity import CUSTOMER_ACCOUNTS, build_identity
from spark.identity.tables import read_partition
from spark.ingest import ingest_range

pytestmark = pytest.mark.slow

CUSTOMERS, DAYS, SEED = 300, 8, 11
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
    accounts: dict[str, str]  # account_id -> customer_key, our accounts only
    ground_truth: Path  # the generator's customers truth


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
        truth, sum(day["is_drawdown"] for day in market),
        {account: key for account, key in keys.items() if account in truth_by_account},
        report.ground_truth / CUSTOMERS_FILE)


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


def _catalog_tag_rows(rows: CustomerRows) -> pa.Table:
    """The long tag table (customer_key, tag_id, value) of the checked tags, from the catalog's
    own SQL evaluated on DuckDB over the Spark feature rows (as tests/dbt/test_marts_build.py's
    oracle does). No consent gate: every partner-derived value is present, so partner tags are
    scored on everyone (dbt publishes them only for consenting customers)."""
    checked = {check.tag for check in CHECKS}
    tags = [tag for tag in load_tags() if tag.id in checked]
    columns = ", ".join(f"CAST({f.name} AS {f.sql_type}) AS {f.name}" for f in load_features())
    with duckdb.connect() as db:
        db.register("feature_rows", pa.Table.from_pylist(list(rows.values())))
        db.execute(f"CREATE TABLE features AS SELECT customer_key, {columns} FROM feature_rows")
        # UNPIVOT drops NULL values: no row, as in fct_customer_tags.
        return db.sql(f"""
            UNPIVOT (SELECT customer_key, {to_sql_select(tags)} FROM features)
            ON COLUMNS(* EXCLUDE (customer_key)) INTO NAME tag_id VALUE value""").to_arrow_table()


@pytest.fixture(scope="module")
def tag_quality(e2e) -> TagQuality:
    accounts = pa.table({"account_id": list(e2e.accounts),
                         "customer_key": list(e2e.accounts.values())})
    quality = score_tables(_catalog_tag_rows(e2e.rows), accounts,
                           pq.read_table(e2e.ground_truth), AS_OF)
    print(f"\n{quality.table()}")
    return quality


def test_tags_score_every_customer_against_the_planted_truth(e2e, tag_quality):
    assert tag_quality.customers == len(e2e.rows)
    assert tag_quality.accounts == len(e2e.accounts)


# (tag, measure, floor): what the catalog's tags must find of the planted behaviours at this
# fixture's size (300 customers, 8 days). Measured with seed 11 (in brackets); floors leave a
# margin of about one customer of the smaller cohorts. Tags whose windows need more history than
# 8 days are asserted only where their value means something (see the comments).
TAG_FLOORS: tuple[tuple[str, str, float], ...] = (
    # A plain fact: the feature is the planted birth year's generation [1.000, 1.000].
    ("gen_z", "precision", 1.0), ("gen_z", "recall", 1.0),
    # The KYC feed delivers the planted risk level [1.000].
    ("customer_risk_level", "accuracy", 1.0),
    # Not exact: the truth is the day-one holdings, the tag reads the as_of's, and 8 days of
    # trading move some customers across a tier boundary (selling moves money to cash, which
    # total_assets does not count) [0.927; long_tail 0.950 / 0.958].
    ("asset_tier", "accuracy", 0.85),
    ("asset_tier=long_tail", "precision", 0.9), ("asset_tier=long_tail", "recall", 0.9),
    # 8 days are exactly the tag's 8 active days: every day trader is found; the two others
    # tagged make same-day round trips too (the wash traders) [0.818, 1.000 of 9].
    ("day_trader", "precision", 0.6), ("day_trader", "recall", 0.85),
    # Both wash traders are found; precision is low by design of the signal (day traders make
    # the same round trips) and not asserted [recall 1.000 of 2, precision 0.167].
    ("wash_trade_like_round_trips", "recall", 1.0),
    # Panic sellers dump their book on the drawdown days [AUC 0.926; 0.444, 0.889 of 18].
    ("panic_seller_score", "auc", 0.85),
    ("panic_selling_episode_90d", "precision", 0.3),
    ("panic_selling_episode_90d", "recall", 0.75),
    # Weak at 8 days: the score's trend and slowdown components compare with the 60 days
    # before the last 30, which do not exist here; inactivity and outflow still separate the
    # 12 churners from chance [AUC 0.672]. declining_activity needs 4 active days in those 60
    # days: never true here, not asserted.
    ("churn_risk_score", "auc", 0.6),
    # [AUC 0.985; 0.464, 0.867 of 15]
    ("fomo_score", "auc", 0.9),
    ("fomo_chaser", "precision", 0.35), ("fomo_chaser", "recall", 0.75),
    # Only planted margin users trade on margin; one whose 3 trades of 8 days were all on cash
    # is missed [1.000, 0.750 of 4].
    ("margin_user", "precision", 1.0), ("margin_user", "recall", 0.5),
    # Wealth users hold products from day one [1.000, 1.000 of 91].
    ("dominant_product_type", "precision", 0.95), ("dominant_product_type", "recall", 0.95),
    # One planted breach at this size, found [1.000, 1.000 of 1].
    ("holds_above_risk_level", "precision", 1.0), ("holds_above_risk_level", "recall", 1.0),
    # The first booking of a cross-border traveller is abroad [1.000, 1.000 of 10].
    ("cross_border_traveller", "precision", 0.9), ("cross_border_traveller", "recall", 0.9),
    # The tag's 7-day window against the planted visit dates [1.000, 1.000 of 5].
    ("airport_visit_7d", "precision", 0.9), ("airport_visit_7d", "recall", 0.9),
    # Half the planted new parents have no parenting-partner data in 8 days (and those planted
    # 18 to 20 months old are not new parents by the tag's definition) [1.000, 0.500 of 14].
    ("new_parent", "precision", 1.0), ("new_parent", "recall", 0.3),
    # travel_lover wants 3 bookings (or 4 airport visits) in 90 days; in 8 days most planted
    # travellers make only their first booking (recall 0.031 of 32): only that it tags no one
    # who does not travel.
    ("travel_lover", "precision", 1.0),
    # Trades lean to the planted sector; the top sector of 8 days hits it 4 times as often
    # as chance (10 sectors) [0.401 of 202 who traded].
    ("preferred_sector", "accuracy", 0.3),
)


def test_tags_find_the_planted_behaviours(tag_quality):
    below = []
    for tag, measure, floor in TAG_FLOORS:
        value = getattr(tag_quality.score(tag), measure)
        if value is None or value < floor:
            below.append(f"{tag} {measure} {value} (floor {floor})")
    assert below == [], "\n" + tag_quality.table()
