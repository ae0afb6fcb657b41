"""Tiny dbt marts for two build dates, laid out as Spark writes them, and the stores under test.

The marts are written with pyarrow in the exact column types the dbt contract declares
(``_marts__models.yml``, rendered from the catalog), in Hive layout with ``as_of`` only in the
folder name. Each customer is there for one behaviour:

- RISER becomes high-net-worth on D2: its asset tags change after D1;
- CONSENTER consents to research, marketing and partner credit assessment on D1 and keeps only
  marketing on D2, so its partner-derived values must vanish from research and partner views;
- MARKETING_ONLY only ever consents to marketing;
- PLAIN has no partner data at all;
- the CROWD (12 more customers) makes segments both above and below the API's k threshold
  (10): its risk levels cycle C1–C5 with one questionnaire expired and one never taken, and
  it consents to every purpose of its partner-derived values (4 of it spend more online, 1 is
  a serial refunder).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import pyarrow as pa
import pyarrow.parquet as pq
import redis
import yaml

from profilehub.catalog import Tag, load_tags
from profilehub.catalog.dbt_marts import PROFILE_MODEL, TAGS_MODEL, marts_properties_yml
from profilehub.feature_store.config import sqlalchemy_url
from profilehub.feature_store.marts import mart_partition
from profilehub.settings import Settings, load_settings
from support.services import scratch_database

D1, D2 = dt.date(2026, 10, 1), dt.date(2026, 10, 2)
RISER, CONSENTER, MARKETING_ONLY, PLAIN = (f"CK{number:020x}" for number in range(1, 5))
CROWD = tuple(f"CK{number:020x}" for number in range(5, 17))
CUSTOMERS = (RISER, CONSENTER, MARKETING_ONLY, PLAIN, *CROWD)
# Of the crowd, who never took the risk questionnaire and whose questionnaire expired.
UNASSESSED, EXPIRED = CROWD[-1], CROWD[-2]
REDIS_URL = "redis://127.0.0.1:6379/0"
TAGS = {tag.id: tag for tag in load_tags()}
# The dbt contract's data types, as pyarrow reads what Spark writes for them.
ARROW_OF_DBT = {"string": pa.string(), "boolean": pa.bool_(), "int": pa.int32(),
                "date": pa.date32(), "decimal(5, 4)": pa.decimal128(5, 4),
                "array<string>": pa.list_(pa.string())}
# (customer, as_of) -> {partner-derived tag: (value, consented purposes)}
PARTNER_ROWS: dict[tuple[str, dt.date], dict[str, tuple[str, list[str]]]] = {
    (CONSENTER, D1): {
        "consumption_capacity_band": ("high", ["marketing", "partner_credit_assessment",
                                               "research"]),
        "serial_refunder": ("true", ["partner_credit_assessment", "research"])},
    (CONSENTER, D2): {
        "consumption_capacity_band": ("high", ["marketing"]),
        "serial_refunder": ("true", [])},
    (MARKETING_ONLY, D1): {"consumption_capacity_band": ("low", ["marketing"])},
    (MARKETING_ONLY, D2): {"consumption_capacity_band": ("low", ["marketing"])},
}
CONSENTED_PURPOSES = ("marketing", "partner_credit_assessment", "research")


def _crowd_partner_rows(number: int) -> dict[str, tuple[str, list[str]]]:
    """Everyone medium; 4 spend 1k–5k online; 1 serial refunder (groups below k = 10)."""
    values = {"consumption_capacity_band": "medium",
              "online_spend_band": "k1_5k" if number < 4 else "under_1k",
              "serial_refunder": "true" if number == 0 else "false"}
    return {tag: (value, [p for p in CONSENTED_PURPOSES if p in TAGS[tag].purposes])
            for tag, value in values.items()}


PARTNER_ROWS.update({(customer, as_of): _crowd_partner_rows(number)
                     for number, customer in enumerate(CROWD) for as_of in (D1, D2)})
# (customer, as_of) -> profile values that differ from the defaults.
PROFILE_VALUES: dict[tuple[str, dt.date], dict[str, object]] = {
    (RISER, D1): {"mass_affluent": True, "asset_tier": "mass_affluent",
                  "churn_risk_score": Decimal("0.1000")},
    (RISER, D2): {"hnw": True, "asset_tier": "hnw", "churn_risk_score": Decimal("0.9000")},
}


def _risk_values(level: int) -> dict[str, object]:
    return {"customer_risk_level": f"C{level}", "product_risk_ceiling": f"R{level}",
            "conservative_investor": level <= 2, "aggressive_investor": level >= 4}


for _number, _customer in enumerate(CROWD):
    for _as_of in (D1, D2):
        PROFILE_VALUES[(_customer, _as_of)] = _risk_values(_number % 5 + 1)
        if _customer == UNASSESSED:
            PROFILE_VALUES[(_customer, _as_of)] = {
                "customer_risk_level": "unassessed", "product_risk_ceiling": "none",
                "never_risk_assessed": True}
        if _customer == EXPIRED:
            PROFILE_VALUES[(_customer, _as_of)].update(
                {"product_risk_ceiling": "none", "risk_assessment_expired": True})


@cache
def mart_schema(model: str) -> pa.Schema:
    """The contract's columns of a mart, without the partition column ``as_of``."""
    document = yaml.safe_load(marts_properties_yml())
    columns = next(m["columns"] for m in document["models"] if m["name"] == model)
    return pa.schema([(c["name"], ARROW_OF_DBT[c["data_type"]]) for c in columns
                      if c["name"] != "as_of"])


def _default(tag: Tag) -> object:
    return {"boolean": False, "score": Decimal("0.1000")}.get(tag.type, (tag.values or ("",))[0])


def profile_row(customer: str, as_of: dt.date, schema: pa.Schema) -> dict[str, object]:
    row: dict[str, object] = {"customer_key": customer, "account_count": 1,
                              "customer_since": dt.date(2024, 1, 1)}
    row.update({name: _default(TAGS[name]) for name in schema.names if name in TAGS})
    return {**row, **PROFILE_VALUES.get((customer, as_of), {})}


def _text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def tag_rows(profile: dict[str, object], as_of: dt.date) -> list[dict[str, object]]:
    """The long table's rows of a customer: the profile's values and its partner values."""
    customer = profile["customer_key"]
    rows = [{"tag_id": name, "value": _text(value), "consented_purposes": None}
            for name, value in profile.items() if name in TAGS and value is not None]
    rows += [{"tag_id": name, "value": value, "consented_purposes": purposes}
             for name, (value, purposes) in PARTNER_ROWS.get((customer, as_of), {}).items()]
    return [{**row, "customer_key": customer, "family": TAGS[row["tag_id"]].family,
             "tag_version": TAGS[row["tag_id"]].version} for row in rows]


def _write_partition(settings: Settings, model: str, as_of: dt.date, rows: list[dict]) -> None:
    folder = mart_partition(settings, model, as_of)
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist(rows, schema=mart_schema(model))
    pq.write_table(table, folder / "part-00000-0000.c000.snappy.parquet")


def write_tiny_marts(settings: Settings) -> None:
    profile_schema = mart_schema(PROFILE_MODEL)
    for as_of in (D1, D2):
        profiles = [profile_row(customer, as_of, profile_schema) for customer in CUSTOMERS]
        _write_partition(settings, PROFILE_MODEL, as_of, profiles)
        tags = [row for profile in profiles for row in tag_rows(profile, as_of)]
        _write_partition(settings, TAGS_MODEL, as_of, tags)


def local_settings(root, project: str) -> Settings:
    return load_settings({"PROFILEHUB_DATA_ROOT": str(root), "PROFILEHUB_FEAST_PROJECT": project})


@dataclass(frozen=True)
class ProdServices:
    settings: Settings
    database: str


@contextmanager
def prod_services(root, project: str) -> Iterator[ProdServices]:
    """Prod settings over a database of its own (dropped afterwards); online keys end in the
    project name, and only those are removed afterwards."""
    with scratch_database("feast_test") as database:
        settings = load_settings({
            "PROFILEHUB_ENV": "prod", "PROFILEHUB_DATA_ROOT": str(root),
            "PROFILEHUB_POSTGRES_URL": f"postgresql://postgres@127.0.0.1:5432/{database}",
            "PROFILEHUB_REDIS_URL": REDIS_URL, "PROFILEHUB_FEAST_PROJECT": project})
        try:
            yield ProdServices(settings, database)
        finally:
            delete_project_keys(project)


def project_keys(project: str) -> list[bytes]:
    """Feast's Redis keys of a project: the serialised entity key followed by the project."""
    client = redis.Redis.from_url(REDIS_URL)
    return [key for key in client.scan_iter(match=b"*" + project.encode()) if
            key.endswith(project.encode())]


def delete_project_keys(project: str) -> None:
    keys = project_keys(project)
    if keys:
        redis.Redis.from_url(REDIS_URL).delete(*keys)


def registry_url(database: str) -> str:
    return sqlalchemy_url(f"postgresql://postgres@127.0.0.1:5432/{database}")
