"""Suite ``api``: the GraphQL API beside Feast's own ``feast serve`` HTTP server, on the same
Redis-backed store and the same 50 features, under 16 concurrent clients: one customer per
request and batches of 100 (``bench.cases.api``)."""

from __future__ import annotations

from bench.context import BenchContext
from bench.report import Section

# Materialising into Redis costs ~4 GiB at 100k customers (RECIPES.md); serving latency
# depends on the request, not on how many customers the store holds.
MAX_CUSTOMERS = 20_000
SERVERS = (("GraphQL API", "graphql_api"), ("feast serve", "feast_serve"))
SCENARIOS = (("1 customer", "single"), ("100 customers", "batch_100"))


def run(context: BenchContext) -> list[Section]:
    customers = min(context.customers, MAX_CUSTOMERS)
    measured = context.measure("api", "serving", "both", "bench.cases.api",
                               ["--customers", str(customers)])
    results = measured.details["results"]
    rows = [[server, scenario, *(results[key][case][figure] for figure in
                                 ("p50_ms", "p99_ms", "requests_per_s", "customers_per_s",
                                  "failed"))]
            for scenario, case in SCENARIOS for server, key in SERVERS]
    single, batch = results["graphql_api"]["single"], results["graphql_api"]["batch_100"]
    verdicts = [
        f"single p99 {single['p99_ms']:.1f} ms (aim ≤ 10 ms: "
        f"{'met' if single['p99_ms'] <= 10 else 'not met'}), "
        f"{'faster' if single['p99_ms'] < results['feast_serve']['single']['p99_ms'] else 'slower'}"
        f" than feast serve at p99",
        f"batch-100 p99 {batch['p99_ms']:.1f} ms (aim ≤ 50 ms: "
        f"{'met' if batch['p99_ms'] <= 50 else 'not met'})"]
    return [Section(
        title="GraphQL API vs feast serve (Redis online store)",
        aim="single-profile p99 ≤ 10 ms and faster than feast serve; batch-100 p99 ≤ 50 ms, "
            "16 concurrent clients.",
        columns=["server", "request", "p50 ms", "p99 ms", "requests/s", "customers/s",
                 "failed"],
        rows=rows,
        notes=[f"{customers:,} customers in Redis, {measured.details['features']} features "
               f"(data_scientist, research) per customer, {measured.details['clients']} "
               f"concurrent clients (httpx, one process beside the servers), one worker process "
               f"per server. " + "; ".join(verdicts) + ". Peak RSS of the case (client, both "
               f"servers, set-up) {measured.peak_rss_mb:,.0f} MB."])]
