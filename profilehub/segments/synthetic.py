"""Synthetic long tag tables for tests and benchmarks.

Every tag type is represented; each customer lacks each tag with probability 1 - coverage;
scores are rounded to 2 or 3 decimals so that ties and values exactly on a threshold occur.
Deterministic for a seed. Generated one chunk of customers at a time, so a benchmark-sized
table is written to Parquet without being held in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from profilehub.segments.kinds import TagKind, TagKinds

SYNTHETIC_AS_OF = date(2026, 10, 30)
CATEGORY_LABELS = ("alpha", "beta", "gamma", "delta", "epsilon")
BUCKET_LABELS = ("very_low", "low", "medium", "high", "very_high")
SCHEMA = pa.schema([("customer_key", pa.string()), ("tag_id", pa.string()),
                    ("value", pa.string()), ("as_of", pa.date32()), ("tag_version", pa.int32())])
CHUNK_CUSTOMERS = 20_000


def synthetic_tag_kinds(per_type: int) -> dict[str, TagKind]:
    """``per_type`` tags of each type: flag_NN, segment_NN, propensity_NN, band_NN."""
    kinds: dict[str, TagKind] = {}
    for number in range(per_type):
        kinds[f"flag_{number:02d}"] = TagKind("boolean")
        kinds[f"segment_{number:02d}"] = TagKind("category", categories=CATEGORY_LABELS)
        kinds[f"propensity_{number:02d}"] = TagKind("score")
        kinds[f"band_{number:02d}"] = TagKind("bucket", buckets=BUCKET_LABELS)
    return kinds


def synthetic_tag_batches(customers: int, kinds: TagKinds, *, seed: int, coverage: float = 0.8,
                          chunk_customers: int = CHUNK_CUSTOMERS) -> Iterator[pa.RecordBatch]:
    """The long tag table, one record batch per chunk of customers."""
    rng = np.random.default_rng(seed)
    # Each tag gets its own value distribution, drawn once so that chunks agree.
    shapes = {tag: rng.dirichlet(np.ones(5)) for tag in kinds}
    for first in range(0, customers, chunk_customers):
        keys = np.array([f"C{number:09d}" for number in
                         range(first, min(first + chunk_customers, customers))])
        columns: dict[str, list[pa.Array]] = {"customer_key": [], "tag_id": [], "value": []}
        for tag, kind in kinds.items():
            holders = keys[rng.random(len(keys)) < coverage]
            columns["customer_key"].append(pa.array(holders))
            columns["tag_id"].append(pa.array(np.full(len(holders), tag)))
            columns["value"].append(_values(kind, shapes[tag], len(holders), rng))
        rows = sum(len(array) for array in columns["customer_key"])
        yield pa.record_batch([
            pa.concat_arrays(columns["customer_key"]), pa.concat_arrays(columns["tag_id"]),
            pa.concat_arrays(columns["value"]),
            pa.array(np.full(rows, SYNTHETIC_AS_OF), type=pa.date32()),
            pa.array(np.ones(rows, dtype=np.int32)),
        ], schema=SCHEMA)


def synthetic_tag_table(customers: int, kinds: TagKinds, *, seed: int,
                        coverage: float = 0.8) -> pa.Table:
    batches = list(synthetic_tag_batches(customers, kinds, seed=seed, coverage=coverage))
    return pa.Table.from_batches(batches, schema=SCHEMA)


def write_synthetic_tag_table(path: Path, customers: int, kinds: TagKinds, *, seed: int,
                              coverage: float = 0.8) -> int:
    """Write the table to Parquet, a row group per chunk of customers; returns the rows."""
    rows = 0
    with pq.ParquetWriter(str(path), SCHEMA) as writer:
        for batch in synthetic_tag_batches(customers, kinds, seed=seed, coverage=coverage):
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


def _values(kind: TagKind, shape: np.ndarray, count: int, rng: np.random.Generator) -> pa.Array:
    if kind.type == "boolean":
        return pa.array(np.where(rng.random(count) < shape[0], "true", "false"))
    if kind.type == "score":
        decimals = 2 if shape[2] < 0.2 else 3
        scores = np.round(rng.beta(1 + 4 * shape[0], 1 + 4 * shape[1], count), decimals)
        return pc.cast(pa.array(scores), pa.string())
    labels = kind.buckets or kind.categories
    return pa.array(np.asarray(labels)[rng.choice(len(labels), count, p=shape)])


_SEGMENT_TEMPLATES = (
    "{segment} = 'alpha' AND ({flag} OR {band} >= 'high') AND NOT {score} >= 0.8",
    "{band} IN ('low', 'medium') AND NOT {score} >= 0.8 AND {flag}",
    "{score} BETWEEN 0.2 AND 0.6 OR ({segment} != 'beta' AND {flag})",
    "NOT ({flag} OR {segment} IN ('gamma', 'delta')) AND {band} < 'high'",
    "{score} > 0.35 AND {band} BETWEEN 'low' AND 'high' AND {segment} = 'epsilon'",
)


def synthetic_segments(kinds: TagKinds, count: int, *, seed: int) -> list[str]:
    """``count`` three-tag segment expressions over synthetic tags, templates in turn."""
    rng = np.random.default_rng(seed)
    by_type = {kind_type: [tag for tag, kind in kinds.items() if kind.type == kind_type]
               for kind_type in ("boolean", "category", "score", "bucket")}
    segments = []
    for number in range(count):
        chosen = {name: str(rng.choice(by_type[kind_type])) for name, kind_type in
                  (("flag", "boolean"), ("segment", "category"), ("score", "score"),
                   ("band", "bucket"))}
        segments.append(_SEGMENT_TEMPLATES[number % len(_SEGMENT_TEMPLATES)].format(**chosen))
    return segments
