"""Customers from KYC history: one stable pseudonymous key per person, and when each
identifier (national id, phone, device) belonged to whom.

Decisions:

- Only KYC rows delivered on or before ``as_of`` (``dt``) and written on or before it
  (``updated_at``) are read, so rebuilding a past date sees exactly what that date saw. Several
  rows of one account on one day collapse to the latest (the state at the end of that day).
- ``customer_key`` is ``'CK'`` + the first 20 hex digits of SHA-256 of the account's keyed HMAC
  token (``"account_id:<id>"`` under the PII key, the message convention of
  ``profilehub.pii``). It never shows the account id and stays the same across builds.
- Accounts whose *current* national id token is the same are one person: all of them carry the
  key of the earliest account (``opened_on``, then account id). A corrected national id
  therefore un-merges the accounts on the next build.
- ``opened_on`` is the earlier of the first KYC row's ``open_date`` and its date: accounts
  delivered in the initial snapshot were opened long before their first KYC row.
- An identifier is valid for an account from the day a KYC row first shows it (the first value
  from ``opened_on``) until the day a later row shows another value (``valid_to`` exclusive,
  NULL while current). A NULL device means no device in that period.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import TYPE_CHECKING

from profilehub.contracts import CUSTOMERS, PiiKind
from profilehub.dbt_sources import PARTITION_COLUMN, SOURCE_FILE_COLUMN, SOURCE_LINE_COLUMN
from spark.ingest.tables import lake_table

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

CUSTOMER_KEY_PREFIX = "CK"
CUSTOMER_KEY_HEX_DIGITS = 20
ACCOUNT_TOKEN_KIND = "account_id"
# Identifiers that link partner rows to customers, strongest evidence first.
LINK_KINDS: tuple[PiiKind, ...] = ("national_id", "phone", "device_id")
MERGE_KIND: PiiKind = "national_id"


def kyc_token_column(kind: PiiKind) -> str:
    """The customers column holding the token of ``kind`` (e.g. ``phone_token``)."""
    return next(c.curated_name for c in CUSTOMERS.columns if c.pii == kind)


LINK_TOKEN_COLUMNS = tuple(kyc_token_column(kind) for kind in LINK_KINDS)
MERGE_TOKEN_COLUMN = kyc_token_column(MERGE_KIND)


def customer_key_of(account_id: str, key: bytes) -> str:
    """The key an account carries as its own (merged accounts carry the earliest one's)."""
    message = f"{ACCOUNT_TOKEN_KIND}:{account_id}".encode()
    account_token = hmac.new(key, message, hashlib.sha256).hexdigest()
    digest = hashlib.sha256(account_token.encode()).hexdigest()
    return CUSTOMER_KEY_PREFIX + digest[:CUSTOMER_KEY_HEX_DIGITS]


def customer_key_column(account_id: Column, key: bytes) -> Column:
    """Spark twin of :func:`customer_key_of`, bit for bit (the key is a literal: never log it)."""
    from pyspark.sql import functions as F

    message = F.encode(F.concat(F.lit(f"{ACCOUNT_TOKEN_KIND}:"), account_id), "UTF-8")
    account_token = F.lower(F.hex(F.hmac(F.unhex(F.lit(key.hex())), message)))
    digest = F.sha2(account_token, 256)
    return F.concat(F.lit(CUSTOMER_KEY_PREFIX), F.substring(digest, 1, CUSTOMER_KEY_HEX_DIGITS))


def kyc_states(spark: SparkSession, as_of: dt.date) -> DataFrame:
    """Per account and KYC date, the account's last KYC row of that day (as known at as_of)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    known = (spark.table(lake_table(CUSTOMERS))
             .where((F.col(PARTITION_COLUMN) <= F.lit(as_of))
                    & (F.to_date("updated_at") <= F.lit(as_of)))
             .withColumn("kyc_date", F.to_date("updated_at")))
    latest_first = Window.partitionBy("account_id", "kyc_date").orderBy(
        F.desc("updated_at"), F.desc(PARTITION_COLUMN), F.desc(SOURCE_FILE_COLUMN),
        F.desc(SOURCE_LINE_COLUMN))
    return (known.withColumn("_rank", F.row_number().over(latest_first))
            .where("_rank = 1")
            .select("account_id", "kyc_date", "open_date", *LINK_TOKEN_COLUMNS))


def customer_accounts(states: DataFrame, key: bytes) -> DataFrame:
    """customer_key, account_id, opened_on, evidence: one row per account."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    accounts = states.groupBy("account_id").agg(
        F.least(F.min_by("open_date", "kyc_date"), F.min("kyc_date")).alias("opened_on"),
        F.max_by(MERGE_TOKEN_COLUMN, "kyc_date").alias("merge_token"),
    )
    person = Window.partitionBy("merge_token")
    earliest_first = person.orderBy("opened_on", "account_id")
    grouped = (accounts
               .withColumn("key_account", F.first("account_id").over(earliest_first))
               .withColumn("sharing", F.count("*").over(person))
               .withColumn("siblings", F.array_join(
                   F.array_sort(F.collect_list("account_id").over(person)), ", ")))
    evidence = (
        F.when(F.col("sharing") == 1, F.lit("single account"))
        .when(F.col("account_id") == F.col("key_account"), F.format_string(
            "earliest of %d accounts sharing %s (%s): keeps its own key",
            "sharing", F.lit(MERGE_TOKEN_COLUMN), "siblings"))
        .otherwise(F.format_string(
            "shares %s with %s, the earliest of %d accounts (%s): merged into its key",
            F.lit(MERGE_TOKEN_COLUMN), "key_account", "sharing", "siblings")))
    return grouped.select(
        customer_key_column(F.col("key_account"), key).alias("customer_key"),
        "account_id", "opened_on", evidence.alias("evidence"))


def key_intervals(states: DataFrame, accounts: DataFrame) -> DataFrame:
    """customer_key, account_id, matched_on, link_token, valid_from, valid_to (exclusive).

    One row per period in which an account's KYC showed one value of a link identifier.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    values = states.unpivot(["account_id", "kyc_date"], list(LINK_TOKEN_COLUMNS),
                            "matched_on", "link_token")
    by_date = Window.partitionBy("account_id", "matched_on").orderBy("kyc_date")
    changed = ~F.col("link_token").eqNullSafe(F.lag("link_token").over(by_date))
    periods = (values
               .withColumn("period", F.sum(changed.cast("int")).over(
                   by_date.rowsBetween(Window.unboundedPreceding, Window.currentRow)))
               .groupBy("account_id", "matched_on", "period", "link_token")
               .agg(F.min("kyc_date").alias("starts")))
    by_start = Window.partitionBy("account_id", "matched_on").orderBy("period")
    return (periods
            .withColumn("valid_to", F.lead("starts").over(by_start))
            .join(accounts.select("account_id", "customer_key", "opened_on"), "account_id")
            .where(F.col("link_token").isNotNull())
            .select("customer_key", "account_id", "matched_on", "link_token",
                    F.when(F.col("period") == 1, F.col("opened_on"))
                    .otherwise(F.col("starts")).alias("valid_from"),
                    "valid_to"))
