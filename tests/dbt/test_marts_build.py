"""``dbt build`` of the intermediate and mart layers on tiny Spark-built lake tables
(``support.tiny_lake``: five customers, one behaviour each, over three build dates).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from support.tiny_lake import (
    CUSTOMERS,
    D1,
    D2,
    D3,
    DAYS,
    HNW,
    LATE_GRANT,
    MARTS,
    MERGED_PARENT,
    NO_CONSENT,
    TRAVELLER,
    catalog_values,
    customer_tags,
    dbt_ok,
    feature_row,
    write_consent_events,
    write_feature_tables,
)

from profilehub.catalog import dbt_tags, load_tags
from profilehub.dbt_runner import dbt_target_path
from profilehub.settings import Settings, load_settings

pytestmark = pytest.mark.slow


def _partition(spark, model: str, day: dt.date) -> list[tuple]:
    frame = spark.table(f"profilehub.{model}").where(f"as_of = date'{day}'")
    return sorted(tuple(row) for row in frame.collect())


@dataclass
class Build:
    settings: Settings
    spark: object
    result: object
    seconds: float


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    from spark.session import spark_session

    settings = load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path_factory.mktemp("data")),
                              "PROFILEHUB_SPARK_DRIVER_MEMORY": "1g",
                              "PROFILEHUB_SPARK_SHUFFLE_PARTITIONS": "2"})
    spark = spark_session(settings, "test-dbt-marts")
    try:
        write_feature_tables(spark, settings)
        write_consent_events(spark)
        dbt_ok(settings, "run", "--select", "stg_consent_center__consent_events")
        dbt_ok(settings, "run", "--select", "intermediate+", "marts+", as_of=D1)
        # The intermediate views cover every as_of: another date only needs the marts.
        dbt_ok(settings, "run", "--select", "marts", as_of=D2)
        started = time.perf_counter()
        result = dbt_ok(settings, "build", "--select", "intermediate+", "marts+",
                        "source:profilehub_spark", as_of=D3)
        seconds = time.perf_counter() - started
        print(f"dbt build --select intermediate+ marts+ source:profilehub_spark (as_of {D3}): "
              f"{seconds:.1f} s, {len(result.result)} nodes")
        yield Build(settings, spark, result, seconds)
    finally:
        spark.stop()


def test_build_runs_models_data_tests_and_unit_tests(build: Build):
    kinds: dict[str, int] = {}
    for r in build.result.result:
        kind = r.node.resource_type
        kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds["model"] == 1 + 9 + len(MARTS)
    assert kinds["unit_test"] >= 8
    assert kinds["test"] >= 15
    source_tests = {r.node.name for r in build.result.result
                    if r.node.resource_type == "test"
                    and any(p.startswith("source.profilehub.profilehub_spark")
                            for p in r.node.depends_on.nodes)}
    assert any("customer_features" in name for name in source_tests)


def test_one_row_per_customer_and_date_and_tags_for_every_tag(build: Build):
    spark = build.spark
    for day in DAYS:
        profile = spark.table("profilehub.dim_customer_profile").where(f"as_of = date'{day}'")
        assert profile.count() == len(CUSTOMERS)
        catalog = spark.table("profilehub.dim_tag").where(f"as_of = date'{day}'")
        # dim_tag is what dbt computed: every tag but the model scores.
        assert catalog.count() == len(dbt_tags(load_tags()))
    merged = (spark.table("profilehub.dim_customer_profile")
              .where(f"customer_key = '{MERGED_PARENT.key}' and as_of = date'{D3}'").first())
    assert merged.account_count == 2 and merged.customer_since == dt.date(2024, 1, 1)
    # Booleans are never NULL: every non-partner boolean tag has a row per customer and day.
    booleans = sum(1 for tag in load_tags() if tag.type == "boolean" and not tag.partners)
    facts = spark.table("profilehub.fct_customer_tags")
    counts = (facts.where("family <> 'scenario_consumption' and value in ('true', 'false')")
              .groupBy("as_of").count().collect())
    assert {row["count"] for row in counts} >= {booleans * len(CUSTOMERS)}


def test_known_customer_has_exactly_thecatalog_values(build: Build):
    tags = dbt_tags(load_tags())
    expected_all = catalog_values(feature_row(HNW, D1), tags)
    # HNW consented to ecom_mall for marketing only, on D1.
    published = {tag.id for tag in tags
                 if not tag.partners or (tag.partners == ("ecom_mall",)
                                         and "marketing" in tag.purposes)}
    expected = {tag_id: value for tag_id, value in expected_all.items()
                if tag_id in published and value is not None}
    actual = customer_tags(build.spark, HNW, D1)
    assert {tag_id: value for tag_id, (value, _) in actual.items()} == expected
    assert actual["asset_tier"][0] == "hnw" and actual["hnw"] == ("true", None)
    assert actual["frequent_online_shopper"] == ("true", ["marketing"])
    assert actual["online_spend_band"] == ("k20_100k", ["marketing"])
    assert customer_tags(build.spark, HNW, D3)["asset_tier"][0] == "mass_affluent"
    profile = (build.spark.table("profilehub.dim_customer_profile")
               .where(f"customer_key = '{HNW.key}' and as_of = date'{D1}'").first())
    assert (profile.asset_tier, profile.hnw, profile.age_band) == ("hnw", True, "age_45_54")


def test_partner_tags_need_consent_for_every_partner_on_the_date(build: Build):
    spark = build.spark
    # Granted on D1, revoked on D3.
    assert "frequent_online_shopper" in customer_tags(spark, HNW, D2)
    assert "frequent_online_shopper" not in customer_tags(spark, HNW, D3)
    # Same features as HNW, never consented: no partner-derived tag at all.
    partner_tags = {tag.id for tag in load_tags() if tag.partners}
    for day in DAYS:
        assert not partner_tags & set(customer_tags(spark, NO_CONSENT, day))
    # travel_lover reads trip_ota and geo_telco: absent until both are consented (D2), then
    # published with no common purpose (trip_ota: marketing, geo_telco: research).
    assert "travel_lover" not in customer_tags(spark, TRAVELLER, D1)
    assert customer_tags(spark, TRAVELLER, D1)["cross_border_traveller"] == ("true", ["marketing"])
    assert customer_tags(spark, TRAVELLER, D2)["travel_lover"] == ("true", [])
    # Merged accounts: consent belongs to the customer; the same-instant revoke wins on D2.
    assert customer_tags(spark, MERGED_PARENT, D1)["new_parent"] == ("true", ["marketing"])
    assert "new_parent" not in customer_tags(spark, MERGED_PARENT, D2)
    # A grant dated D3 does not reach back.
    assert "airport_visit_7d" not in customer_tags(spark, LATE_GRANT, D2)
    assert customer_tags(spark, LATE_GRANT, D3)["airport_visit_7d"] == ("true", ["marketing"])
    profile_columns = set(spark.table("profilehub.dim_customer_profile").columns)
    assert not profile_columns & partner_tags


def test_family_models_use_the_catalog_sql_text(build: Build):
    compiled = dbt_target_path(build.settings) / "compiled" / "profilehub" / "models"
    for tag in dbt_tags(load_tags()):
        path = compiled / "intermediate" / "tags" / f"int_tags__{tag.family}.sql"
        assert tag.sql in path.read_text(encoding="utf-8"), tag.id


def test_rebuilding_a_date_reproduces_it_and_leaves_other_dates_alone(build: Build):
    spark = build.spark
    before = {(model, day): _partition(spark, model, day) for model in MARTS for day in DAYS}
    dbt_ok(build.settings, "run", "--select", "marts", as_of=D2)
    after = {(model, day): _partition(spark, model, day) for model in MARTS for day in DAYS}
    assert after == before
    assert all(before.values())
