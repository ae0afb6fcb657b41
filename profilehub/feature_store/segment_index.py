"""Build the segment index of one as_of from the long tag mart, with profilehub.segments."""

from __future__ import annotations

from datetime import date

import duckdb

from profilehub.catalog.sql import sql_string
from profilehub.feature_store.marts import TAGS_MODEL, mart_partition
from profilehub.feature_store.views import served_tags
from profilehub.segments import SegmentIndex, build_index, index_folder, kinds_from_catalog
from profilehub.settings import Settings


def build_segment_index(settings: Settings, as_of: date, *, purpose: str | None = None
                        ) -> SegmentIndex:
    """Index the as_of's ``fct_customer_tags`` where profilehub.segments keeps indexes.

    With ``purpose``, a partner-derived value is indexed only where the customer consented to
    that purpose (segments for a campaign: ``purpose="marketing"``). The index folder is
    ``profilehub.segments.index_folder(as_of)``, which follows the process's settings.
    """
    partition = mart_partition(settings, TAGS_MODEL, as_of)
    if not partition.is_dir():
        raise FileNotFoundError(f"no mart partition {partition}: build the marts for that as_of")
    with duckdb.connect() as connection:
        # The as_of is the partition folder's name (Hive layout): DuckDB reads it as a DATE.
        rows = connection.read_parquet(str(partition / "*.parquet"), hive_partitioning=True)
        if purpose is not None:
            rows = rows.filter(f"consented_purposes IS NULL OR "
                               f"list_contains(consented_purposes, {sql_string(purpose)})")
        return build_index(rows, kinds_from_catalog(served_tags()), index_folder(as_of))
