"""Partner links: which customer each partner user's activity belongs to, with the evidence.

A partner row links through the identifier token it carries (``phone_token``,
``national_id_token`` or ``device_id_token``) to the customer whose KYC showed that token *on
the row's event date*. Decisions:

- Priority national_id > phone > device: a row carrying several identifiers is decided by the
  strongest one that matches any customer; weaker identifiers never override it.
- A token held by two customers on the same date (a shared device, a recycled number while
  both KYC records still show it) matches neither: those rows are ``ambiguous``, never merged.
- A phone that moved from customer A to customer B (a KYC change) links by date: activity
  dated before the change belongs to A, activity from the day of the change on to B. The
  ``valid_from``/``valid_to`` of a link row are the dates between which its token belonged to
  that customer alone (``valid_to`` exclusive, NULL while it still does): a feature job maps a
  partner row to a customer by (partner_user_id, link token, event date in that window).
- Rows dated before anyone held their token in KYC (a new customer's activity before opening
  the account) belong to the token's first holder if the same partner user also used the token
  while that holder had it; the link's ``valid_from`` then starts at the user's first row.
- A partner user whose rows link through *different* tokens to *different* customers is
  ambiguous as a whole; one token reaching two customers at different dates is the phone move
  above, not a conflict.
- A link (source, partner user, token, customer) that was ``linked`` in the previous build and
  is not any more (the KYC row was corrected or removed, the change arrived late, accounts were
  un-merged) appears once more as ``unlinked`` with the reason, and is gone from the next build.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from profilehub.contracts import CONTRACTS, PARTNERS, Contract
from profilehub.dbt_sources import PARTITION_COLUMN, SOURCE_FILE_COLUMN, SOURCE_LINE_COLUMN
from spark.identity.accounts import LINK_KINDS, kyc_token_column
from spark.identity.tables import AS_OF, PARTNER_LINKS
from spark.ingest.tables import lake_table

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

LINKED = "linked"
AMBIGUOUS = "ambiguous"
UNMATCHED = "unmatched"
UNLINKED = "unlinked"
STATUSES = (LINKED, AMBIGUOUS, UNMATCHED, UNLINKED)
PARTNER_USER_ID = "partner_user_id"
PARTNER_SOURCES: tuple[Contract, ...] = tuple(
    contract for contract in CONTRACTS
    if contract.partner in PARTNERS and PARTNER_USER_ID in contract.column_names)


def token_windows(intervals: DataFrame) -> DataFrame:
    """matched_on, link_token, window_from, window_to, customer_keys (sorted, distinct).

    Cuts each token's timeline at every date one of its holders gained or lost it, and keeps
    the maximal periods with the same set of holders.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    token = ["matched_on", "link_token"]
    bounds = (intervals.select(*token, F.col("valid_from").alias("cut"))
              .unionByName(intervals.where(F.col("valid_to").isNotNull())
                           .select(*token, F.col("valid_to").alias("cut")))
              .distinct())
    timeline = Window.partitionBy(*token).orderBy("cut")
    pieces = bounds.withColumn("cut_to", F.lead("cut").over(timeline)).alias("piece")
    holder = intervals.alias("holder")
    covers = ((F.col("piece.matched_on") == F.col("holder.matched_on"))
              & (F.col("piece.link_token") == F.col("holder.link_token"))
              & (F.col("holder.valid_from") <= F.col("piece.cut"))
              & (F.col("holder.valid_to").isNull()
                 | (F.col("holder.valid_to") > F.col("piece.cut"))))
    held = (pieces.join(holder, covers)
            .groupBy("piece.matched_on", "piece.link_token", "piece.cut", "piece.cut_to")
            .agg(F.array_sort(F.collect_set("holder.customer_key")).alias("customer_keys")))
    same_holders = Window.partitionBy(*token).orderBy("cut")
    starts_window = ~(F.lag("customer_keys").over(same_holders).eqNullSafe(F.col("customer_keys"))
                      & F.lag("cut_to").over(same_holders).eqNullSafe(F.col("cut")))
    return (held
            .withColumn("window", F.sum(starts_window.cast("int")).over(
                same_holders.rowsBetween(Window.unboundedPreceding, Window.currentRow)))
            .groupBy(*token, "window", "customer_keys")
            .agg(F.min("cut").alias("window_from"),
                 F.max_by("cut_to", "cut").alias("window_to"))
            .drop("window"))


def partner_rows(spark: SparkSession, contract: Contract, as_of: dt.date) -> DataFrame:
    """One row per (lake row, link identifier it carries) of a partner source up to as_of."""
    from pyspark.sql import functions as F

    event_date = F.to_date(contract.event_time)
    identifiers = F.array(*[
        F.struct(F.lit(kyc_token_column(column.pii)).alias("matched_on"),
                 F.lit(LINK_KINDS.index(column.pii)).alias("priority"),
                 F.col(column.curated_name).alias("link_token"))
        for column in contract.pii_columns if column.pii in LINK_KINDS])
    return (spark.table(lake_table(contract))
            .where((F.col(PARTITION_COLUMN) <= F.lit(as_of)) & (event_date <= F.lit(as_of)))
            .select(F.lit(contract.partner).alias("partner"), F.lit(contract.name).alias("source"),
                    PARTNER_USER_ID, event_date.alias("event_date"),
                    F.concat_ws(":", SOURCE_FILE_COLUMN, SOURCE_LINE_COLUMN).alias("row_id"),
                    F.explode(identifiers).alias("identifier"))
            .select("*", "identifier.*").drop("identifier")
            .where(F.col("link_token").isNotNull()))


def all_partner_rows(spark: SparkSession, as_of: dt.date) -> DataFrame:
    frames = [partner_rows(spark, contract, as_of) for contract in PARTNER_SOURCES]
    combined = frames[0]
    for frame in frames[1:]:
        combined = combined.unionByName(frame)
    return combined


def _matched_rows(rows: DataFrame, windows: DataFrame) -> DataFrame:
    """Each (partner row, identifier) with the window its event date falls in, if any."""
    from pyspark.sql import functions as F

    row, window = rows.alias("row"), windows.alias("window")
    in_window = ((F.col("row.matched_on") == F.col("window.matched_on"))
                 & (F.col("row.link_token") == F.col("window.link_token"))
                 & (F.col("row.event_date") >= F.col("window.window_from"))
                 & (F.col("window.window_to").isNull()
                    | (F.col("row.event_date") < F.col("window.window_to"))))
    return (row.join(window, in_window, "left")
            .select("row.*", "window.window_from", "window.window_to", "window.customer_keys"))


def _with_earlier_rows_backfilled(matched: DataFrame, windows: DataFrame) -> DataFrame:
    """Rows dated before anyone held their token join the token's first holder, provided the
    same partner user also used the token inside that holder's first window.

    A new customer's partner activity before the account was opened is still theirs; requiring
    the same partner user keeps a previous user of the number (another partner account) out.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    token = ["matched_on", "link_token"]
    earliest = Window.partitionBy(*token).orderBy("window_from")
    first = (windows.withColumn("_rank", F.row_number().over(earliest)).where("_rank = 1")
             .select(*token, F.col("window_from").alias("first_from"),
                     F.col("window_to").alias("first_to"),
                     F.col("customer_keys").alias("first_keys")))
    in_first = F.col("customer_keys").isNotNull() & (F.col("window_from") == F.col("first_from"))
    user_token = Window.partitionBy("source", PARTNER_USER_ID, *token)
    backfill = (F.col("customer_keys").isNull() & (F.col("event_date") < F.col("first_from"))
                & (F.size("first_keys") == 1)
                & (F.max(in_first.cast("int")).over(user_token) == 1))
    taken_from_first = {"window_from": "first_from", "window_to": "first_to",
                        "customer_keys": "first_keys"}
    joined = matched.join(first, token, "left").withColumn("_backfill", backfill)
    for column, first_column in taken_from_first.items():
        joined = joined.withColumn(
            column, F.when(F.col("_backfill"), F.col(first_column)).otherwise(F.col(column)))
    return joined.drop("_backfill", *taken_from_first.values())


def _decided_rows(rows: DataFrame, windows: DataFrame) -> DataFrame:
    """Each partner row with the holders of the identifier that decides it."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    matched = (_with_earlier_rows_backfilled(_matched_rows(rows, windows), windows)
               .withColumn("holders", F.coalesce(F.size("customer_keys"), F.lit(0))))
    strongest_match = Window.partitionBy("source", "row_id").orderBy(
        F.desc(F.col("holders") > 0), "priority")
    return (matched.withColumn("_rank", F.row_number().over(strongest_match))
            .where("_rank = 1").drop("_rank"))


def _held_since(kyc_from: Column) -> Column:
    """Why a linked row links: when its token was the customer's."""
    from pyspark.sql import functions as F

    held = (F.when(F.col("window_to").isNull(), F.format_string(
                "%s in the customer's KYC since %s", "matched_on", kyc_from.cast("string")))
            .otherwise(F.format_string(
                "%s in the customer's KYC from %s until %s", "matched_on",
                kyc_from.cast("string"), F.col("window_to").cast("string"))))
    earlier = F.format_string("; this partner user's rows with it from %s, before anyone held "
                              "it, included", F.col("first_seen").cast("string"))
    return F.concat(held, F.when(F.col("first_seen") < kyc_from, earlier).otherwise(F.lit("")))


def _reason(conflicted: Column) -> Column:
    from pyspark.sql import functions as F

    keys = F.array_join("customer_keys", ", ")
    return (
        F.when(F.col("holders") == 0, F.format_string(
            "%s matches no customer's KYC on the activity dates", "matched_on"))
        .when(F.col("holders") >= 2, F.format_string(
            "%s matches %d customers (%s): not merged", "matched_on", "holders", keys))
        .when(conflicted, F.format_string(
            "partner_user_id seen with %d tokens pointing at %d customers (%s): not merged",
            F.size("identity_tokens"), F.size("identity_keys"),
            F.array_join(F.array_sort("identity_keys"), ", ")))
        .otherwise(_held_since(F.col("window_from"))))


def current_links(rows: DataFrame, windows: DataFrame) -> DataFrame:
    """The partner_links rows (without as_of) that this build's evidence supports."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    groups = (_decided_rows(rows, windows)
              .groupBy("partner", "source", PARTNER_USER_ID, "matched_on", "link_token",
                       "window_from", "window_to", "customer_keys", "holders")
              .agg(F.min("event_date").alias("first_seen"),
                   F.max("event_date").alias("last_seen")))
    identity = Window.partitionBy("source", PARTNER_USER_ID)
    sole = F.col("holders") == 1
    groups = (groups
              .withColumn("identity_keys", F.collect_set(
                  F.when(sole, F.col("customer_keys")[0])).over(identity))
              .withColumn("identity_tokens", F.collect_set(
                  F.when(sole, F.col("link_token"))).over(identity)))
    conflicted = (F.size("identity_keys") >= 2) & (F.size("identity_tokens") >= 2)
    status = (F.when(F.col("holders") == 0, F.lit(UNMATCHED))
              .when((F.col("holders") >= 2) | conflicted, F.lit(AMBIGUOUS))
              .otherwise(F.lit(LINKED)))
    return groups.select(
        F.when(status == LINKED, F.col("customer_keys")[0]).alias("customer_key"),
        "partner", "source", PARTNER_USER_ID, "matched_on", "link_token",
        "first_seen", "last_seen",
        # A linked row is valid from its first row when earlier rows were backfilled.
        F.when(status == LINKED, F.least("window_from", "first_seen"))
        .otherwise(F.col("window_from")).alias("valid_from"),
        F.col("window_to").alias("valid_to"),
        status.alias("status"), _reason(conflicted).alias("reason"))


def previous_build(spark: SparkSession, as_of: dt.date) -> dt.date | None:
    """The latest as_of before this one that has partner links."""
    from pyspark.sql import functions as F

    row = (spark.table(PARTNER_LINKS.qualified_name).where(F.col(AS_OF) < F.lit(as_of))
           .agg(F.max(AS_OF).alias("previous")).first())
    return row["previous"] if row else None


def unlinked_links(previous: DataFrame, previous_as_of: dt.date, current: DataFrame,
                   customer_keys: DataFrame) -> DataFrame:
    """Previous build's links that the current evidence no longer supports, as 'unlinked'."""
    from pyspark.sql import functions as F

    link = ["source", PARTNER_USER_ID, "link_token", "customer_key"]
    still_linked = current.where(F.col("status") == LINKED).select(*link).distinct()
    gone = (previous.where(F.col("status") == LINKED).drop(AS_OF)
            .join(still_linked, link, "left_anti"))
    now = (current.groupBy("source", PARTNER_USER_ID, "link_token")
           .agg(F.collect_set("status").alias("now")))
    known = customer_keys.select("customer_key", F.lit(True).alias("key_exists")).distinct()
    detail = (
        F.when(F.col("key_exists").isNull(),
               "its customer_key no longer exists (accounts un-merged or KYC corrected)")
        .when(F.col("now").isNull(), "no partner rows carry this token any more")
        .when(F.array_contains("now", LINKED), "the token now links to another customer")
        .when(F.array_contains("now", AMBIGUOUS), "the token now matches several customers")
        .otherwise("the token is no longer in the customer's KYC on the activity dates"))
    return (gone.join(now, ["source", PARTNER_USER_ID, "link_token"], "left")
            .join(known, "customer_key", "left")
            .withColumn("status", F.lit(UNLINKED))
            .withColumn("reason", F.format_string(
                "was linked on %s; %s: un-merged", F.lit(previous_as_of.isoformat()), detail))
            .select(*PARTNER_LINKS.column_names))
