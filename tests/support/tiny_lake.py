"""A tiny lake for dbt builds: a handful of customers written straight into the lake tables.

The generator -> ingest -> identity -> features chain is not assumed: ``write_feature_tables``
fills ``lake.customer_features`` and ``lake.customer_accounts`` (created with the Spark jobs' own
table definitions) and ``write_consent_events`` writes contract-shaped consent events, for three
build dates. Each customer is there for one behaviour: an HNW customer who grants and later
revokes a partner consent, one who never consents, a traveller whose two partners are consented
for different purposes, a customer with two merged accounts whose same-instant grant and revoke
are tie-broken, and a grant dated after the first build dates. ``catalog_values`` is the oracle:
the catalog's own SQL evaluated on DuckDB.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from profilehub.catalog import Tag, load_features, to_sql_select
from profilehub.contracts import CONSENT_EVENTS
from profilehub.dbt_runner import run_dbt
from profilehub.dbt_sources import (
    LAKE_SCHEMA,
    PARTITION_COLUMN,
    SOURCE_FILE_COLUMN,
    SOURCE_LINE_COLUMN,
)
from profilehub.settings import Settings

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


def write_feature_tables(spark, settings: Settings) -> None:
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


def write_consent_events(spark) -> None:
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


def failed_nodes(result) -> list[str]:
    if result.result is None:
        return [str(result.exception)]
    return [f"{r.node.name}: {r.status} {r.message}" for r in result.result
            if r.status not in ("pass", "success")]


def dbt_ok(settings: Settings, *args: str, as_of: dt.date | None = None):
    vars_args = ["--vars", f"{{as_of: '{as_of}'}}"] if as_of else []
    result = run_dbt([*args, *vars_args], settings)
    assert result.success, failed_nodes(result)
    return result


def customer_tags(spark, customer: Customer, day: dt.date) -> dict[str, tuple[str, list | None]]:
    rows = (spark.table("profilehub.fct_customer_tags")
            .where(f"customer_key = '{customer.key}' and as_of = date'{day}'").collect())
    return {row.tag_id: (row.value, row.consented_purposes) for row in rows}


def catalog_values(row: dict[str, object], tags: tuple[Tag, ...]) -> dict[str, str | None]:
    """The catalog's own SQL evaluated on DuckDB: the oracle for the mart values."""
    features = load_features()
    connection = duckdb.connect()
    columns = ", ".join(f"{f.name} {f.sql_type}" for f in features)
    connection.execute(f"CREATE TABLE features ({columns})")
    connection.execute(f"INSERT INTO features VALUES ({', '.join('?' for _ in features)})",
                       [row[f.name] for f in features])
    values = connection.execute(f"SELECT {to_sql_select(tags)} FROM features").fetchone()
    return dict(zip((tag.id for tag in tags), values, strict=True))
