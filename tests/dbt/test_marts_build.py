"""``dbt build`` of the intermediate and mart layers on tiny Spark-built lake tables.

The generator → ingest → identity → features chain is not assumed here: the fixture writes a
handful of customers straight into ``lake.customer_features`` and ``lake.customer_accounts``
(created with the Spark jobs' own table definitions) and contract-shaped consent events into
``lake.consent_events``, for three build dates. Each customer is there for one behaviour: an
HNW customer who grants and later revokes a partner consent, one who never consents, a
traveller whose two partners are consented for different purposes, a customer with two merged
accounts whose same-instant grant and revoke are tie-broken, and a grant dated after the
first build dates.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import duckdb
import pytest

from profilehub.catalog import Tag, dbt_tags, load_features, load_tags, to_sql_select
from profilehub.contracts import CONSENT_EVENTS
from profilehub.dbt_runner import dbt_target_path, run_dbt
from profilehub.dbt_sources import (
    LAKE_SCHEMA,
    PARTITION_COLUMN,
    SOURCE_FILE_COLUMN,
    SOURCE_LINE_COLUMN,
)
from profilehub.settings import Settings, load_settings

pytestmark = pytest.mark.slow

D1, D2, D3 = dt.date(2026, 10, 1), dt.date(2026, 10, 2), dt.date(2026, 10, 3)
DAYS = (D1, D2, D3)
MARTS = ("dim_customer_profile", "fct_customer_tags", "dim_tag")
# Values of the string features that are never NULL (a new one fails here until added).
STRING_FEATURES = {"city": "Hangzhou", "gender": "F", "open_channel": "app"}


@dataclass(frozen=True)
class Customer:
    key: str
    accounts: tuple[str, ...]
    # Feature values that differ from the base row, for every day or per day.
    features: dict[str, object] = field(default_factory=dict)
    features_by_day: dict[dt.date, dict[str, object]] = field(default_factory=dict)


def _key(number: int) -> str:
    return f"CK{number:020x}"


HNW = Customer(_key(1), ("A000000001",),
               {"age_years": 45, "birth_year": 1981, "ecommerce_order_count_30d": 10,
                "ecommerce_spend_90d": 30_000.0},
               {D1: {"total_assets": 2_500_000.0}, D2: {"total_assets": 2_600_000.0},
                D3: {"total_assets": 900_000.0}})
NO_CONSENT = Customer(_key(2), ("A000000002",),
                      {"ecommerce_order_count_30d": 10, "ecommerce_spend_90d": 30_000.0})
TRAVELLER = Customer(_key(3), ("A000000003",),
                     {"travel_booking_count_90d": 4, "international_trip_count_90d": 2})
MERGED_PARENT = Customer(_key(4), ("A000000004", "A000000005"),
                         {"youngest_child_age_months": 8, "child_present_365d": True})
LATE_GRANT = Customer(_key(5), ("A000000006",), {"airport_visit_count_7d": 2})
CUSTOMERS = (HNW, NO_CONSENT, TRAVELLER, MERGED_PARENT, LATE_GRANT)

# (id, account, partner, purpose, action, event time)
CONSENT_LEDGER = (
    ("CE0001", "A000000001", "ecom_mall", "marketing", "grant", dt.datetime(2026, 10, 1, 10)),
    ("CE0002", "A000000001", "ecom_mall", "marketing", "revoke", dt.datetime(2026, 10, 3, 9)),
    ("CE0003", "A000000003", "trip_ota", "marketing", "grant", dt.datetime(2026, 10, 1, 11)),
    ("CE0004", "A000000003", "geo_telco", "research", "grant", dt.datetime(2026, 10, 2, 11)),
    ("CE0005", "A000000004", "kids_edu", "marketing", "grant", dt.datetime(2026, 10, 1, 12)),
    # Same instant from the customer's two accounts: the greater id (the revoke) decides.
    ("CE0006", "A000000004", "kids_edu", "marketing", "grant", dt.datetime(2026, 10, 2, 12)),
    ("CE0007", "A000000005", "kids_edu", "marketing", "revoke", dt.datetime(2026, 10, 2, 12)),
    ("CE0008", "A000000006", "geo_telco", "marketing", "grant", dt.datetime(2026, 10, 3, 8)),
)


def feature_row(customer: Customer, day: dt.date) -> dict[str, object]:
    """Every feature of the spec: zeros, false and NULL where allowed, then the customer's."""
    row: dict[str, object] = {}
    for feature in load_features():
        if feature.nullable:
            row[feature.name] = None
        elif feature.type == "string":
            row[feature.name] = STRING_FEATURES[feature.name]
        else:
            row[feature.name] = {"int": 0, "double": 0.0, "boolean": False}[feature.type]
    row.update({"age_years": 35, "birth_year": 1990, "account_age_days": 400,
                "total_assets": 50_000.0})
    return {**row, **customer.features, **customer.features_by_day.get(day, {})}


def _write_feature_tables(spark, settings: Settings) -> None:
    from spark.features.job import QUALIFIED_TABLE, ensure_table
    from spark.identity.tables import CUSTOMER_ACCOUNTS, ensure_tables

    ensure_table(spark, settings)
    ensure_tables(spark, settings)
    features = spark.table(QUALIFIED_TABLE)
    rows = [(customer.key, *feature_row(customer, day).values(), day)
            for day in DAYS for customer in CUSTOMERS]
    names = [f.name for f in load_features()]
    assert features.columns == ["customer_key", *names, "as_of"]
    (spark.createDataFrame(rows, features.schema).write
     .insertInto(QUALIFIED_TABLE, overwrite=True))
    accounts = spark.table(CUSTOMER_ACCOUNTS.qualified_name)
    account_rows = []
    for day in DAYS:
        for customer in CUSTOMERS:
            for number, account in enumerate(customer.accounts):
                opened = dt.date(2024, 1, 1) + dt.timedelta(days=100 * number)
                account_rows.append(
                    {"customer_key": customer.key, "account_id": account, "opened_on": opened,
                     "evidence": "test", "as_of": day})
    (spark.createDataFrame([tuple(row[c] for c in accounts.columns) for row in account_rows],
                           accounts.schema)
     .write.insertInto(CUSTOMER_ACCOUNTS.qualified_name, overwrite=True))


def _write_consent_events(spark) -> None:
    types = {"string": "string", "timestamp": "timestamp"}
    columns = [f"`{c.curated_name}` {types[c.type]}" for c in CONSENT_EVENTS.columns]
    schema = ", ".join([*columns, f"{SOURCE_FILE_COLUMN} string", f"{SOURCE_LINE_COLUMN} long",
                        f"{PARTITION_COLUMN} date"])
    rows = []
    for line, (event_id, account, partner, purpose, action, when) in enumerate(CONSENT_LEDGER):
        values = {"consent_event_id": event_id, "account_id": account, "partner_id": partner,
                  "purpose": purpose, "action": action, "event_time": when, "channel": "app",
                  "policy_version": "v2.1"}
        rows.append((*(values[c] for c in CONSENT_EVENTS.curated_columns),
                     f"landing/consent_events/dt={when.date()}/part-00000.jsonl", line + 1,
                     when.date()))
    (spark.createDataFrame(rows, schema).write.mode("overwrite").format("parquet")
     .partitionBy(PARTITION_COLUMN).saveAsTable(f"{LAKE_SCHEMA}.{CONSENT_EVENTS.name}"))


def _failed(result) -> list[str]:
    if result.result is None:
        return [str(result.exception)]
    return [f"{r.node.name}: {r.status} {r.message}" for r in result.result
            if r.status not in ("pass", "success")]


def _dbt(settings: Settings, *args: str, as_of: dt.date | None = None):
    vars_args = ["--vars", f"{{as_of: '{as_of}'}}"] if as_of else []
    result = run_dbt([*args, *vars_args], settings)
    assert result.success, _failed(result)
    return result


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
        _write_feature_tables(spark, settings)
        _write_consent_events(spark)
        _dbt(settings, "run", "--select", "stg_consent_center__consent_events")
        _dbt(settings, "run", "--select", "intermediate+", "marts+", as_of=D1)
        # The intermediate views cover every as_of: another date only needs the marts.
        _dbt(settings, "run", "--select", "marts", as_of=D2)
        started = time.perf_counter()
        result = _dbt(settings, "build", "--select", "intermediate+", "marts+",
                      "source:profilehub_spark", as_of=D3)
        seconds = time.perf_counter() - started
        print(f"dbt build --select intermediate+ marts+ source:profilehub_spark (as_of {D3}): "
              f"{seconds:.1f} s, {len(result.result)} nodes")
        yield Build(settings, spark, result, seconds)
    finally:
        spark.stop()


def _tags(spark, customer: Customer, day: dt.date) -> dict[str, tuple[str, list | None]]:
    rows = (spark.table("profilehub.fct_customer_tags")
            .where(f"customer_key = '{customer.key}' and as_of = date'{day}'").collect())
    return {row.tag_id: (row.value, row.consented_purposes) for row in rows}


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


def _catalog_values(row: dict[str, object], tags: tuple[Tag, ...]) -> dict[str, str | None]:
    """The catalog's own SQL evaluated on DuckDB: the oracle for the mart values."""
    features = load_features()
    connection = duckdb.connect()
    columns = ", ".join(f"{f.name} {f.sql_type}" for f in features)
    connection.execute(f"CREATE TABLE features ({columns})")
    connection.execute(f"INSERT INTO features VALUES ({', '.join('?' for _ in features)})",
                       [row[f.name] for f in features])
    values = connection.execute(f"SELECT {to_sql_select(tags)} FROM features").fetchone()
    return dict(zip((tag.id for tag in tags), values, strict=True))


def test_known_customer_has_exactly_the_catalog_values(build: Build):
    tags = dbt_tags(load_tags())
    expected_all = _catalog_values(feature_row(HNW, D1), tags)
    # HNW consented to ecom_mall for marketing only, on D1.
    published = {tag.id for tag in tags
                 if not tag.partners or (tag.partners == ("ecom_mall",)
                                         and "marketing" in tag.purposes)}
    expected = {tag_id: value for tag_id, value in expected_all.items()
                if tag_id in published and value is not None}
    actual = _tags(build.spark, HNW, D1)
    assert {tag_id: value for tag_id, (value, _) in actual.items()} == expected
    assert actual["asset_tier"][0] == "hnw" and actual["hnw"] == ("true", None)
    assert actual["frequent_online_shopper"] == ("true", ["marketing"])
    assert actual["online_spend_band"] == ("k20_100k", ["marketing"])
    assert _tags(build.spark, HNW, D3)["asset_tier"][0] == "mass_affluent"
    profile = (build.spark.table("profilehub.dim_customer_profile")
               .where(f"customer_key = '{HNW.key}' and as_of = date'{D1}'").first())
    assert (profile.asset_tier, profile.hnw, profile.age_band) == ("hnw", True, "age_45_54")


def test_partner_tags_need_consent_for_every_partner_on_the_date(build: Build):
    spark = build.spark
    # Granted on D1, revoked on D3.
    assert "frequent_online_shopper" in _tags(spark, HNW, D2)
    assert "frequent_online_shopper" not in _tags(spark, HNW, D3)
    # Same features as HNW, never consented: no partner-derived tag at all.
    partner_tags = {tag.id for tag in load_tags() if tag.partners}
    for day in DAYS:
        assert not partner_tags & set(_tags(spark, NO_CONSENT, day))
    # travel_lover reads trip_ota and geo_telco: absent until both are consented (D2), then
    # published with no common purpose (trip_ota: marketing, geo_telco: research).
    assert "travel_lover" not in _tags(spark, TRAVELLER, D1)
    assert _tags(spark, TRAVELLER, D1)["cross_border_traveller"] == ("true", ["marketing"])
    assert _tags(spark, TRAVELLER, D2)["travel_lover"] == ("true", [])
    # Merged accounts: consent belongs to the customer; the same-instant revoke wins on D2.
    assert _tags(spark, MERGED_PARENT, D1)["new_parent"] == ("true", ["marketing"])
    assert "new_parent" not in _tags(spark, MERGED_PARENT, D2)
    # A grant dated D3 does not reach back.
    assert "airport_visit_7d" not in _tags(spark, LATE_GRANT, D2)
    assert _tags(spark, LATE_GRANT, D3)["airport_visit_7d"] == ("true", ["marketing"])
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
    _dbt(build.settings, "run", "--select", "marts", as_of=D2)
    after = {(model, day): _partition(spark, model, day) for model in MARTS for day in DAYS}
    assert after == before
    assert all(before.values())
