"""Suite ``api``: the GraphQL API beside Feast's own ``feast serve`` HTTP server, on the same
Redis-backed store and the same 50 features, under 16 concurrent clients: one customer per
request and batches of 100 (``bench.cases.api``). Strawberry alone, answering the same queries
from memory (``bench.cases.strawberry_alone``), runs under the same clients as the floor the
framework sets on this machine."""

from __future__ import annotations

import os

from bench.context import BenchContext
from bench.report import Section

# Materialising into Redis costs ~4 GiB at 100k customers (RECIPES.md); serving latency
# depends on the request, not on how many customers the store holds.
MAX_CUSTOMERS = 20_000
SERVERS = (("GraphQL API", "graphql_api"), ("feast serve", "feast_serve"),
           ("Strawberry alone", "strawberry_alone"))
SCENARIOS = (("1 customer", "single"), ("100 customers", "batch_100"))
AIMS_MS = {"single": 10.0, "batch_100": 50.0}


def cpu_floor_ms(figures: dict, clients: int, cores: int, workers: int = 1) -> float:
    """The least mean latency ``clients`` requests always in flight can have, given the CPU
    one request costs (Little's law: latency = clients / throughput). Each server worker runs
    on one core at most; the server, the client and Redis share the machine's cores."""
    server = figures["server_cpu_ms"]
    machine = server + figures["client_cpu_ms"] + figures["redis_cpu_ms"]
    return clients * max(server / min(workers, cores), machine / cores)


def cpu_note(results: dict, clients: int, cores: int, workers: int = 1) -> str:
    parts = []
    for scenario, case in SCENARIOS:
        for server, key in SERVERS:
            figures = results[key][case]
            parts.append(
                f"{server}, {scenario}: server {figures['server_cpu_ms']:.2f} ms, client "
                f"{figures['client_cpu_ms']:.2f} ms, Redis {figures['redis_cpu_ms']:.2f} ms "
                f"(at most {1000 / figures['server_cpu_ms']:,.0f} requests/s per server "
                f"core; mean latency at least "
                f"{cpu_floor_ms(figures, clients, cores, workers):.1f} ms with {clients} in "
                f"flight)")
    api = results["graphql_api"]
    cores_used = min(workers, cores)
    needed = "; ".join(
        f"{scenario} p99 ≤ {AIMS_MS[case]:.0f} ms needs at most "
        f"{AIMS_MS[case] * cores_used / clients:.2f} ms of server CPU per request, measured "
        f"{api[case]['server_cpu_ms']:.2f} ms (Strawberry alone "
        f"{results['strawberry_alone'][case]['server_cpu_ms']:.2f} ms)"
        for scenario, case in SCENARIOS)
    others = max(results[key][case]["others_busy_cores"] for _, key in SERVERS
                 for _, case in SCENARIOS)
    return (f"CPU per answered request with {workers} worker(s) (ms): " + "; ".join(parts)
            + f". With {clients} clients always in flight a request waits for the "
            f"{clients - 1} others, shared by {cores_used} server core(s), so {needed}. "
            f"Other processes (not the servers, client or Redis) kept up to {others:.1f} of "
            f"the machine's {cores} cores busy during the run.")


def redis_note(layout: dict | None) -> str:
    """Why Redis costs what it does: its hash encoding of one customer."""
    if not layout:
        return ""
    return (f" Redis holds each customer as one hash of {layout['fields']} fields, encoded as a "
            f"{layout['encoding']} (hash-max-listpack-entries {layout['listpack_entries']} on "
            f"this server; Redis's default is 128)" + (
                ": HMGET scans a listpack field by field, so 50 features cost Redis more CPU "
                "than a hashtable's lookups would." if layout["encoding"] == "listpack"
                else "."))


def run(context: BenchContext) -> list[Section]:
    customers = min(context.customers, MAX_CUSTOMERS)
    counts = sorted({1, os.cpu_count() or 1})
    measured = context.measure("api", "serving", "both", "bench.cases.api",
                               ["--customers", str(customers),
                                "--workers", ",".join(map(str, counts))])
    return [api_section(measured.details, customers, measured.peak_rss_mb)]


def floor_verdict(results: dict) -> str:
    """What Strawberry alone reaches under the same clients: no API on this stack and machine
    can answer faster, whatever work of its own it drops."""
    alone = results["strawberry_alone"]
    verdicts = [f"{scenario} p99 {alone[case]['p99_ms']:.1f} ms (aim ≤ {AIMS_MS[case]:.0f} ms: "
                f"{'within' if alone[case]['p99_ms'] <= AIMS_MS[case] else 'beyond'})"
                for scenario, case in SCENARIOS]
    return ("Strawberry alone, answering the same queries from memory with no keys, limits, "
            "consent, audit or Redis, under the same clients: " + ", ".join(verdicts))


def api_section(details: dict, customers: int, peak_rss_mb: float) -> Section:
    """The table of every worker count; the verdicts and CPU arithmetic of the largest, the
    way prod runs it (one worker per core)."""
    runs = details["runs"]
    rows = [[run["workers"], server, scenario,
             *(run["results"][key][case][figure] for figure in
               ("p50_ms", "p99_ms", "requests_per_s", "customers_per_s", "failed"))]
            for run in runs for scenario, case in SCENARIOS for server, key in SERVERS]
    prod = runs[-1]
    results, workers = prod["results"], prod["workers"]
    single, batch = results["graphql_api"]["single"], results["graphql_api"]["batch_100"]
    feast_single = results["feast_serve"]["single"]
    verdicts = [
        f"With {workers} worker(s) per server: single p99 {single['p99_ms']:.1f} ms (aim ≤ 10 "
        f"ms: {'met' if single['p99_ms'] <= 10 else 'not met'}), "
        f"{'faster' if single['p99_ms'] < feast_single['p99_ms'] else 'slower'} than feast "
        f"serve at p99",
        f"batch-100 p99 {batch['p99_ms']:.1f} ms (aim ≤ 50 ms: "
        f"{'met' if batch['p99_ms'] <= 50 else 'not met'})", floor_verdict(results)]
    return Section(
        title="GraphQL API vs feast serve (Redis online store)",
        aim="single-profile p99 ≤ 10 ms and faster than feast serve; batch-100 p99 ≤ 50 ms, "
            "16 concurrent clients.",
        columns=["workers", "server", "request", "p50 ms", "p99 ms", "requests/s",
                 "customers/s", "failed"],
        rows=rows,
        notes=[f"{customers:,} customers in Redis, {details['features']} features "
               f"(data_scientist, research) per customer, {details['clients']} concurrent "
               f"clients (keep-alive HTTP/1.1 over asyncio streams, one process beside the "
               f"servers; the same client for both); each server in as many uvicorn worker "
               f"processes as the workers column says. " + "; ".join(verdicts) + ". Peak RSS "
               f"of the case (client, both servers, set-up) {peak_rss_mb:,.0f} MB.",
               cpu_note(results, details["clients"], details["cores"], workers)
               + redis_note(details.get("redis_hash"))])
