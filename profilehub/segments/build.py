"""Build the segment index of one as_of from the long tag table, streaming.

DuckDB scans the source (a Parquet file, an Arrow table or a DuckDB relation), checks it, and
joins every row to its dense customer id (rank of its customer_key). Rows arrive as Arrow
record batches of bounded size, so memory holds the bitmaps being built plus one batch, never
the table. Score rows are spilled to per-tag files and sorted one tag at a time at the end.
Scores are parsed by DuckDB's own cast, the very one the SQL reference uses.
"""

from __future__ import annotations

import os
import shutil
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
from pyroaring import BitMap

from profilehub.segments.bitmaps import mutable_bitmap
from profilehub.segments.errors import TagTableError
from profilehub.segments.index import DEFAULT_CACHE_SIZE, SegmentIndex
from profilehub.segments.kinds import TagKind, TagKinds
from profilehub.segments.layout import (
    BITMAPS,
    CUSTOMER_KEY,
    CUSTOMERS,
    MANIFEST,
    SCORE_IDS,
    SCORE_VALUES,
    BitmapRef,
    Manifest,
    ScoreLayout,
    TagEntry,
)
from profilehub.segments.sql import sql_string

TagTableSource = pa.Table | str | os.PathLike | duckdb.DuckDBPyRelation
SOURCE = "segment_source"
COLUMNS = ("customer_key", "tag_id", "value", "as_of", "tag_version")
DEFAULT_BATCH_ROWS = 1 << 20
# Score bins: enough that a range needs at most two partial bins of ids, few enough to OR fast.
TARGET_SCORE_BINS = 128
MIN_SCORE_BIN = 1024


def build_index(tag_table: TagTableSource, kinds: TagKinds, folder: Path, *,
                batch_rows: int = DEFAULT_BATCH_ROWS, score_bin_size: int | None = None,
                cache_size: int = DEFAULT_CACHE_SIZE) -> SegmentIndex:
    """Build the index of the table's single as_of into ``folder`` (replaced) and open it."""
    folder = Path(folder)
    staging = _fresh_staging(folder)
    connection = duckdb.connect()
    try:
        source = _relation(tag_table, connection)
        as_of, versions = _survey(source, kinds)
        keys = _write_customers(source, staging / CUSTOMERS)
        builders = {tag: _builder(tag, kind, staging / f"spill-{position}", keys)
                    for position, (tag, kind) in enumerate(kinds.items())}
        _stream_rows(source, kinds, builders, batch_rows)
        entries = _finish(builders, versions, staging, score_bin_size)
        _check_universe(builders, len(keys))
        manifest = Manifest(as_of=as_of, customers=len(keys), tags=entries)
        (staging / MANIFEST).write_text(manifest.to_json())
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        connection.close()
    _publish(staging, folder)
    return SegmentIndex.open(folder, cache_size=cache_size)


def _relation(tag_table: TagTableSource, connection: duckdb.DuckDBPyConnection
              ) -> duckdb.DuckDBPyRelation:
    if isinstance(tag_table, duckdb.DuckDBPyRelation):
        relation = tag_table
    elif isinstance(tag_table, pa.Table):
        relation = connection.from_arrow(tag_table)
    else:
        relation = connection.read_parquet(str(tag_table))
    missing = [column for column in COLUMNS if column not in relation.columns]
    if missing:
        raise TagTableError(f"the tag table lacks column(s) {', '.join(missing)}")
    return relation


def _survey(source: duckdb.DuckDBPyRelation, kinds: TagKinds) -> tuple[date, dict[str, int]]:
    """Check the table as a whole: one as_of, known tags, one version per tag, no nulls."""
    rows = source.query(SOURCE, f"""
        SELECT tag_id, min(as_of), max(as_of), min(tag_version), max(tag_version),
               count(*) FILTER (WHERE customer_key IS NULL OR value IS NULL
                                OR as_of IS NULL OR tag_version IS NULL)
        FROM {SOURCE} GROUP BY tag_id""").fetchall()
    if not rows:
        raise TagTableError("the tag table is empty: there is no as_of to index")
    unknown = sorted(str(row[0]) for row in rows if row[0] not in kinds)
    if unknown:
        raise TagTableError(f"tag(s) missing from the tag metadata: {', '.join(unknown)}")
    as_ofs = sorted({row[1] for row in rows} | {row[2] for row in rows})
    if len(as_ofs) != 1:
        raise TagTableError(f"an index covers one as_of, the table holds {as_ofs}")
    for tag, _, _, low_version, high_version, incomplete in rows:
        if incomplete:
            raise TagTableError(f"tag {tag!r}: {incomplete} row(s) with a null customer_key, "
                                f"value, as_of or tag_version")
        if low_version != high_version:
            raise TagTableError(f"tag {tag!r}: several tag_version values in one as_of "
                                f"({low_version}..{high_version})")
    return as_ofs[0], {row[0]: row[3] for row in rows}


def _write_customers(source: duckdb.DuckDBPyRelation, path: Path) -> pa.Array:
    table = source.query(
        SOURCE, f"SELECT DISTINCT customer_key FROM {SOURCE} ORDER BY customer_key",
    ).to_arrow_table()
    keys = table.column(0).combine_chunks().cast(pa.string())
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(
            sink, pa.schema([(CUSTOMER_KEY, pa.string())])) as writer:
        writer.write_table(pa.table({CUSTOMER_KEY: keys}))
    return keys


def _stream_rows(source: duckdb.DuckDBPyRelation, kinds: TagKinds,
                 builders: dict[str, _TagBuilder], batch_rows: int) -> None:
    # The id is the rank of customer_key, the very order _write_customers wrote the keys in.
    tags = ", ".join(sql_string(tag) for tag in kinds)
    score_tags = ", ".join(sql_string(tag) for tag, kind in kinds.items() if kind.type == "score")
    score = (f"CASE WHEN s.tag_id IN ({score_tags}) THEN TRY_CAST(s.value AS DOUBLE) END"
             if score_tags else "CAST(NULL AS DOUBLE)")
    rows = source.query(SOURCE, f"""
        WITH ids AS (
            SELECT customer_key,
                   CAST(row_number() OVER (ORDER BY customer_key) - 1 AS UINTEGER) AS id
            FROM (SELECT DISTINCT customer_key FROM {SOURCE}))
        SELECT ids.id AS id, CAST(s.tag_id AS ENUM({tags})) AS tag, s.value AS value,
               {score} AS score
        FROM {SOURCE} AS s JOIN ids USING (customer_key)""")
    for batch in rows.to_arrow_reader(batch_rows):
        _dispatch(batch, builders)


def _dispatch(batch: pa.RecordBatch, builders: dict[str, _TagBuilder]) -> None:
    """Hand each tag's rows of the batch to its builder."""
    ids = batch.column("id").to_numpy()
    tags = batch.column("tag")
    names = tags.dictionary.to_pylist()
    codes = tags.indices.to_numpy()
    order = np.argsort(codes, kind="stable")
    cuts = np.flatnonzero(np.diff(codes[order])) + 1
    for rows in np.split(order, cuts):
        if len(rows):
            builders[names[codes[rows[0]]]].add(ids[rows], batch, rows)


@dataclass
class _Output:
    bitmaps: _BitmapWriter
    score_values: np.ndarray
    score_ids: np.ndarray
    score_bin_size: int | None
    score_cursor: int = 0


def _finish(builders: dict[str, _TagBuilder], versions: dict[str, int], staging: Path,
            score_bin_size: int | None) -> dict[str, TagEntry]:
    score_rows = sum(builder.rows for builder in builders.values()
                     if isinstance(builder, _ScoreBuilder))
    with _BitmapWriter(staging / BITMAPS) as bitmaps:
        output = _Output(
            bitmaps=bitmaps,
            score_values=np.lib.format.open_memmap(
                staging / SCORE_VALUES, mode="w+", dtype=np.float64, shape=(score_rows,)),
            score_ids=np.lib.format.open_memmap(
                staging / SCORE_IDS, mode="w+", dtype=np.uint32, shape=(score_rows,)),
            score_bin_size=score_bin_size)
        entries = {tag: builder.finish(output, versions.get(tag))
                   for tag, builder in builders.items()}
        output.score_values.flush()
        output.score_ids.flush()
    return entries


def _check_universe(builders: dict[str, _TagBuilder], customers: int) -> None:
    # Every customer of the as_of has at least one row, so the tags together cover all ids.
    covered = BitMap.union(BitMap(), *(builder.presence for builder in builders.values()))
    if covered != BitMap(range(customers)):
        raise RuntimeError(f"customer ids are inconsistent: {len(covered)} of {customers} "
                           f"customers carry a tag")


class _BitmapWriter:
    """Appends serialised bitmaps to one file and says where each one is."""

    def __init__(self, path: Path) -> None:
        self._file = open(path, "wb")  # noqa: SIM115 - closed by __exit__
        self._offset = 0

    def __enter__(self) -> _BitmapWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._file.close()

    def write(self, bitmap: BitMap) -> BitmapRef:
        bitmap.run_optimize()
        data = bitmap.serialize()
        self._file.write(data)
        ref = BitmapRef(self._offset, len(data))
        self._offset += len(data)
        return ref


def _builder(tag: str, kind: TagKind, spill: Path, keys: pa.Array) -> _TagBuilder:
    def describe(customer_id: int) -> str:
        return keys[customer_id].as_py()

    if kind.type == "score":
        return _ScoreBuilder(tag, kind, describe, spill)
    return _LabelBuilder(tag, kind, describe)


class _TagBuilder(ABC):
    def __init__(self, tag: str, kind: TagKind, describe: Callable[[int], str]) -> None:
        self.tag = tag
        self.kind = kind
        self.presence = BitMap()
        self.rows = 0
        self._describe = describe

    @abstractmethod
    def add(self, ids: np.ndarray, batch: pa.RecordBatch, rows: np.ndarray) -> None:
        """Take the tag's rows of one batch: their customer ids and positions in the batch."""

    @abstractmethod
    def finish(self, output: _Output, version: int | None) -> TagEntry:
        """Write the tag's bitmaps (and scores) and say where they are."""

    def _register(self, ids: np.ndarray) -> None:
        """Add the ids to the tag's customers; a customer has at most one row per tag."""
        incoming = mutable_bitmap(ids)
        if len(incoming) < len(ids) or self.presence.intersect(incoming):
            unique, counts = np.unique(ids, return_counts=True)
            repeated = unique[counts > 1]
            twice = int(repeated[0]) if len(repeated) else (self.presence & incoming).min()
            raise TagTableError(f"tag {self.tag!r}: customer {self._describe(twice)!r} "
                                f"has more than one row")
        self.presence |= incoming
        self.rows += len(ids)


class _LabelBuilder(_TagBuilder):
    """Boolean, category and bucket tags: one bitmap per label."""

    def __init__(self, tag: str, kind: TagKind, describe: Callable[[int], str]) -> None:
        super().__init__(tag, kind, describe)
        self._labels: dict[str, BitMap] = {}

    def add(self, ids: np.ndarray, batch: pa.RecordBatch, rows: np.ndarray) -> None:
        self._register(ids)
        encoded = batch.column("value").take(rows).dictionary_encode()
        codes = encoded.indices.to_numpy()
        for code, label in enumerate(encoded.dictionary.to_pylist()):
            selected = ids[codes == code]
            self._check_label(label, int(selected[0]))
            self._labels.setdefault(label, BitMap()).update(mutable_bitmap(selected))

    def _check_label(self, label: str, customer_id: int) -> None:
        labels = self.kind.labels
        if labels is not None and label not in labels:
            raise TagTableError(
                f"tag {self.tag!r}: value {label!r} of customer {self._describe(customer_id)!r} "
                f"is not a {self.kind.type} label ({', '.join(labels)})")

    def finish(self, output: _Output, version: int | None) -> TagEntry:
        labels = {label: output.bitmaps.write(self._labels[label])
                  for label in sorted(self._labels)}
        return TagEntry(kind=self.kind, version=version,
                        presence=output.bitmaps.write(self.presence), labels=labels)


class _ScoreBuilder(_TagBuilder):
    """Score tags: (score, id) pairs spilled to disk, sorted by score at the end."""

    def __init__(self, tag: str, kind: TagKind, describe: Callable[[int], str],
                 spill: Path) -> None:
        super().__init__(tag, kind, describe)
        self._values_path = spill.with_suffix(".values")
        self._ids_path = spill.with_suffix(".ids")
        self._values_path.touch()
        self._ids_path.touch()

    def add(self, ids: np.ndarray, batch: pa.RecordBatch, rows: np.ndarray) -> None:
        self._register(ids)
        scores = batch.column("score").take(rows).to_numpy(zero_copy_only=False)
        invalid = np.flatnonzero(~((scores >= 0.0) & (scores <= 1.0)))  # NaN marks unparsable
        if len(invalid):
            raw = batch.column("value")[int(rows[invalid[0]])].as_py()
            raise TagTableError(
                f"tag {self.tag!r}: value {raw!r} of customer "
                f"{self._describe(int(ids[invalid[0]]))!r} is not a score within [0, 1]")
        with open(self._values_path, "ab") as values, open(self._ids_path, "ab") as spilled:
            values.write(scores.astype(np.float64).tobytes())
            spilled.write(ids.astype(np.uint32).tobytes())

    def finish(self, output: _Output, version: int | None) -> TagEntry:
        values = np.fromfile(self._values_path, dtype=np.float64)
        ids = np.fromfile(self._ids_path, dtype=np.uint32)
        self._values_path.unlink()
        self._ids_path.unlink()
        order = np.lexsort((ids, values))
        start, stop = output.score_cursor, output.score_cursor + len(order)
        output.score_values[start:stop] = values[order]
        output.score_ids[start:stop] = ids = ids[order]
        output.score_cursor = stop
        size = output.score_bin_size or max(MIN_SCORE_BIN, -(-len(ids) // TARGET_SCORE_BINS))
        bins = tuple(output.bitmaps.write(mutable_bitmap(ids[first:first + size]))
                     for first in range(0, len(ids), size))
        return TagEntry(kind=self.kind, version=version,
                        presence=output.bitmaps.write(self.presence),
                        scores=ScoreLayout(start=start, stop=stop, bin_size=size, bins=bins))


def _fresh_staging(folder: Path) -> Path:
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.parent / f".{folder.name}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    return staging


def _publish(staging: Path, folder: Path) -> None:
    """Swap the finished index in; readers never see a half-written folder."""
    if not folder.exists():
        staging.rename(folder)
        return
    retired = folder.parent / f".{folder.name}.retired-{os.getpid()}"
    folder.rename(retired)
    staging.rename(folder)
    shutil.rmtree(retired)
