"""The feature build on DuckDB: the same plan and SQL as Spark, over the same Parquet files.

The benchmark's reference engine and the parity tests' second opinion. It reads the lake the
way Spark wrote it: ``<lake_root>/<table>/<partition>=YYYY-MM-DD/*.parquet``. Spark writes
timestamps as INT96 holding the UTC instant (DuckDB shows its UTC wall time) or as UTC-adjusted
TIMESTAMP (DuckDB: TIMESTAMPTZ); both are turned into Asia/Shanghai wall time, the time zone of
the Spark session, so event dates and times of day agree between the engines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from spark.features.plan import FEATURE_TABLE, IDENTITY_INPUTS, InputTable, run_plan
from spark.session import SESSION_TIME_ZONE

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

# A folder of Parquet files, or the rows themselves.
IdentitySource = "Path | str | pa.Table"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class DuckDBEngine:
    dialect = "duckdb"

    def __init__(self, connection: duckdb.DuckDBPyConnection, lake_root: Path,
                 overrides: Mapping[str, IdentitySource]) -> None:
        self.connection = connection
        self.lake_root = lake_root
        self.overrides = overrides

    def _parquet_relation(self, folder: Path, table: InputTable) -> str | None:
        files = _quote(str(folder / "**" / "*.parquet"))
        if not folder.is_dir() or not any(folder.rglob("*.parquet")):
            return None
        return (f"read_parquet({files}, hive_partitioning = true, union_by_name = true, "
                f"hive_types = {{'{table.partition}': DATE}})")

    def _int96_columns(self, folder: Path) -> set[str]:
        files = _quote(str(folder / "**" / "*.parquet"))
        rows = self.execute(
            f"SELECT DISTINCT name FROM parquet_schema({files}) WHERE type = 'INT96'")
        return {name for (name,) in rows}

    def _column_sql(self, relation_types: dict[str, str], int96: set[str]
                    ) -> Callable[[str, str], str]:
        def column_sql(name: str, sql_type: str) -> str:
            if sql_type != "TIMESTAMP":
                return name
            if name in int96:
                # INT96 holds the UTC instant: read it as UTC, show it in Shanghai.
                return (f"timezone('{SESSION_TIME_ZONE}', timezone('UTC', {name})) AS {name}")
            if relation_types.get(name, "").startswith("TIMESTAMP WITH TIME ZONE"):
                return f"timezone('{SESSION_TIME_ZONE}', {name}) AS {name}"
            return name

        return column_sql

    def input_sql(self, table: InputTable) -> str:
        override = self.overrides.get(table.name)
        if override is not None and not isinstance(override, Path | str):
            view = f"arrow_{table.name}"
            self.connection.register(view, override)
            return table.select_sql(view, self._column_sql(self._types(view), set()))
        folder = Path(override) if override is not None else self.lake_root / table.name
        relation = self._parquet_relation(folder, table)
        if relation is None:
            return table.empty_sql()
        return table.select_sql(relation, self._column_sql(self._types(relation),
                                                           self._int96_columns(folder)))

    def _types(self, relation: str) -> dict[str, str]:
        rows = self.execute(f"DESCRIBE SELECT * FROM {relation}")
        return {row[0]: row[1] for row in rows}

    def execute(self, sql: str) -> list[tuple]:
        # Fetched to the end: DuckDB refuses new work while a result is still open.
        return self.connection.execute(sql).fetchall()

    def view(self, name: str, sql: str) -> None:
        self.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")

    def materialize(self, name: str, sql: str) -> None:
        self.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def count(self, name: str) -> int:
        return self.execute(f"SELECT COUNT(*) FROM {name}")[0][0]


def build_features_duckdb(lake_root: Path | str, as_of: dt.date, *,
                          customer_accounts: IdentitySource | None = None,
                          partner_links: IdentitySource | None = None,
                          threads: int | None = None,
                          progress: Callable[[str], None] | None = None) -> pa.Table:
    """The feature table of ``as_of`` computed by DuckDB, as an Arrow table.

    Lake sources are read from ``lake_root/<source>``; the identity tables from
    ``lake_root/customer_accounts`` and ``lake_root/partner_links`` unless given as another
    folder or as Arrow tables (with the ``as_of`` column). Columns and order are those of
    ``lake.customer_features``: customer_key, every feature of ``features.yml``, as_of.
    """
    import duckdb

    names = [table.name for table in IDENTITY_INPUTS]
    overrides = {name: source for name, source in zip(
        names, (customer_accounts, partner_links), strict=True) if source is not None}
    connection = duckdb.connect()
    try:
        engine = DuckDBEngine(connection, Path(lake_root), overrides)
        engine.execute(f"SET TimeZone = '{SESSION_TIME_ZONE}'")
        if threads:
            engine.execute(f"SET threads = {int(threads)}")
        run_plan(engine, as_of, progress)
        return connection.sql(f"SELECT * FROM {FEATURE_TABLE}").to_arrow_table()
    finally:
        connection.close()
