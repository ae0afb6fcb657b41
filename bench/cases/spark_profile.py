"""Benchmark case: one Spark stage of an as_of's profile build, as the daily run calls it.

``--stage identity`` runs ``spark.identity.build_identity``, ``--stage features``
``spark.features.build_features`` and ``--stage dbt`` the dbt project's ``build`` with the
as_of var (what the daily DAG's dbt task group runs: every model and its data tests). Each stage is
a process of its own, so its peak RSS is that stage's; the session start-up is timed apart
from the stage. After the timed stage the dbt case counts the as_of's profile and tag rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from bench.context import print_figures, settings_for
from profilehub.catalog import dbt_tags, load_tags
from profilehub.dbt_runner import DAILY_BUILD_EXCLUDE
from profilehub.settings import Settings
from spark.session import spark_session

APP_NAME = "bench-profile"
STAGES = ("identity", "features", "dbt")
# The dbt nodes (models and tests) the report names as the build's costliest.
SLOWEST_NODES = 3


def dbt_build_args(as_of: dt.date) -> list[str]:
    """The daily DAG's dbt build of one as_of: every model and data test (unit tests are for
    CI, ``DAILY_BUILD_EXCLUDE``), ``as_of`` as a var."""
    return ["build", "--exclude", *DAILY_BUILD_EXCLUDE,
            "--vars", f"{{as_of: '{as_of.isoformat()}'}}"]


def _identity(settings: Settings, as_of: dt.date) -> dict:
    from spark.identity import build_identity

    result = build_identity(settings, as_of)
    print(result.summary(), flush=True)
    return {"rows": result.customers, "accounts": result.accounts, "customers": result.customers}


def _features(settings: Settings, as_of: dt.date) -> dict:
    from spark.features import build_features

    result = build_features(settings, as_of)
    print(result.summary(), flush=True)
    return {"rows": result.rows, "feature_seconds": result.seconds}


def _dbt(settings: Settings, as_of: dt.date) -> dict:
    from profilehub.dbt_runner import run_dbt

    result = run_dbt(dbt_build_args(as_of), settings)
    nodes = list(result.result or [])
    failed = [f"{r.node.name}: {r.status} {r.message}" for r in nodes
              if r.status not in ("pass", "success", "warn")]
    if not result.success:
        raise RuntimeError(f"dbt build failed: {result.exception or failed}")
    slowest = sorted(nodes, key=lambda r: r.execution_time, reverse=True)[:SLOWEST_NODES]
    return {"nodes": len(nodes), "warned": sum(1 for r in nodes if r.status == "warn"),
            "node_seconds": sum(r.execution_time for r in nodes),
            "slowest_nodes": [[r.node.name, r.execution_time] for r in slowest]}


def _dbt_counts(settings: Settings, as_of: dt.date) -> dict:
    spark = spark_session(settings, APP_NAME)
    day = f"as_of = date'{as_of.isoformat()}'"
    own = sorted(tag.id for tag in dbt_tags(load_tags()) if not tag.partners)
    listed = ", ".join(f"'{tag_id}'" for tag_id in own)
    tags = spark.table("profilehub.fct_customer_tags").where(day)
    return {"rows": spark.table("profilehub.dim_customer_profile").where(day).count(),
            "tag_rows": tags.count(),
            "own_tag_rows": tags.where(f"tag_id in ({listed})").count()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--stage", required=True, choices=STAGES)
    parser.add_argument("--as-of", required=True, type=dt.date.fromisoformat)
    args = parser.parse_args()
    settings = settings_for(args.root)
    started = time.perf_counter()
    spark = spark_session(settings, APP_NAME)
    startup_seconds = time.perf_counter() - started
    try:
        began = time.perf_counter()
        figures = {"identity": _identity, "features": _features, "dbt": _dbt}[args.stage](
            settings, args.as_of)
        stage_seconds = time.perf_counter() - began
        if args.stage == "dbt":
            figures.update(_dbt_counts(settings, args.as_of))
    finally:
        spark.stop()
    print_figures({**figures, "startup_seconds": startup_seconds,
                   "stage_seconds": stage_seconds})


if __name__ == "__main__":
    main()
