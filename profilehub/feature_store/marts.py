"""Where dbt's mart partitions are, and the instant an as_of's data is complete.

The marts are Spark tables of the dbt target's schema, partitioned by ``as_of`` in Hive layout
(``<warehouse>/<schema>.db/<model>/as_of=YYYY-MM-DD/part-….parquet``): the partition column
lives in the folder name, not in the files.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from profilehub.catalog.dbt_marts import PROFILE_MODEL, TAGS_MODEL
from profilehub.dbt_runner import target_output
from profilehub.settings import Settings
from spark.session import SESSION_TIME_ZONE

__all__ = ["PROFILE_MODEL", "TAGS_MODEL", "as_of_complete_at", "as_of_completed_at",
           "mart_partition"]


def dbt_schema(settings: Settings) -> str:
    """The schema dbt builds the marts in, as the settings' target declares it."""
    return target_output(settings.spark.dbt_target)["schema"]


def mart_partition(settings: Settings, model: str, as_of: date) -> Path:
    """The folder of one as_of partition of a mart."""
    table = settings.paths.spark_warehouse / f"{dbt_schema(settings)}.db" / model
    return table / f"as_of={as_of.isoformat()}"


def as_of_complete_at(as_of: date) -> datetime:
    """The first instant after the as_of's business day (UTC): when every event it reads exists.

    An as_of's tags read events up to the end of that calendar day in the business time zone
    (the sources' wall time), so its values may only be known from the next midnight there.
    """
    midnight = datetime.combine(as_of + timedelta(days=1), time(0), ZoneInfo(SESSION_TIME_ZONE))
    return midnight.astimezone(ZoneInfo("UTC"))


def as_of_completed_at(instant: datetime) -> date:
    """The as_of whose data is complete at ``instant`` (the inverse of ``as_of_complete_at``):
    how an event timestamp of the feature store names the as_of it holds."""
    local = instant.astimezone(ZoneInfo(SESSION_TIME_ZONE))
    return local.date() - timedelta(days=1)
