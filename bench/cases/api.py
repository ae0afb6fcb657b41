"""Benchmark case: the GraphQL API beside ``feast serve``, on one Redis-backed store.

Synthetic marts for ``--customers`` customers (every catalog tag valued at random) are
published the way the pipeline does it — registry applied in a PostgreSQL database of their
own, materialised into Redis under a project of their own, segment index built, pointer
written — then both servers run as subprocesses (one worker each) and 16 concurrent clients
ask each for the same 50 features: one customer per request, then 100. Everything the case
created (database, Redis keys, processes) is removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import httpx
import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import redis
import yaml

from bench.context import latency_ms, print_figures

AS_OF = dt.date(2026, 10, 1)
API_PORT, FEAST_PORT = 18_080, 18_566
CLIENTS = 16
FEATURES = 50
BATCH = 100
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"
ARROW_OF_DBT = {"string": pa.string(), "boolean": pa.bool_(), "int": pa.int32(),
                "date": pa.date32(), "decimal(5, 4)": pa.decimal128(5, 4),
                "array<string>": pa.list_(pa.string())}


def customer_keys(customers: int) -> list[str]:
    return [f"CK{number:020x}" for number in range(1, customers + 1)]


def _tag_value(tag, rng: random.Random) -> object:
    if tag.type == "boolean":
        return rng.random() < 0.3
    if tag.type == "score":
        return Decimal(f"{rng.random():.4f}")
    return rng.choice(tag.values)


def _text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def write_marts(settings, customers: int, seed: int = 7) -> None:
    """Both marts of AS_OF, typed as the dbt contract declares them."""
    from profilehub.catalog.dbt_marts import PROFILE_MODEL, TAGS_MODEL, marts_properties_yml
    from profilehub.feature_store.marts import mart_partition
    from profilehub.feature_store.views import served_tags

    document = yaml.safe_load(marts_properties_yml())
    schemas = {m["name"]: pa.schema([(c["name"], ARROW_OF_DBT[c["data_type"]])
                                     for c in m["columns"] if c["name"] != "as_of"])
               for m in document["models"] if m["name"] in (PROFILE_MODEL, TAGS_MODEL)}
    rng, tags = random.Random(seed), served_tags()
    profiles, tag_rows = [], []
    for key in customer_keys(customers):
        values = {tag.id: _tag_value(tag, rng) for tag in tags}
        profiles.append({"customer_key": key, "account_count": 1,
                         "customer_since": dt.date(2024, 1, 1), **values})
        tag_rows += [{"customer_key": key, "tag_id": tag.id, "family": tag.family,
                      "value": _text(values[tag.id]), "tag_version": tag.version,
                      "consented_purposes": list(tag.purposes) if tag.is_partner_derived
                      else None} for tag in tags]
    for model, rows in ((PROFILE_MODEL, profiles), (TAGS_MODEL, tag_rows)):
        folder = mart_partition(settings, model, AS_OF)
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(rows, schema=schemas[model]),
                       folder / "part-00000.parquet")


def bench_environ(root: Path, database: str, project: str) -> dict[str, str]:
    """The prod settings of the run: its own database, Feast project and API key prefix."""
    return {"PROFILEHUB_ENV": "prod", "PROFILEHUB_DATA_ROOT": str(root),
            "PROFILEHUB_POSTGRES_URL": f"postgresql://postgres@127.0.0.1:5432/{database}",
            "PROFILEHUB_REDIS_URL": REDIS_URL, "PROFILEHUB_FEAST_PROJECT": project,
            "PROFILEHUB_API_REDIS_PREFIX": f"{project}:api",
            "PROFILEHUB_API_PSEUDONYM_KEY": uuid.uuid4().hex,
            "PROFILEHUB_API_PORT": str(API_PORT),
            "PROFILEHUB_API_RATE_LIMIT_PER_MINUTE": str(10**9)}


@contextmanager
def published_store(root: Path, customers: int) -> Iterator[dict[str, str]]:
    """Publish synthetic marts to Redis for the run; remove what it wrote afterwards."""
    database, project = f"bench_api_{uuid.uuid4().hex[:10]}", f"bapi{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    environ = bench_environ(root, database, project)
    os.environ.update(environ)  # profilehub.segments finds the index root through settings
    try:
        _publish(customers)
        yield environ
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        stale = [key for key in client.scan_iter(match=f"*{project}*")]
        for start in range(0, len(stale), 10_000):
            client.delete(*stale[start:start + 10_000])
        with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _publish(customers: int) -> None:
    from profilehub.feature_store import (
        apply_repository,
        build_segment_index,
        get_store,
        materialize_as_of,
    )
    from profilehub.files import write_text_atomically
    from profilehub.publish import Publication, pointer_path
    from profilehub.settings import get_settings

    get_settings.cache_clear()
    settings = get_settings()
    write_marts(settings, customers)
    store = get_store(settings)
    apply_repository(store)
    materialize_as_of(settings, AS_OF, store=store, progress=False)
    build_segment_index(settings, AS_OF).close()
    settings.paths.published.mkdir(parents=True, exist_ok=True)
    write_text_atomically(pointer_path(settings), Publication(
        AS_OF, "bench", dt.datetime.now(dt.UTC), True).to_json() + "\n")
    _write_feast_repo(settings)


def _write_feast_repo(settings) -> Path:
    """A folder ``feast serve`` can start from: the run's rendered feature_store.yaml."""
    from profilehub.feature_store.config import render_feature_store_yaml

    folder = settings.paths.root / "feast_serve"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "feature_store.yaml").write_text(yaml.safe_dump(
        render_feature_store_yaml(settings)))
    return folder


@contextmanager
def server(command: list[str], environ: dict[str, str], health_url: str, log: Path
           ) -> Iterator[subprocess.Popen]:
    with log.open("w") as output:
        process = subprocess.Popen(command, env={**os.environ, **environ}, stdout=output,
                                   stderr=subprocess.STDOUT)
    try:
        _wait_until_up(process, health_url)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_up(process: subprocess.Popen, url: str, seconds: float = 900) -> None:
    # Generous: importing Feast alone takes minutes on a loaded 2-core machine.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {seconds:.0f} s")


def benchmark_features() -> tuple[list[str], list[str]]:
    """50 tags a data scientist reads, as tag ids (the API) and as feature refs (Feast)."""
    from api.access import feature_ref, visible_tags
    from api.roles import Role

    tags = [tag for tag in visible_tags(Role.parse("data_scientist"), "research")
            if not tag.is_partner_derived][:FEATURES]
    return [tag.id for tag in tags], [feature_ref(tag, "research") for tag in tags]


SINGLE_QUERY = """query ($key: String!, $tags: [String!]) { customer(key: $key, tags: $tags) {
  id values } }"""
BATCH_QUERY = """query ($keys: [String!]!, $tags: [String!]) { customers(keys: $keys, tags: $tags) {
  id values } }"""


def api_request(key: str, tag_ids: list[str], keys: list[str], batch: int):
    headers = {"Authorization": f"Bearer {key}"}

    async def send(client: httpx.AsyncClient, number: int) -> None:
        chosen = _customers(keys, number, batch)
        query, variables = ((SINGLE_QUERY, {"key": chosen[0]}) if batch == 1
                            else (BATCH_QUERY, {"keys": chosen}))
        response = await client.post(f"http://127.0.0.1:{API_PORT}/graphql", headers=headers,
                                     json={"query": query, "variables": {**variables,
                                                                         "tags": tag_ids}})
        response.raise_for_status()
        if "errors" in response.json():
            raise RuntimeError(f"API error: {response.text[:300]}")

    return send


def feast_request(refs: list[str], keys: list[str], batch: int):
    async def send(client: httpx.AsyncClient, number: int) -> None:
        response = await client.post(
            f"http://127.0.0.1:{FEAST_PORT}/get-online-features",
            json={"features": refs, "entities": {"customer_key": _customers(keys, number, batch)}})
        response.raise_for_status()

    return send


def _customers(keys: list[str], number: int, batch: int) -> list[str]:
    start = (number * batch * 7919) % len(keys)  # spread requests over the customers
    return [keys[(start + offset) % len(keys)] for offset in range(batch)]


async def _drive(send, requests: int, clients: int) -> tuple[list[float], int, float]:
    """Latencies of the answered requests, the failed count (a server that drops requests
    under load is reported, not hidden) and the wall time."""
    latencies: list[float] = []
    failed = 0
    numbers = iter(range(requests))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        async def worker() -> None:
            nonlocal failed
            for number in numbers:
                started = time.perf_counter()
                try:
                    await send(client, number)
                except httpx.HTTPError:
                    failed += 1
                    continue
                latencies.append(time.perf_counter() - started)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return latencies, failed, time.perf_counter() - began


def measure(send, requests: int, batch: int) -> dict[str, float]:
    asyncio.run(_drive(send, max(CLIENTS * 2, requests // 20), CLIENTS))  # warm up
    latencies, failed, seconds = asyncio.run(_drive(send, requests, CLIENTS))
    return {**latency_ms(latencies),
            "requests_per_s": len(latencies) / seconds,
            "customers_per_s": len(latencies) * batch / seconds, "requests": requests,
            "failed": failed}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--customers", type=int, required=True)
    parser.add_argument("--single-requests", type=int, default=1000)
    parser.add_argument("--batch-requests", type=int, default=150)
    args = parser.parse_args()
    root = Path(args.root).resolve() / "api"
    keys, (tag_ids, refs) = customer_keys(args.customers), benchmark_features()
    results: dict[str, dict] = {}
    with published_store(root, args.customers) as environ:
        from api.keys import ensure_demo_keys
        from profilehub.settings import get_settings

        api_key = ensure_demo_keys(get_settings())["data_scientist"]
        api = [sys.executable, "-m", "profilehub.cli", "api", "serve"]
        feast = [str(Path(sys.executable).with_name("feast")), "-c", str(root / "feast_serve"),
                 "serve", "-h", "127.0.0.1", "-p", str(FEAST_PORT), "-w", "1",
                 "--no-access-log", "--max-requests", "1000000"]
        for name, command, health, request in (
                ("graphql_api", api, f"http://127.0.0.1:{API_PORT}/healthz",
                 lambda batch: api_request(api_key, tag_ids, keys, batch)),
                ("feast_serve", feast, f"http://127.0.0.1:{FEAST_PORT}/health",
                 lambda batch: feast_request(refs, keys, batch))):
            with server(command, environ, health, root / f"{name}.log"):
                results[name] = {
                    "single": measure(request(1), args.single_requests, 1),
                    f"batch_{BATCH}": measure(request(BATCH), args.batch_requests, BATCH)}
    print_figures({"rows": args.customers, "customers": args.customers, "features": FEATURES,
                   "clients": CLIENTS, "results": results})


if __name__ == "__main__":
    main()
