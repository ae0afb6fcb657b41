"""Benchmark case: the GraphQL API beside ``feast serve``, on one Redis-backed store.

Synthetic marts for ``--customers`` customers (every catalog tag valued at random) are
published the way the pipeline does it — registry applied in a PostgreSQL database of their
own, materialised into Redis under a project of their own, segment index built, pointer
written — then both servers run as subprocesses (``--workers``: one run per worker count,
both servers alike) and 16 concurrent clients ask each for the same 50 features: one customer
per request, then 100. A third server, Strawberry alone answering the same queries from memory
(``bench.cases.strawberry_alone``), gets the same requests: the framework's own floor.
Everything the case created (database, Redis keys, processes) is removed at the end.

The clients share the machine with the servers and Redis, so every run also records the CPU
each of them spent per answered request (server process tree, this client process, the Redis
server) and how busy the machine was: latency under 16 concurrent clients is bounded by that
CPU, and the report says so. Both servers get the same client: HTTP/1.1 keep-alive over asyncio
streams, one connection per client (``RawClient``, ~0.2 ms of CPU per request). httpx spent
more CPU per request than the API server itself (measured: 1.6 ms per single-customer request
against the server's 1.5 ms, 3.1 ms per 100-customer request), CPU taken from the servers on
2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
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
import psutil
import pyarrow as pa
import pyarrow.parquet as pq
import redis
import yaml

from bench.context import latency_ms, print_figures
from profilehub.scratch import scratch_database
from profilehub.settings import REPO_ROOT

AS_OF = dt.date(2026, 10, 1)
API_PORT, FEAST_PORT, STRAWBERRY_PORT = 18_080, 18_566, 18_081
CLIENTS = 16
START_ATTEMPTS = 3
SETTLE_SECONDS = 5.0
FEATURES = 50
BATCH = 100
REDIS_URL = "redis://127.0.0.1:6379/0"
ARROW_OF_DBT = {"string": pa.string(), "boolean": pa.bool_(), "int": pa.int32(),
                "date": pa.date32(), "decimal(5, 4)": pa.decimal128(5, 4),
                "array<string>": pa.list_(pa.string())}


def customer_keys(customers: int) -> list[str]:
    return [f"CK{number:020x}" for number in range(1, customers + 1)]


def tag_value(tag, rng: random.Random) -> object:
    if tag.type == "boolean":
        return rng.random() < 0.3
    if tag.type == "score":
        return Decimal(f"{rng.random():.4f}")
    return rng.choice(tag.values)


def value_text(value: object) -> str:
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
        values = {tag.id: tag_value(tag, rng) for tag in tags}
        profiles.append({"customer_key": key, "account_count": 1,
                         "customer_since": dt.date(2024, 1, 1), **values})
        tag_rows += [{"customer_key": key, "tag_id": tag.id, "family": tag.family,
                      "value": value_text(values[tag.id]), "tag_version": tag.version,
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
    project = f"bapi{uuid.uuid4().hex[:10]}"
    with scratch_database("bench_api") as database:
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


def redis_layout(project: str) -> dict[str, object]:
    """How Redis holds one customer of the run: Feast writes one hash per customer with every
    view's fields; a hash of up to ``hash-max-listpack-entries`` fields is a listpack, which
    HMGET scans field by field, above it a hashtable."""
    client = redis.Redis.from_url(REDIS_URL)
    key = next(key for key in client.scan_iter(match=f"*{project}*", count=1000)
               if client.type(key) == b"hash")
    limit = client.config_get("hash-max-listpack-entries").get("hash-max-listpack-entries")
    return {"fields": client.hlen(key), "encoding": client.object("encoding", key).decode(),
            "listpack_entries": int(limit) if limit is not None else None}


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
    process = _start_server(command, environ, health_url, log)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _start_server(command: list[str], environ: dict[str, str], health_url: str, log: Path
                  ) -> subprocess.Popen:
    """A server whose workers all booted. feast serve's gunicorn workers sometimes fail to
    boot when there are several: they share the SQL registry's connection pool across fork
    (feast-dev/feast#5784; seen here as psycopg "consuming input failed"), and the master then
    exits after its first worker already answered. Start it again, up to START_ATTEMPTS
    times. (uvicorn's workers are fresh interpreters that open their own connections.)"""
    for attempt in range(1, START_ATTEMPTS + 1):
        with log.with_suffix(f".{attempt}.log").open("w") as output:
            process = subprocess.Popen(command, env={**os.environ, **environ}, stdout=output,
                                       stderr=subprocess.STDOUT)
        try:
            _wait_until_up(process, health_url)
            time.sleep(SETTLE_SECONDS)
            _wait_until_up(process, health_url, seconds=SETTLE_SECONDS)
            return process
        except RuntimeError as error:
            print(f"[api bench] {' '.join(command[:4])}: attempt {attempt}: {error}",
                  flush=True)
            process.kill()
            process.wait()
    raise RuntimeError(f"{health_url}: no server after {START_ATTEMPTS} attempts; see {log}.*")


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


class RequestFailed(Exception):
    """A request the server did not answer with 200 (counted as failed, not hidden)."""


class RawClient:
    """One keep-alive HTTP/1.1 connection: POST a JSON body, read a Content-Length answer.

    The least CPU a client can spend per request in Python (~0.1 ms), so that the servers, not
    the load generator, have the machine's 2 cores."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, path: str, body: bytes, headers: bytes = b"") -> bytes:
        try:
            if self._streams is None:
                self._streams = await asyncio.open_connection("127.0.0.1", self.port)
            reader, writer = self._streams
            writer.write(b"POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                         b"\r\nContent-Length: %d\r\n%s\r\n%s"
                         % (path.encode(), len(body), headers, body))
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = None
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if length is None:
                raise RequestFailed("answer without Content-Length")
            answer = await reader.readexactly(length)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            await self.close()
            raise RequestFailed("connection lost") from None
        if status != 200:
            raise RequestFailed(f"HTTP {status}: {answer[:200]!r}")
        return answer

    async def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


def api_request(key: str, tag_ids: list[str], keys: list[str], batch: int):
    headers = f"Authorization: Bearer {key}\r\n".encode()

    async def send(client: RawClient, number: int) -> None:
        chosen = _customers(keys, number, batch)
        query, variables = ((SINGLE_QUERY, {"key": chosen[0]}) if batch == 1
                            else (BATCH_QUERY, {"keys": chosen}))
        body = json.dumps({"query": query, "variables": {**variables, "tags": tag_ids}})
        answer = await client.post("/graphql", body.encode(), headers)
        # Inside JSON strings a quote is escaped: the bytes "errors" are the errors key (or a
        # value equal to it, which fails loudly rather than hiding an error).
        if b'"errors"' in answer:
            raise RuntimeError(f"API error: {answer[:300]!r}")

    return send


def feast_request(refs: list[str], keys: list[str], batch: int):
    async def send(client: RawClient, number: int) -> None:
        body = json.dumps({"features": refs,
                           "entities": {"customer_key": _customers(keys, number, batch)}})
        await client.post("/get-online-features", body.encode())

    return send


def _customers(keys: list[str], number: int, batch: int) -> list[str]:
    start = (number * batch * 7919) % len(keys)  # spread requests over the customers
    return [keys[(start + offset) % len(keys)] for offset in range(batch)]


async def _drive(send, port: int, requests: int, clients: int
                 ) -> tuple[list[float], int, float]:
    """Latencies of the answered requests, the failed count (a server that drops requests
    under load is reported, not hidden) and the wall time."""
    latencies: list[float] = []
    failed = 0
    numbers = iter(range(requests))

    async def worker() -> None:
        nonlocal failed
        client = RawClient(port)
        try:
            for number in numbers:
                started = time.perf_counter()
                try:
                    await asyncio.wait_for(send(client, number), timeout=120)
                except (RequestFailed, TimeoutError):
                    await client.close()
                    failed += 1
                    continue
                latencies.append(time.perf_counter() - started)
        finally:
            await client.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, failed, time.perf_counter() - began


class CpuMeter:
    """CPU seconds spent meanwhile by the server's process tree, this (client) process and
    the Redis server, and by the whole machine (other jobs included)."""

    def __init__(self, server_pid: int) -> None:
        self.server = psutil.Process(server_pid)
        self.redis = redis.Redis.from_url(REDIS_URL)

    def _server_seconds(self) -> float:
        total = 0.0
        for process in [self.server, *self.server.children(recursive=True)]:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total

    def _redis_seconds(self) -> float:
        info = self.redis.info("cpu")
        return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])

    def read(self) -> dict[str, float]:
        machine = psutil.cpu_times()
        busy = sum(getattr(machine, name, 0.0) for name in
                   ("user", "nice", "system", "irq", "softirq", "steal"))
        return {"server": self._server_seconds(), "client": time.process_time(),
                "redis": self._redis_seconds(), "machine": busy}


def measure(send, port: int, server_pid: int, requests: int, batch: int) -> dict[str, float]:
    asyncio.run(_drive(send, port, max(CLIENTS * 2, requests // 20), CLIENTS))  # warm up
    meter = CpuMeter(server_pid)
    before = meter.read()
    latencies, failed, seconds = asyncio.run(_drive(send, port, requests, CLIENTS))
    spent = {name: value - before[name] for name, value in meter.read().items()}
    answered = max(1, len(latencies))
    return {**latency_ms(latencies),
            "requests_per_s": len(latencies) / seconds,
            "customers_per_s": len(latencies) * batch / seconds, "requests": requests,
            "failed": failed,
            **{f"{name}_cpu_ms": 1000 * spent[name] / answered
               for name in ("server", "client", "redis")},
            # Busy cores of the machine during the run (of psutil.cpu_count()).
            "machine_busy_cores": spent["machine"] / seconds,
            "others_busy_cores": max(0.0, spent["machine"] - spent["server"] - spent["client"]
                                     - spent["redis"]) / seconds}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--customers", type=int, required=True)
    parser.add_argument("--single-requests", type=int, default=1000)
    parser.add_argument("--batch-requests", type=int, default=150)
    parser.add_argument("--workers", default="1",
                        help="comma-separated worker counts per server, one run each")
    args = parser.parse_args()
    root = Path(args.root).resolve() / "api"
    keys, (tag_ids, refs) = customer_keys(args.customers), benchmark_features()
    runs = []
    with published_store(root, args.customers) as environ:
        from api.keys import ensure_demo_keys
        from profilehub.settings import get_settings

        api_key = ensure_demo_keys(get_settings())["data_scientist"]
        layout = redis_layout(environ["PROFILEHUB_FEAST_PROJECT"])
        requests = {"graphql_api": lambda batch: api_request(api_key, tag_ids, keys, batch),
                    "feast_serve": lambda batch: feast_request(refs, keys, batch),
                    "strawberry_alone": lambda batch: api_request("", tag_ids, keys, batch)}
        for workers in (int(count) for count in args.workers.split(",")):
            runs.append({"workers": workers, "results": run_servers(
                root, environ, workers, requests, args.single_requests, args.batch_requests)})
    print_figures({"rows": args.customers, "customers": args.customers, "features": FEATURES,
                   "clients": CLIENTS, "cores": psutil.cpu_count(), "redis_hash": layout,
                   "runs": runs})


def run_servers(root: Path, environ: dict[str, str], workers: int, requests: dict,
                single_requests: int, batch_requests: int) -> dict[str, dict]:
    """The servers in turn, each in ``workers`` processes, under the same clients."""
    environ = {**environ, "PROFILEHUB_API_WORKERS": str(workers)}
    api = [sys.executable, "-m", "profilehub.cli", "api", "serve"]
    feast = [str(Path(sys.executable).with_name("feast")), "-c", str(root / "feast_serve"),
             "serve", "-h", "127.0.0.1", "-p", str(FEAST_PORT), "-w", str(workers),
             "--no-access-log", "--max-requests", "1000000"]
    alone = [sys.executable, "-m", "uvicorn", "bench.cases.strawberry_alone:app", "--app-dir",
             str(REPO_ROOT), "--workers", str(workers), "--host", "127.0.0.1", "--port",
             str(STRAWBERRY_PORT), "--log-level", "warning", "--no-access-log"]
    results = {}
    for name, command, port, health in (
            ("graphql_api", api, API_PORT, f"http://127.0.0.1:{API_PORT}/healthz"),
            ("feast_serve", feast, FEAST_PORT, f"http://127.0.0.1:{FEAST_PORT}/health"),
            ("strawberry_alone", alone, STRAWBERRY_PORT,
             f"http://127.0.0.1:{STRAWBERRY_PORT}/healthz")):
        log = root / f"{name}-{workers}-workers.log"
        with server(command, environ, health, log) as process:
            results[name] = {
                "single": measure(requests[name](1), port, process.pid, single_requests, 1),
                f"batch_{BATCH}": measure(requests[name](BATCH), port, process.pid,
                                          batch_requests, BATCH)}
    return results


if __name__ == "__main__":
    main()
