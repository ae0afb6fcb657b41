"""The feature build as an engine-neutral plan: inputs, shared views, one query per group.

Both engines run exactly this plan (``spark.features.job`` on Spark, ``spark.features.duck``
on DuckDB) over the same Parquet files:

1. *Inputs*: one view ``src_<table>`` per lake table the features read, holding only rows
   delivered on or before as_of (``dt <= as_of``, no look-ahead), and the identity tables'
   ``as_of`` partition.
2. *Shared views* (``sql/shared/<name>.sql``, in :data:`SHARED_VIEWS` order): the customers'
   rows of each source, snapshots, the market calendar — the small CTEs several groups read;
   the :data:`KEPT_VIEWS` among them are computed once.
3. *Groups* (``sql/<group>.sql``): one query per feature group of ``features.yml``, one row per
   customer of the population and exactly that group's features as columns.
4. *Final select*: the population joined with every group, each feature cast to its declared
   type, in ``load_features()`` order, plus ``as_of``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from profilehub.catalog import Feature, load_features
from profilehub.catalog.features import FEATURE_GROUPS
from profilehub.contracts import get_contract
from profilehub.dbt_sources import LAKE_SCHEMA, PARTITION_COLUMN
from profilehub.validation import SQL_TYPES as LAKE_SQL_TYPES
from spark.features.render import Dialect, render
from spark.identity.tables import AS_OF, CUSTOMER_ACCOUNTS, PARTNER_LINKS, IdentityTable

SQL_DIR = Path(__file__).with_name("sql")
FEATURE_TABLE = "customer_features"
CUSTOMER_KEY = "customer_key"
# The shared views in dependency order (each reads inputs and earlier views only).
SHARED_VIEWS = (
    "accounts",
    "kyc_rows",
    "population",
    "position_dates",
    "holding_dates",
    "trading_days",
    "quotes",
    "calendar",
    "products",
    "positions_held",
    "positions_now",
    "position_costs",
    "wealth_held",
    "wealth_now",
    "customer_trades",
    "fills",
    "customer_wealth_txns",
    "customer_assessments",
    "asset_totals",
)
# Shared views computed once and kept: the costly ones and those several queries read (the
# snapshot dates scan the whole positions table, the largest). The others stay plain views,
# inlined where used: on Spark every kept view costs a job of its own.
KEPT_VIEWS = frozenset({
    "accounts", "kyc_rows", "population", "position_dates", "calendar", "positions_held",
    "position_costs", "wealth_held", "customer_trades", "fills", "asset_totals",
})


@dataclass(frozen=True)
class InputTable:
    """A lake table the features read, and how much of it one build may see."""

    name: str
    # (column, SQL type) without the partition column.
    columns: tuple[tuple[str, str], ...]
    partition: str
    # Identity tables are read at exactly as_of; lake sources up to and including it.
    exact_partition: bool

    @property
    def view(self) -> str:
        return f"src_{self.name}"

    @property
    def qualified_name(self) -> str:
        return f"{LAKE_SCHEMA}.{self.name}"

    def select_sql(self, relation: str, column_sql: Callable[[str, str], str]) -> str:
        """The rows one build may read from ``relation``; ``column_sql(name, type)`` lets an
        engine normalise a column as it reads it (DuckDB: timestamps to Shanghai wall time)."""
        columns = ", ".join(column_sql(name, sql_type) for name, sql_type in self.columns)
        operator = "=" if self.exact_partition else "<="
        return (f"SELECT {columns}, {self.partition} FROM {relation} "
                f"WHERE {self.partition} {operator} {{as_of}}")

    def empty_sql(self) -> str:
        """No rows, the same columns: a source that has delivered nothing yet."""
        columns = ", ".join(f"CAST(NULL AS {sql_type}) AS {name}"
                            for name, sql_type in (*self.columns, (self.partition, "DATE")))
        return f"SELECT {columns} WHERE 1 = 0"


def _lake_input(source: str) -> InputTable:
    contract = get_contract(source)
    columns = tuple((c.curated_name, LAKE_SQL_TYPES[c.type]) for c in contract.columns)
    return InputTable(source, columns, PARTITION_COLUMN, exact_partition=False)


def _identity_input(table: IdentityTable) -> InputTable:
    return InputTable(table.name, table.columns, AS_OF, exact_partition=True)


@cache
def lake_inputs() -> tuple[InputTable, ...]:
    """The lake sources in the lineage of at least one feature, in first-use order."""
    sources = dict.fromkeys(source for f in load_features() for source in f.sources)
    return tuple(_lake_input(source) for source in sources)


IDENTITY_INPUTS = (_identity_input(CUSTOMER_ACCOUNTS), _identity_input(PARTNER_LINKS))


def template(name: str) -> str:
    """A template file: ``shared/<view>`` or ``<group>``."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def groups() -> tuple[str, ...]:
    """Feature groups that have features, in catalog order."""
    present = {feature.group for feature in load_features()}
    return tuple(group for group in FEATURE_GROUPS if group in present)


def group_view(group: str) -> str:
    return f"features_{group}"


def group_features(group: str) -> tuple[Feature, ...]:
    return tuple(feature for feature in load_features() if feature.group == group)


def final_select_sql() -> str:
    """Population × every group, features cast to their declared types, in spec order."""
    items = [f"p.{CUSTOMER_KEY}"]
    items += [f"CAST({group_view(f.group)}.{f.name} AS {f.sql_type}) AS {f.name}"
              for f in load_features()]
    items.append(f"{{as_of}} AS {AS_OF}")
    joins = [f"LEFT JOIN {group_view(g)} ON {group_view(g)}.{CUSTOMER_KEY} = p.{CUSTOMER_KEY}"
             for g in groups()]
    select_list = ",\n  ".join(items)
    return (f"SELECT\n  {select_list}\nFROM population p\n" + "\n".join(joins)
            + f"\nORDER BY p.{CUSTOMER_KEY}")


def null_counts_sql(relation: str) -> str:
    """Rows of ``relation`` and NULL cells per feature, one row."""
    counts = ", ".join(f"SUM(CASE WHEN {f.name} IS NULL THEN 1 ELSE 0 END) AS {f.name}"
                       for f in load_features())
    return f"SELECT COUNT(*) AS row_count, {counts} FROM {relation}"


def null_share_by_group(row_count: int, null_cells: dict[str, int]) -> dict[str, float]:
    """Share of NULL cells among each group's feature columns."""
    shares = {}
    for group in groups():
        names = [f.name for f in group_features(group)]
        cells = row_count * len(names)
        shares[group] = sum(null_cells[name] or 0 for name in names) / cells if cells else 0.0
    return shares


class MissingIdentityError(RuntimeError):
    """Identity resolution has not been run for the requested as_of."""


class Engine(Protocol):
    """What the plan needs from an engine; every SQL text it receives is already rendered."""

    dialect: Dialect

    def input_sql(self, table: InputTable) -> str:
        """The SELECT that exposes ``table`` to one build (``{as_of}`` still unbound)."""

    def view(self, name: str, sql: str) -> None:
        """Name ``sql`` without computing it."""

    def materialize(self, name: str, sql: str) -> None:
        """Compute ``sql`` now and keep the rows under ``name``."""

    def count(self, name: str) -> int:
        """Rows of the view or table ``name``."""


def _register_inputs(engine: Engine, as_of: dt.date) -> None:
    for table in (*IDENTITY_INPUTS, *lake_inputs()):
        engine.view(table.view, render(engine.input_sql(table), engine.dialect, as_of))


def _build_shared(engine: Engine, as_of: dt.date) -> int:
    """The shared views; returns the population size."""
    for name in SHARED_VIEWS:
        sql = render(template(f"shared/{name}"), engine.dialect, as_of)
        if name not in KEPT_VIEWS:
            engine.view(name, sql)
            continue
        engine.materialize(name, sql)
        if name == "accounts" and not engine.count(name):
            raise MissingIdentityError(
                f"no {CUSTOMER_ACCOUNTS.qualified_name} rows for as_of {as_of}: run "
                f"`profilehub identity --as-of {as_of}` first")
    return engine.count("population")


def _assemble(engine: Engine, as_of: dt.date) -> int:
    engine.materialize(FEATURE_TABLE, render(final_select_sql(), engine.dialect, as_of))
    return engine.count(FEATURE_TABLE)


def run_plan(engine: Engine, as_of: dt.date, progress: Callable[[str], None] | None = None
             ) -> dict[str, float]:
    """Register inputs, then materialise the shared views, each group and the final table
    (named :data:`FEATURE_TABLE`); returns the seconds each stage took. Rows are counted only
    where a count is needed: on Spark each count is one more job."""
    stages: list[tuple[str, Callable[[], int | None]]] = [
        ("inputs", lambda: _register_inputs(engine, as_of)),
        ("shared", lambda: _build_shared(engine, as_of)),
        *((group, lambda group=group: engine.materialize(
            group_view(group), render(template(group), engine.dialect, as_of)))
          for group in groups()),
        ("assemble", lambda: _assemble(engine, as_of)),
    ]
    seconds: dict[str, float] = {}
    for stage, work in stages:
        started = time.perf_counter()
        rows = work()
        seconds[stage] = time.perf_counter() - started
        if progress:
            shown = f"{rows:>9} rows" if rows is not None else " " * 14
            progress(f"features {as_of}: {stage:<14}{shown} {seconds[stage]:7.1f}s")
    return seconds
