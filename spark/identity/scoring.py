"""How well the partner links match the generator's ground truth, per partner.

The unit is a partner user (partner, partner_user_id) present in the lake as of the build.
A user's resolved status is ``linked`` if any of its rows links, else ``ambiguous``, else
``unmatched``, else ``unlinked``.

- precision: of the (user, customer_key) pairs we link, the share whose key is the key of the
  user's true account (``lake.customer_accounts``, so merged accounts count as one person).
- recall: of the users whose true account is a customer known at as_of, the share linked to
  its key. Users with a planted conflict (e.g. a device shared by two customers) are left out:
  they cannot be resolved without guessing, and are counted apart as ``planted_conflicts``,
  of which ``conflicts_flagged`` were flagged ambiguous rather than linked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from profilehub.contracts import PARTNERS
from profilehub.generator.truth import IDENTITY_LINKS_FILE
from profilehub.settings import Settings
from spark.identity.links import AMBIGUOUS, LINKED, PARTNER_USER_ID, UNLINKED, UNMATCHED
from spark.identity.tables import (
    APP_NAME,
    CUSTOMER_ACCOUNTS,
    IDENTITY_QUALITY,
    PARTNER_LINKS,
    read_partition,
    write_partition,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

# The generator's flag of a planted conflict that no rule can resolve without guessing.
TRUTH_CONFLICT_COLUMN = "shared_device"


def ground_truth_path(settings: Settings) -> Path:
    return settings.paths.ground_truth / IDENTITY_LINKS_FILE


@dataclass(frozen=True)
class PartnerScore:
    partner: str
    precision: float | None  # None when nothing was linked
    recall: float | None  # None when no resolvable user exists
    linked: int
    ambiguous: int
    unmatched: int
    unlinked: int
    planted_conflicts: int
    conflicts_flagged: int


@dataclass(frozen=True)
class IdentityScore:
    as_of: dt.date
    partners: tuple[PartnerScore, ...]

    def of(self, partner: str) -> PartnerScore:
        return next(score for score in self.partners if score.partner == partner)

    def table(self) -> str:
        names = [f.name for f in fields(PartnerScore)]
        rows = [names, *([_cell(getattr(score, name)) for name in names]
                         for score in self.partners)]
        widths = [max(len(row[i]) for row in rows) for i in range(len(names))]
        return "\n".join(
            " ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                     for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
            for row in rows)


def _cell(value) -> str:
    if value is None:
        return "-"
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def _resolved_users(links: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F

    def has(status: str):
        return F.max((F.col("status") == status).cast("int")) == 1

    return (links.groupBy("partner", PARTNER_USER_ID)
            .agg(F.collect_set(F.when(F.col("status") == LINKED, F.col("customer_key")))
                 .alias("linked_keys"),
                 has(AMBIGUOUS).alias("any_ambiguous"), has(UNMATCHED).alias("any_unmatched"))
            .withColumn("resolved", F.when(F.size("linked_keys") > 0, LINKED)
                        .when(F.col("any_ambiguous"), AMBIGUOUS)
                        .when(F.col("any_unmatched"), UNMATCHED)
                        .otherwise(UNLINKED)))


def _truth(spark: SparkSession, settings: Settings, accounts: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F

    keys = accounts.select("account_id", F.col("customer_key").alias("true_key"))
    return (spark.read.parquet(str(ground_truth_path(settings)))
            .select("partner", PARTNER_USER_ID, "account_id",
                    F.coalesce(F.col(TRUTH_CONFLICT_COLUMN), F.lit(False)).alias("conflict"))
            .join(keys, "account_id", "left"))


def _per_partner(users: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F

    pairs = F.size("linked_keys")
    correct = F.when(F.array_contains("linked_keys", F.col("true_key")), 1).otherwise(0)
    resolvable = F.col("true_key").isNotNull() & ~F.col("conflict")

    def count_where(condition):
        return F.sum(F.when(condition, 1).otherwise(0))

    # A partner with no links (or nobody resolvable) yet, as in the first days of a small
    # delivery, has no precision (recall): NULL, not a division error under ANSI SQL.
    return users.groupBy("partner").agg(
        F.try_divide(F.sum(correct), F.sum(pairs)).alias("precision"),
        F.try_divide(count_where(resolvable & (correct == 1)), count_where(resolvable))
        .alias("recall"),
        *[count_where(F.col("resolved") == s).alias(s)
          for s in (LINKED, AMBIGUOUS, UNMATCHED, UNLINKED)],
        count_where(F.col("conflict")).alias("planted_conflicts"),
        count_where(F.col("conflict") & (F.col("resolved") == AMBIGUOUS))
        .alias("conflicts_flagged"))


def score_identity(settings: Settings, as_of: dt.date) -> IdentityScore:
    """Score the ``as_of`` partner links against the ground truth; write lake.identity_quality."""
    from pyspark.sql import functions as F

    from spark.session import spark_session

    spark = spark_session(settings, APP_NAME)
    accounts = read_partition(spark, CUSTOMER_ACCOUNTS, as_of)
    users = (_resolved_users(read_partition(spark, PARTNER_LINKS, as_of))
             .join(_truth(spark, settings, accounts), ["partner", PARTNER_USER_ID], "left")
             .withColumn("conflict", F.coalesce("conflict", F.lit(False))))
    rows = {row["partner"]: row.asDict() for row in _per_partner(users).collect()}
    scores = tuple(_partner_score(partner, rows.get(partner)) for partner in PARTNERS)
    frame = spark.createDataFrame(
        [tuple(getattr(score, name) for name in IDENTITY_QUALITY.column_names)
         for score in scores], _QUALITY_SCHEMA)
    write_partition(IDENTITY_QUALITY, frame, as_of)
    return IdentityScore(as_of=as_of, partners=scores)


_QUALITY_SCHEMA = ", ".join(f"`{name}` {sql_type}" for name, sql_type in IDENTITY_QUALITY.columns)


def _partner_score(partner: str, row: dict | None) -> PartnerScore:
    if row is None:
        return PartnerScore(partner, None, None, 0, 0, 0, 0, 0, 0)
    return PartnerScore(partner=partner, **{f.name: row[f.name] for f in fields(PartnerScore)
                                             if f.name != "partner"})
