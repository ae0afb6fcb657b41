"""The identity tables in the metastore: their columns, and the one way they are written.

Each table lives in the ``lake`` schema, beside the ingest's tables, as an external Parquet
table under ``settings.paths.lake/<table>`` partitioned by the build date ``as_of``. A build
replaces only its own ``as_of`` partition (dynamic partition overwrite), so rebuilding a date is
idempotent and leaves the other dates alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from profilehub.dbt_sources import LAKE_SCHEMA
from profilehub.settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

AS_OF = "as_of"
APP_NAME = "profilehub-identity"


@dataclass(frozen=True)
class IdentityTable:
    name: str
    # (column, Spark SQL type) in table order, without the as_of partition column.
    columns: tuple[tuple[str, str], ...]

    @property
    def qualified_name(self) -> str:
        return f"{LAKE_SCHEMA}.{self.name}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    def ddl(self, settings: Settings) -> str:
        columns = ", ".join(f"`{name}` {sql_type}" for name, sql_type in self.columns)
        location = settings.paths.lake / self.name
        return (f"CREATE TABLE IF NOT EXISTS {self.qualified_name} ({columns}, {AS_OF} DATE) "
                f"USING parquet PARTITIONED BY ({AS_OF}) LOCATION '{location}'")


CUSTOMER_ACCOUNTS = IdentityTable("customer_accounts", (
    ("customer_key", "STRING"),
    ("account_id", "STRING"),
    ("opened_on", "DATE"),
    ("evidence", "STRING"),
))

PARTNER_LINKS = IdentityTable("partner_links", (
    ("customer_key", "STRING"),
    ("partner", "STRING"),
    ("source", "STRING"),
    ("partner_user_id", "STRING"),
    ("matched_on", "STRING"),
    ("link_token", "STRING"),
    ("first_seen", "DATE"),
    ("last_seen", "DATE"),
    ("valid_from", "DATE"),
    ("valid_to", "DATE"),
    ("status", "STRING"),
    ("reason", "STRING"),
))

IDENTITY_QUALITY = IdentityTable("identity_quality", (
    ("partner", "STRING"),
    ("precision", "DOUBLE"),
    ("recall", "DOUBLE"),
    ("linked", "BIGINT"),
    ("ambiguous", "BIGINT"),
    ("unmatched", "BIGINT"),
    ("unlinked", "BIGINT"),
    ("planted_conflicts", "BIGINT"),
    ("conflicts_flagged", "BIGINT"),
))

IDENTITY_TABLES = (CUSTOMER_ACCOUNTS, PARTNER_LINKS, IDENTITY_QUALITY)


def ensure_tables(spark: SparkSession, settings: Settings) -> None:
    # Checked first: Hive logs an error for CREATE ... IF NOT EXISTS of an existing database.
    if not spark.catalog.databaseExists(LAKE_SCHEMA):
        spark.sql(f"CREATE DATABASE IF NOT EXISTS {LAKE_SCHEMA}")
    for table in IDENTITY_TABLES:
        if not spark.catalog.tableExists(table.qualified_name):
            # An existing folder spares Spark a stack trace about a missing location.
            (settings.paths.lake / table.name).mkdir(parents=True, exist_ok=True)
            spark.sql(table.ddl(settings))


def write_partition(table: IdentityTable, frame: DataFrame, as_of: dt.date) -> None:
    """Replace the ``as_of`` partition of ``table`` with ``frame`` (other dates are kept)."""
    from pyspark.sql import functions as F

    columns = [F.col(name).cast(sql_type).alias(name) for name, sql_type in table.columns]
    rows = frame.select(*columns, F.lit(as_of).alias(AS_OF))
    # Explicit, not only the session default: a static overwrite would empty the whole table.
    (rows.write.option("partitionOverwriteMode", "dynamic")
     .insertInto(table.qualified_name, overwrite=True))


def read_partition(spark: SparkSession, table: IdentityTable, as_of: dt.date) -> DataFrame:
    from pyspark.sql import functions as F

    return spark.table(table.qualified_name).where(F.col(AS_OF) == F.lit(as_of))
