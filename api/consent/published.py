"""The consents an as_of's marts prove: what seeds the ledger when that as_of is served."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import duckdb

from api.consent.ledger import ConsentLedger, Grant
from profilehub.catalog.sql import sql_string
from profilehub.feature_store.marts import TAGS_MODEL, mart_partition
from profilehub.feature_store.views import catalog_tags
from profilehub.settings import Settings


def published_grants(settings: Settings, as_of: date) -> Iterator[Grant]:
    """(customer, partner, purpose) triples active on ``as_of``.

    A partner-derived value is published for a purpose only where the customer consented to
    every partner the tag reads (catalog rule, ``profilehub.catalog.model``), so each listed
    purpose proves a grant for each of the tag's partners.
    """
    partners_of = {tag.id: tag.partners for tag in catalog_tags() if tag.is_partner_derived}
    partition = mart_partition(settings, TAGS_MODEL, as_of)
    query = f"""
        SELECT DISTINCT customer_key, tag_id, unnest(consented_purposes) AS purpose
        FROM read_parquet({sql_string(str(partition / "*.parquet"))})
        WHERE len(consented_purposes) > 0"""
    with duckdb.connect() as connection:
        rows = connection.sql(query).fetchall()
    seen: set[Grant] = set()
    for customer_key, tag_id, purpose in rows:
        for partner in partners_of.get(tag_id, ()):
            grant = (customer_key, partner, purpose)
            if grant not in seen:
                seen.add(grant)
                yield grant


def sync_ledger(settings: Settings, ledger: ConsentLedger, as_of: date) -> bool:
    """Make the ledger's published grants those of ``as_of``; False when they already were."""
    if ledger.published_as_of() == as_of:
        return False
    ledger.replace_published(as_of, published_grants(settings, as_of))
    return True
