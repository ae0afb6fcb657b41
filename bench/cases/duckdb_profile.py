"""Benchmark case: one stage of the DuckDB reference profile build over the same lake Parquet.

``--stage features`` runs ``build_features_duckdb`` (the same feature SQL text as the Spark
job) over the bench lake, identity tables included (identity has no DuckDB twin: it reads the
ones the Spark identity stage wrote), and writes ``features.parquet`` to ``--output``.
``--stage tags`` evaluates the catalog's tag SQL (``to_sql_select`` of every dbt tag, the text
the dbt family models embed) over that file and writes the non-NULL values as long rows,
``tags.parquet``, as ``fct_customer_tags`` holds them (without the consent gating of partner
tags, which the reference does not model).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from bench.context import print_figures, settings_for
from profilehub.catalog import dbt_tags, load_tags, to_sql_select

FEATURES_FILE = "features.parquet"
TAGS_FILE = "tags.parquet"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _features(lake: Path, output: Path, as_of: dt.date) -> dict:
    import pyarrow.parquet as pq

    from spark.features import build_features_duckdb

    table = build_features_duckdb(lake, as_of)
    pq.write_table(table, output / FEATURES_FILE)
    return {"rows": table.num_rows}


def tags_sql(features_file: str, tags_file: str) -> str:
    """Every dbt tag of the catalog over a feature file, unpivoted to one row per non-NULL
    value (UNPIVOT drops NULLs), written to ``tags_file``."""
    tags = dbt_tags(load_tags())
    ids = ", ".join(f'"{tag.id}"' for tag in tags)
    return (f"COPY (UNPIVOT (SELECT customer_key, as_of, {to_sql_select(tags)} "
            f"FROM read_parquet({_quote(features_file)})) ON {ids} "
            f"INTO NAME tag_id VALUE value) TO {_quote(tags_file)} (FORMAT parquet)")


def _tags(output: Path) -> dict:
    import duckdb

    own = [tag.id for tag in dbt_tags(load_tags()) if not tag.partners]
    tags_file = str(output / TAGS_FILE)
    with duckdb.connect() as connection:
        connection.execute(tags_sql(str(output / FEATURES_FILE), tags_file))
        listed = ", ".join(_quote(tag_id) for tag_id in own)
        rows, own_rows, customers = connection.execute(
            f"SELECT count(*), count(*) FILTER (WHERE tag_id IN ({listed})), "
            f"count(DISTINCT customer_key) FROM read_parquet({_quote(tags_file)})").fetchone()
    return {"rows": customers, "tag_rows": rows, "own_tag_rows": own_rows}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--stage", required=True, choices=("features", "tags"))
    parser.add_argument("--as-of", required=True, type=dt.date.fromisoformat)
    parser.add_argument("--output", required=True, type=Path)
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    if args.stage == "features":
        figures = _features(settings_for(args.root).paths.lake, args.output, args.as_of)
    else:
        figures = _tags(args.output)
    print_figures({**figures, "stage_seconds": time.perf_counter() - began})


if __name__ == "__main__":
    main()
