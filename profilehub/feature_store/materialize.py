"""Publish one as_of of the marts into the feature store, streaming and memory-bounded.

For each offline source of the registered views, the as_of's mart partition is read as record
batches: straight from ``dim_customer_profile`` with pyarrow.dataset, or, for a consent-gated
source, as a DuckDB pivot of ``fct_customer_tags`` that keeps a partner-derived value only where
the customer consented to the source's purpose (every customer gets a row, NULL when not
consented, so a revoked consent overwrites the value online). Each batch is typed as the views
declare, stamped with the instant the as_of was complete, appended to the source's Parquet
snapshot (what training sets read) and written view by view to the online store
(``online_write.write_online``: Feast's layout and bytes, converted column-wise; Feast's own
``write_to_online_store`` converts value by value and takes many minutes at 1M customers).
Memory holds one batch at a time.

The online store serves the latest profile: an as_of older than the one already online is
written to the offline snapshot only (a backfill), never online.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from feast import FeatureStore, FeatureView, FileSource
from tqdm import tqdm

from profilehub.catalog.sql import sql_string
from profilehub.feature_store.config import get_store
from profilehub.feature_store.marts import (
    PROFILE_MODEL,
    TAGS_MODEL,
    as_of_complete_at,
    mart_partition,
)
from profilehub.feature_store.online_write import OnlineWriter, write_online
from profilehub.feature_store.views import (
    ARROW_TYPES,
    CONSENT_PURPOSE,
    ENTITY_KEY,
    EVENT_TIMESTAMP,
)
from profilehub.settings import Settings

DEFAULT_BATCH_ROWS = 50_000
SNAPSHOT_FILE = "part-0.parquet"
TIMESTAMP_TYPE = pa.timestamp("us", tz="UTC")


@dataclass
class MaterializeReport:
    as_of: date
    online: bool
    rows_by_source: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        where = "offline snapshot and online store" if self.online else (
            "offline snapshot only (a newer as_of is online)")
        rows = ", ".join(f"{name} {count:,}" for name, count in self.rows_by_source.items())
        return f"as_of {self.as_of}: {rows} rows into the {where} in {self.seconds:.1f} s"


def materialize_as_of(settings: Settings, as_of: date, *, store: FeatureStore | None = None,
                      batch_rows: int = DEFAULT_BATCH_ROWS, progress: bool = True,
                      online_writer: OnlineWriter = write_online) -> MaterializeReport:
    """Publish the as_of's mart partitions to every registered view, offline and online.

    ``online_writer`` is replaceable so that benchmarks and tests can run Feast's own
    ``online_write.write_with_feast`` beside the default.
    """
    started = time.perf_counter()
    store = store or get_store(settings)
    views = store.list_feature_views(allow_cache=False)
    complete_at = as_of_complete_at(as_of)
    report = MaterializeReport(as_of, online=_is_latest(views, complete_at))
    for source, source_views in _views_by_source(views).items():
        batches = _source_batches(settings, as_of, source_views, batch_rows)
        target = _snapshot_folder(store, source_views[0]) / f"as_of={as_of.isoformat()}"
        writer = online_writer if report.online else None
        sink = _Sink(store, source_views, target, complete_at, writer)
        with tqdm(desc=f"{as_of} {source}", unit=" rows", disable=not progress) as bar:
            report.rows_by_source[source] = sink.drain(batches, bar.update)
    if report.online:
        for view in views:
            store.registry.apply_materialization(
                view, store.project, complete_at - timedelta(days=1), complete_at)
    report.seconds = time.perf_counter() - started
    return report


def _is_latest(views: Sequence[FeatureView], complete_at: datetime) -> bool:
    online = [view.most_recent_end_time for view in views if view.most_recent_end_time]
    return all(complete_at >= end for end in online)


def _views_by_source(views: Sequence[FeatureView]) -> dict[str, list[FeatureView]]:
    by_source: dict[str, list[FeatureView]] = {}
    for view in views:
        by_source.setdefault(view.batch_source.name, []).append(view)
    return dict(sorted(by_source.items()))


def _snapshot_folder(store: FeatureStore, view: FeatureView) -> Path:
    """Where the offline store reads the view's source, resolved as Feast resolves it."""
    return Path(FileSource.get_uri_for_file_path(store.config.repo_path, view.batch_source.path))


def snapshot_schema(views: Sequence[FeatureView]) -> pa.Schema:
    """The columns of a source's snapshot: key, its views' features as typed (views by name),
    timestamp."""
    features = [(feature.name, ARROW_TYPES[feature.dtype])
                for view in sorted(views, key=lambda view: view.name)
                for feature in view.features]
    return pa.schema([(ENTITY_KEY, pa.string()), *features, (EVENT_TIMESTAMP, TIMESTAMP_TYPE)])


def _source_batches(settings: Settings, as_of: date, views: Sequence[FeatureView],
                    batch_rows: int) -> Iterator[pa.RecordBatch]:
    purposes = {view.tags.get(CONSENT_PURPOSE) for view in views}
    if len(purposes) != 1:
        raise ValueError(f"views of one source mix consent purposes: {sorted(map(str, purposes))}")
    columns = [feature.name for view in views for feature in view.features]
    profile = mart_partition(settings, PROFILE_MODEL, as_of)
    purpose = purposes.pop()
    if purpose is None:
        return _profile_batches(profile, columns, batch_rows)
    tags = mart_partition(settings, TAGS_MODEL, as_of)
    return _consented_batches(profile, tags, purpose, columns, batch_rows)


def _profile_batches(profile: Path, columns: list[str], batch_rows: int
                     ) -> Iterator[pa.RecordBatch]:
    dataset = ds.dataset(_existing(profile), format="parquet")
    yield from dataset.to_batches(columns=[ENTITY_KEY, *columns], batch_size=batch_rows)


def _consented_batches(profile: Path, tags: Path, purpose: str, columns: list[str],
                       batch_rows: int) -> Iterator[pa.RecordBatch]:
    """One row per customer of the profile; a tag's value only where consented to ``purpose``."""
    pivot = ",\n".join(f'max(value) FILTER (WHERE tag_id = {sql_string(tag)}) AS "{tag}"'
                       for tag in columns)
    query = f"""
        SELECT customer_key, {", ".join(f'"{tag}"' for tag in columns)}
        FROM read_parquet({sql_string(str(_existing(profile) / "*.parquet"))})
        LEFT JOIN (
            SELECT customer_key, {pivot}
            FROM read_parquet({sql_string(str(_existing(tags) / "*.parquet"))})
            WHERE tag_id IN ({", ".join(map(sql_string, columns))})
              AND list_contains(consented_purposes, {sql_string(purpose)})
            GROUP BY customer_key
        ) USING (customer_key)"""
    with duckdb.connect() as connection:
        yield from connection.sql(query).to_arrow_reader(batch_rows)


def _existing(partition: Path) -> Path:
    if not partition.is_dir():
        raise FileNotFoundError(f"no mart partition {partition}: build the marts for that as_of")
    return partition


class _Sink:
    """Writes a source's typed batches to its snapshot partition and to its views online."""

    def __init__(self, store: FeatureStore, views: Sequence[FeatureView], target: Path,
                 complete_at: datetime, online_writer: OnlineWriter | None) -> None:
        """``online_writer`` None: the offline snapshot only (a backfill)."""
        self.store, self.views, self.target = store, views, target
        self.online_writer = online_writer
        self.schema = snapshot_schema(views)
        self.stamp = np.datetime64(complete_at.replace(tzinfo=None), "us")

    def drain(self, batches: Iterator[pa.RecordBatch], advance) -> int:
        self.target.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so readers see the old partition or the new, never half.
        partial = self.target / f".{SNAPSHOT_FILE}.partial"
        rows = 0
        with pq.ParquetWriter(partial, self.schema) as writer:
            for batch in batches:
                table = self._typed(batch)
                writer.write_table(table)
                if self.online_writer:
                    self.online_writer(self.store, self.views, table)
                rows += table.num_rows
                advance(table.num_rows)
        os.replace(partial, self.target / SNAPSHOT_FILE)
        return rows

    def _typed(self, batch: pa.RecordBatch) -> pa.Table:
        columns = [batch.column(name).cast(self.schema.field(name).type)
                   for name in self.schema.names[:-1]]
        stamps = pa.array(np.full(batch.num_rows, self.stamp), TIMESTAMP_TYPE)
        return pa.Table.from_arrays([*columns, stamps], schema=self.schema)
