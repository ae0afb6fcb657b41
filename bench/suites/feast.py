"""Suite ``feast``: materialising a synthetic as_of of N customers × ~100 tags (whole catalog
families) into the Feast online store with our column-wise writer beside Feast's own
``write_to_online_store``, on SQLite and on Redis, then ``get_online_features`` latency for 1
and 100 customers on the store our writer filled (``bench.cases.feast``).

Feast's writer converts value by value and needs many minutes at 1M customers: above
``REFERENCE_CUSTOMERS`` it runs on the first that many customers and its time for N is
projected from its rate, which the table says. So does ours on SQLite above
``SQLITE_CUSTOMERS``: SQLite stores one row per customer and feature, and inserting 100M rows
(~20 GB) takes SQLite itself far longer than the aim, whoever prepares them.
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass

import redis

from bench.context import BenchContext
from bench.harness import Measurement
from bench.report import Section
from profilehub.scratch import scratch_database

MODULE = "bench.cases.feast"
REFERENCE_CUSTOMERS = 50_000
SQLITE_CUSTOMERS = 200_000
AIM_CUSTOMERS, AIM_SECONDS = 1_000_000, 120.0
STORES = (("SQLite", "sqlite"), ("Redis", "redis"))
REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class Run:
    """What one store's three cases share: the registry database and the two projects."""

    store: str
    customers: int
    database: str
    project: str
    reference_project: str

    def args(self, *extra: str) -> list[str]:
        return ["--store", self.store, "--database", self.database, *extra]


def remove_store(context: BenchContext, run: Run) -> None:
    """The run's online data: Redis keys end in the project; SQLite lives in the store root."""
    client = redis.Redis.from_url(REDIS_URL)
    for project in (run.project, run.reference_project):
        keys = list(client.scan_iter(match=f"*{project}", count=10_000))
        for start in range(0, len(keys), 10_000):
            client.delete(*keys[start:start + 10_000])
    for writer in ("fast", "feast"):
        shutil.rmtree(context.root / "feast" / f"{run.store}-{writer}", ignore_errors=True)


def measure_store(context: BenchContext, run: Run, sample: int) -> dict[str, Measurement]:
    customers = str(run.customers)
    measured = {}
    try:
        measured["feast"] = context.measure(
            "feast", f"materialize-{run.store}", "feast", MODULE,
            ["materialize", "--customers", str(sample), "--writer", "feast",
             "--project", run.reference_project, *run.args()])
        cpu = redis_cpu_seconds()
        measured["fast"] = context.measure(
            "feast", f"materialize-{run.store}", "fast", MODULE,
            ["materialize", "--customers", customers, "--writer", "fast",
             "--project", run.project, *run.args()])
        measured["fast"].details["redis_cpu_seconds"] = redis_cpu_seconds() - cpu
        measured["read"] = context.measure(
            "feast", f"read-{run.store}", "fast", MODULE,
            ["read", "--customers", customers, "--sample", str(sample), "--project",
             run.project, "--reference-project", run.reference_project, *run.args()])
    finally:
        remove_store(context, run)
    return measured


def redis_cpu_seconds() -> float:
    """CPU the Redis server has used so far: how much of a write Redis itself costs."""
    cpu = redis.Redis.from_url(REDIS_URL).info("cpu")
    return cpu["used_cpu_user"] + cpu["used_cpu_sys"]


def run(context: BenchContext) -> list[Section]:
    sample = min(context.customers, REFERENCE_CUSTOMERS)
    sizes = {"sqlite": min(context.customers, SQLITE_CUSTOMERS), "redis": context.customers}
    marts = {context.customers: context.measure(
        "feast", "marts", str(context.customers), MODULE,
        ["marts", "--customers", str(context.customers)])}
    for count in sorted({sample, *sizes.values()} - {context.customers}):
        marts[count] = context.measure(
            "feast", "marts", str(count), MODULE,
            ["marts", "--customers", str(count), "--prefix-of", str(context.customers)])
    results = {}
    # The Redis store's SQL registry lives in a database of the run's own.
    with scratch_database("bench_feast") as database:
        for _, store in STORES:
            tag = uuid.uuid4().hex[:8]
            run_ = Run(store, sizes[store], database, f"bfeast{tag}", f"bfeastref{tag}")
            results[store] = measure_store(context, run_, sample)
    for count in marts:
        shutil.rmtree(context.root / "feast" / "marts" / str(count), ignore_errors=True)
    return [materialize_section(context, results, marts[context.customers].details, sample),
            read_section(context, results)]


def _seconds(measured: Measurement) -> float:
    """Materialisation alone (the case's own timing, without interpreter and Feast start)."""
    return measured.details["seconds"]


def materialize_section(context: BenchContext, results: dict, marts: dict,
                        sample: int) -> Section:
    features, rows, verdicts = marts["features"], [], []
    writers = (("fast", "ours (column-wise)"), ("feast", "Feast write_to_online_store"))
    for label, store in STORES:
        rates = {}
        for writer, name in writers:
            measured = results[store][writer]
            rates[writer] = rate = measured.rows / _seconds(measured)
            at_n = context.customers / rate if measured.rows < context.customers else "measured"
            rows.append([label, name, measured.rows, _seconds(measured), rate, rate * features,
                         measured.peak_rss_mb, at_n])
        rows.append([label, "speed-up (ours ÷ Feast)", "", "", rates["fast"] / rates["feast"],
                     "", "", ""])
        at_aim = AIM_CUSTOMERS / rates["fast"]
        fast = results[store]["fast"]
        how = "measured" if fast.rows >= AIM_CUSTOMERS else "projected from its rate"
        same = "identical" if results[store]["read"].details["identical"] else "DIFFERENT"
        verdicts.append(f"{label}: ours {at_aim:,.0f} s for {AIM_CUSTOMERS:,} customers "
                        f"({how}), aim {'met' if at_aim < AIM_SECONDS else 'not met'}; "
                        f"responses {same} to those of Feast's writer")
    redis_cpu = results["redis"]["fast"].details["redis_cpu_seconds"]
    verdicts.append(f"the Redis server itself used {redis_cpu:,.1f} s of CPU for our "
                    f"{results['redis']['fast'].rows:,} customers")
    scaled = ("" if sample == context.customers else
              f" Rows with fewer customers than {context.customers:,} ran on the first that "
              f"many (Feast's writer: {sample:,}; ours on SQLite: at most {SQLITE_CUSTOMERS:,}, "
              f"one row per customer and feature); their last column is projected linearly "
              f"from their customers/s, not measured.")
    return Section(
        title="Feast materialisation: column-wise writer vs write_to_online_store",
        aim=f"materialise {AIM_CUSTOMERS:,} customers × 100 features in under "
            f"{AIM_SECONDS:.0f} s, with get_online_features returning exactly what Feast's "
            f"own writer makes it return.",
        columns=["store", "writer", "customers", "seconds", "customers/s", "values/s",
                 "peak RSS MB", f"seconds at {context.customers:,}"],
        rows=rows,
        notes=[f"{features} features ({', '.join(marts['families'])}: whole catalog families, "
               f"typed as the dim_customer_profile contract, {marts_null_note()}), one as_of "
               f"through materialize_as_of (offline Parquet snapshot included; seconds are "
               f"materialize_as_of's own, peak RSS the whole case process).{scaled} "
               + "; ".join(verdicts) + "."])


def marts_null_note() -> str:
    from bench.cases.feast import NULL_SHARE

    return f"{NULL_SHARE:.0%} NULL in category, bucket and score columns"


def read_section(context: BenchContext, results: dict) -> Section:
    rows = []
    for label, store in STORES:
        read = results[store]["read"].details
        for request, key in (("1 customer", "single"), ("100 customers", "batch_100")):
            rows.append([label, read["rows"], request, read[key]["p50_ms"],
                         read[key]["p99_ms"], read[key]["requests"]])
    features = results[STORES[0][1]]["read"].details["features"]
    return Section(
        title="Feast online reads: get_online_features on SQLite and Redis",
        aim="p50/p99 of the SDK's online read, one request at a time, on the store our writer "
            "filled.",
        columns=["store", "customers in store", "request", "p50 ms", "p99 ms", "requests"],
        rows=rows,
        notes=[f"{features} features in one call, random customers of the store, one process, "
               f"after 5 warm-up calls."])
