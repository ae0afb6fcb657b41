"""``build_identity``: customer keys and partner links for one build date, then their score.

Reads only lake rows delivered (``dt``) and dated on or before ``as_of``, and writes the
``as_of`` partition of ``lake.customer_accounts`` and ``lake.partner_links`` (and, when the
generator's ground truth is present, ``lake.identity_quality``). Pure DataFrame code: no
Python UDFs. Rebuilding a date replaces its partitions with the same rows.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from profilehub.pipeline import stage
from profilehub.settings import Settings
from spark.identity import accounts as kyc
from spark.identity import links as partner
from spark.identity.scoring import IdentityScore, ground_truth_path, score_identity
from spark.identity.tables import (
    APP_NAME,
    CUSTOMER_ACCOUNTS,
    PARTNER_LINKS,
    ensure_tables,
    read_partition,
    write_partition,
)
from spark.session import spark_session

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


@dataclass(frozen=True)
class IdentityResult:
    as_of: dt.date
    accounts: int
    customers: int
    # (source, status, distinct partner users with a link row of that status)
    partner_users: tuple[tuple[str, str, int], ...]
    score: IdentityScore | None
    seconds: float

    def summary(self) -> str:
        lines = [f"identity as of {self.as_of}: {self.accounts} accounts -> "
                 f"{self.customers} customer keys ({self.seconds:.1f}s)",
                 f"{'source':<18}" + "".join(f"{s:>11}" for s in partner.STATUSES)]
        counts = {(source, status): n for source, status, n in self.partner_users}
        for contract in partner.PARTNER_SOURCES:
            cells = "".join(f"{counts.get((contract.name, s), 0):>11}" for s in partner.STATUSES)
            lines.append(f"{contract.name:<18}{cells}")
        if self.score is not None:
            lines.append(self.score.table())
        return "\n".join(lines)


# Intermediates are small and each is read several times: materialising them (localCheckpoint)
# keeps every query plan short, which is most of the run time on small data.


@stage("identity: customer keys from KYC")
def _build_accounts(spark, settings: Settings, as_of: dt.date) -> DataFrame:
    states = kyc.kyc_states(spark, as_of).localCheckpoint()
    write_partition(CUSTOMER_ACCOUNTS, kyc.customer_accounts(states, settings.pii_hmac_key()),
                    as_of)
    return states


@stage("identity: partner links")
def _build_links(spark, states: DataFrame, as_of: dt.date) -> None:
    accounts = read_partition(spark, CUSTOMER_ACCOUNTS, as_of)
    intervals = kyc.key_intervals(states, accounts).localCheckpoint()
    windows = partner.token_windows(intervals).localCheckpoint()
    links = partner.current_links(partner.all_partner_rows(spark, as_of), windows)
    links = links.localCheckpoint()
    previous_as_of = partner.previous_build(spark, as_of)
    if previous_as_of is not None:
        # Materialised too because the write below replaces a partition of the table it reads.
        previous = read_partition(spark, PARTNER_LINKS, previous_as_of).localCheckpoint()
        links = links.unionByName(
            partner.unlinked_links(previous, previous_as_of, links, accounts))
    write_partition(PARTNER_LINKS, links, as_of)


def _partner_users(spark, as_of: dt.date) -> tuple[tuple[str, str, int], ...]:
    from pyspark.sql import functions as F

    rows = (read_partition(spark, PARTNER_LINKS, as_of)
            .groupBy("source", "status")
            .agg(F.countDistinct(partner.PARTNER_USER_ID).alias("users"))
            .orderBy("source", "status").collect())
    return tuple((row["source"], row["status"], row["users"]) for row in rows)


def build_identity(settings: Settings, as_of: dt.date) -> IdentityResult:
    """Resolve identities as of ``as_of`` into the lake, idempotently; score if truth exists."""
    from pyspark.sql import functions as F

    started = time.perf_counter()
    spark = spark_session(settings, APP_NAME)
    ensure_tables(spark, settings)
    states = _build_accounts(spark, settings, as_of)
    _build_links(spark, states, as_of)
    score = None
    if ground_truth_path(settings).exists():
        score = stage("identity: score against ground truth")(score_identity)(settings, as_of)
    counts = read_partition(spark, CUSTOMER_ACCOUNTS, as_of).agg(
        F.count("*").alias("accounts"), F.countDistinct("customer_key").alias("customers")).first()
    return IdentityResult(as_of=as_of, accounts=counts["accounts"],
                          customers=counts["customers"],
                          partner_users=_partner_users(spark, as_of), score=score,
                          seconds=time.perf_counter() - started)
