"""Benchmark case: materialise a synthetic as_of into the Feast online store and read it back.

Three steps, each its own subprocess so that its peak RSS is its own (``bench.suites.feast``
runs them and owns the databases, Redis keys and folders they use):

- ``marts``: one ``dim_customer_profile`` partition of N customers, typed as the dbt contract
  declares it, with the tag columns of whole catalog families (their profile views) until
  about 100 features — written under ``<root>/feast/marts/<N>`` in Spark's Hive layout;
- ``materialize``: a store of its own (SQLite + file registry, or Redis + PostgreSQL registry)
  with those families' views applied, and ``materialize_as_of`` with one online writer: ours
  (``write_online``) or Feast's ``write_to_online_store`` (``write_with_feast``);
- ``read``: ``get_online_features`` p50/p99 for 1 and for 100 customers on a materialised
  store, and whether both writers' stores return identical responses for the customers both
  hold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml

from bench.context import latency_ms, print_figures

AS_OF = dt.date(2026, 10, 1)
FEATURES = 100
SEED = 5
CHUNK_ROWS = 100_000
# Share of NULLs in category, bucket and score columns: values a mart leaves unknown.
NULL_SHARE = 0.02
DBT_TO_ARROW = {"boolean": pa.bool_(), "string": pa.string(), "decimal(5, 4)": pa.decimal128(5, 4)}
REDIS_URL = "redis://127.0.0.1:6379/0"
PROJECT_PREFIX = "bfeast"


def customer_key(number: int) -> str:
    return f"CK{number:020x}"


def bench_families() -> list[str]:
    """Whole families of profile tags, in catalog order, until about FEATURES features."""
    from profilehub.feature_store.views import catalog_tags, family_tags

    families: list[str] = []
    total = 0
    for family in dict.fromkeys(tag.family for tag in catalog_tags()):
        if total >= FEATURES:
            break
        count = len(family_tags(family))
        if count:
            families.append(family)
            total += count
    return families


def bench_tags() -> list:
    from profilehub.feature_store.views import family_tags

    return [tag for family in bench_families() for tag in family_tags(family)]


# --- marts ----------------------------------------------------------------------------------


def marts_root(root: Path, customers: int) -> Path:
    """A data root holding only the synthetic mart partition for ``customers``."""
    return root / "feast" / "marts" / str(customers)


def _contract_types() -> dict[str, pa.DataType]:
    from profilehub.catalog.dbt_marts import PROFILE_MODEL, marts_properties_yml

    document = yaml.safe_load(marts_properties_yml())
    columns = next(m["columns"] for m in document["models"] if m["name"] == PROFILE_MODEL)
    return {c["name"]: DBT_TO_ARROW[c["data_type"]] for c in columns
            if c["data_type"] in DBT_TO_ARROW}


def _scores(rng: np.random.Generator, rows: int) -> pa.Array:
    """DECIMAL(5, 4) in [0, 1] from its unscaled integers (Arrow casts no float to it)."""
    unscaled = np.zeros((rows, 2), dtype=np.int64)  # 128-bit little-endian, high word 0
    unscaled[:, 0] = rng.integers(0, 10_001, rows)
    return pa.Array.from_buffers(pa.decimal128(5, 4), rows, [None, pa.py_buffer(unscaled)])


def _column(tag, arrow_type: pa.DataType, rng: np.random.Generator, rows: int) -> pa.Array:
    if tag.type == "boolean":
        return pa.array(rng.random(rows) < rng.uniform(0.05, 0.5))
    if tag.type == "score":
        values = _scores(rng, rows)
    else:
        values = pc.take(pa.array(tag.values, arrow_type),
                         pa.array(rng.integers(0, len(tag.values), rows)))
    unknown = pa.array(rng.random(rows) < NULL_SHARE)
    return pc.if_else(unknown, pa.scalar(None, arrow_type), values)


def mart_folder(root: Path, customers: int) -> Path:
    from profilehub.catalog.dbt_marts import PROFILE_MODEL
    from profilehub.feature_store.marts import mart_partition
    from profilehub.settings import load_settings

    settings = load_settings({"PROFILEHUB_DATA_ROOT": str(marts_root(root, customers))})
    return mart_partition(settings, PROFILE_MODEL, AS_OF)


def write_marts(root: Path, customers: int, prefix_of: int = 0) -> dict:
    """The as_of's profile partition: customer_key and the bench tags, in chunks; or, with
    ``prefix_of``, the first ``customers`` rows of that larger partition (so that stores
    filled from either hold the same values for the same customers)."""
    folder = mart_folder(root, customers)
    folder.mkdir(parents=True, exist_ok=True)
    tags, types = bench_tags(), _contract_types()
    schema = pa.schema([("customer_key", pa.string()), *((tag.id, types[tag.id]) for tag in tags)])
    rng = np.random.default_rng(SEED)
    with pq.ParquetWriter(folder / "part-00000.snappy.parquet", schema) as writer:
        if prefix_of:
            larger = pq.ParquetFile(next(mart_folder(root, prefix_of).glob("*.parquet")))
            written = 0
            for batch in larger.iter_batches(batch_size=CHUNK_ROWS):
                batch = batch.slice(0, customers - written)
                writer.write_batch(batch)
                written += batch.num_rows
                if written == customers:
                    break
        for start in range(0, 0 if prefix_of else customers, CHUNK_ROWS):
            rows = min(CHUNK_ROWS, customers - start)
            keys = pa.array([customer_key(n) for n in range(start + 1, start + rows + 1)])
            columns = [_column(tag, types[tag.id], rng, rows) for tag in tags]
            writer.write_table(pa.Table.from_arrays([keys, *columns], schema=schema))
    return {"rows": customers, "features": len(tags), "families": bench_families()}


# --- stores ---------------------------------------------------------------------------------


def store_root(root: Path, store: str, writer: str) -> Path:
    return root / "feast" / f"{store}-{writer}"


def store_settings(root: Path, store: str, writer: str, database: str, project: str):
    """Settings of one store: its own data root (the marts linked in) and Feast project."""
    from profilehub.settings import load_settings

    environ = {"PROFILEHUB_DATA_ROOT": str(store_root(root, store, writer)),
               "PROFILEHUB_FEAST_PROJECT": project}
    if store == "redis":
        environ.update({"PROFILEHUB_ENV": "prod", "PROFILEHUB_REDIS_URL": REDIS_URL,
                        "PROFILEHUB_POSTGRES_URL":
                            f"postgresql://postgres@127.0.0.1:5432/{database}"})
    return load_settings(environ)


def bench_repository():
    """The entity, the profile snapshot source and one view per bench family."""
    from feast import Entity, ValueType

    from profilehub.feature_store.views import (
        ENTITY_KEY,
        PROFILE_SNAPSHOT,
        family_view,
        snapshot_source,
    )

    customer = Entity(name="customer", join_keys=[ENTITY_KEY], value_type=ValueType.STRING)
    source = snapshot_source(PROFILE_SNAPSHOT, "synthetic dim_customer_profile")
    return [customer, *(family_view(family, customer, source) for family in bench_families())]


def materialize(args) -> dict:
    from profilehub.feature_store import get_store, materialize_as_of
    from profilehub.feature_store.online_write import write_online, write_with_feast

    settings = store_settings(args.root, args.store, args.writer, args.database, args.project)
    link = settings.paths.root / "spark"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to(marts_root(args.root, args.customers) / "spark", target_is_directory=True)
    store = get_store(settings)
    store.apply(bench_repository())
    writer = {"fast": write_online, "feast": write_with_feast}[args.writer]
    report = materialize_as_of(settings, AS_OF, store=store, progress=False,
                               online_writer=writer)
    features = sum(len(view.features) for view in store.list_feature_views())
    return {"rows": args.customers, "features": features, "seconds": report.seconds}


# --- reads ----------------------------------------------------------------------------------


def _latencies(call, requests: int) -> dict:
    for _ in range(5):  # warm-up: registry cache, connections
        call()
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return {**latency_ms(timings), "requests": requests}


def _online(store, refs: list[str], customers: list[str]):
    return store.get_online_features(features=refs,
                                     entity_rows=[{"customer_key": key} for key in customers])


def _comparable(response) -> tuple:
    results = [(list(r.values), list(r.statuses), list(r.event_timestamps))
               for r in response.proto.results]
    return list(response.proto.metadata.feature_names.val), results


def read(args) -> dict:
    from profilehub.feature_store import get_store

    store = get_store(store_settings(args.root, args.store, "fast", args.database, args.project))
    refs = [f"{view.name}:{feature.name}" for view in store.list_feature_views()
            for feature in view.features]
    rng = random.Random(SEED)

    def customers(count: int, within: int) -> list[str]:
        return [customer_key(rng.randint(1, within)) for _ in range(count)]

    figures = {
        "single": _latencies(lambda: _online(store, refs, customers(1, args.customers)),
                             args.requests),
        "batch_100": _latencies(lambda: _online(store, refs, customers(100, args.customers)),
                                args.requests // 3),
    }
    reference = get_store(store_settings(args.root, args.store, "feast", args.database,
                                         args.reference_project))
    sample = customers(100, args.sample)
    figures["identical"] = (_comparable(_online(store, refs, sample))
                            == _comparable(_online(reference, refs, sample)))
    figures.update(rows=args.customers, features=len(refs))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=("marts", "materialize", "read"))
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--customers", type=int, required=True)
    parser.add_argument("--store", choices=("sqlite", "redis"))
    parser.add_argument("--writer", choices=("fast", "feast"))
    parser.add_argument("--database", default="")
    parser.add_argument("--project", default="")
    parser.add_argument("--reference-project", default="")
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--prefix-of", type=int, default=0)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    if args.step == "marts":
        print_figures(write_marts(args.root, args.customers, args.prefix_of))
    elif args.step == "materialize":
        print_figures(materialize(args))
    else:
        print_figures(read(args))


if __name__ == "__main__":
    main()
