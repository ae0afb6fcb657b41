"""dbt sources generated from the contracts: how the contracts and the dbt project agree.

One ``_<partner>__sources.yml`` per source system (``Contract.partner``) under
``dbt/models/staging/<partner>/``. Each table is the ingest's metastore table ``lake.<source>``
with the curated columns (PII columns are ``<name>_token``), the lineage columns and the ``dt``
partition, and data tests derived from the contract: never-NULL columns (one query per table),
accepted_values, ranges, patterns, references and key uniqueness. The files are committed;
``profilehub contracts --write`` regenerates them and a test fails when they drift.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from profilehub.contracts import CONTRACTS, PARTNERS, Column, Contract, get_contract
from profilehub.dbt_runner import DBT_PROJECT_DIR
from profilehub.docs import REGENERATE_COMMAND

LAKE_SCHEMA = "lake"
STAGING_DIR = DBT_PROJECT_DIR / "models" / "staging"
# Columns the ingest adds to every lake table, after the curated contract columns.
SOURCE_FILE_COLUMN = "_source_file"
SOURCE_LINE_COLUMN = "_source_line"
PARTITION_COLUMN = "dt"
LINEAGE_COLUMNS = {
    SOURCE_FILE_COLUMN: "Landing file the row was read from (lineage).",
    SOURCE_LINE_COLUMN: "Physical line number of the row in that file (lineage).",
    PARTITION_COLUMN: "Delivery date: the landing partition dt=YYYY-MM-DD the row arrived in.",
}

_HEADER = (
    "# Generated from profilehub/contracts.py by `{command}`.\n"
    "# Do not edit by hand: change the contract and regenerate.\n"
)


class _IndentedDumper(yaml.SafeDumper):
    """Indents lists under their key, the way dbt's own docs and hand-written yml do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def sources_path(partner: str) -> Path:
    return STAGING_DIR / partner / f"_{partner}__sources.yml"


def _test(name: str, **arguments: Any) -> dict[str, Any]:
    # dbt >= 1.10 reads generic-test inputs from `arguments`, apart from framework configs.
    return {name: {"arguments": arguments}}


def _not_null_columns_test(source: str, table: str, columns: list[str]) -> dict[str, Any]:
    """Every never-NULL column of a table in one query: a test per column would cost a Spark
    job per column on every build. Named, since the default name lists every column."""
    return {"not_null_columns": {"name": f"source_not_null_columns_{source}_{table}",
                                 "arguments": {"column_names": columns}}}


def _column_tests(contract: Contract, column: Column) -> list[Any]:
    tests: list[Any] = []
    if contract.key == (column.name,) and contract.kind == "event":
        tests.append("unique")
    if column.allowed:
        tests.append(_test("accepted_values", values=list(column.allowed)))
    if column.min is not None or column.max is not None:
        tests.append(_test("accepted_range", min_value=column.min, max_value=column.max))
    # A token no longer looks like the clear value, so patterns apply to clear columns only.
    if column.pattern and not column.pii:
        tests.append(_test("matches_pattern", pattern=column.pattern))
    if column.references:
        source, target = column.references
        partner = get_contract(source).partner
        tests.append(_test("relationships", to=f"source('{partner}', '{source}')", field=target))
    return tests


def _column_description(column: Column) -> str:
    if column.pii:
        return (f"{column.description} Keyed HMAC token of the {column.pii}; the clear value "
                "never leaves landing.")
    return column.description


def _grain(contract: Contract) -> list[str]:
    """Columns that identify one lake row.

    Snapshots are re-delivered every day, so their key repeats across delivery dates and is
    unique only within one ``dt``.
    """
    grain = [contract.column(name).curated_name for name in contract.key]
    if contract.kind == "snapshot" and PARTITION_COLUMN not in grain:
        grain.append(PARTITION_COLUMN)
    return grain


def _loaded_at_field(contract: Contract) -> str:
    event_time = contract.column(contract.event_time)
    # Freshness compares with a timestamp; a date event time counts from its midnight.
    if event_time.type == "date":
        return f"cast({event_time.name} as timestamp)"
    return event_time.name


def _table(contract: Contract) -> dict[str, Any]:
    columns: list[dict[str, Any]] = []
    for column in contract.columns:
        entry: dict[str, Any] = {
            "name": column.curated_name,
            "description": _column_description(column),
            "data_type": column.type,
        }
        tests = _column_tests(contract, column)
        if tests:
            entry["data_tests"] = tests
        columns.append(entry)
    # Lineage columns are written by the ingest itself, not delivered under a contract: its own
    # tests cover them, and a dbt test per column and table would only add build time.
    columns += [{"name": name, "description": description}
                for name, description in LINEAGE_COLUMNS.items()]
    table: dict[str, Any] = {
        "name": contract.name,
        "description": f"{contract.description} Accepted rows of the {contract.kind} source "
                       f"`{contract.name}` ({contract.format}), de-identified by ingest.",
        "config": {"loaded_at_field": _loaded_at_field(contract)},
    }
    grain = _grain(contract)
    never_null = [column.curated_name for column in contract.columns if not column.nullable]
    tests = [_not_null_columns_test(contract.partner, contract.name, never_null)] * bool(never_null)
    if len(grain) > 1:
        tests.insert(0, _test("unique_combination_of_columns", combination_of_columns=grain))
    if tests:
        table["data_tests"] = tests
    table["columns"] = columns
    return table


def _sources_document(partner: str, contracts: list[Contract]) -> dict[str, Any]:
    names = ", ".join(contract.name for contract in contracts)
    return {
        "version": 2,
        "sources": [{
            "name": partner,
            "description": f"Data delivered by {partner} ({names}) as accepted by the "
                           f"ProfileHub ingest into the `{LAKE_SCHEMA}` schema.",
            "schema": LAKE_SCHEMA,
            "loader": "profilehub ingest",
            "tables": [_table(contract) for contract in contracts],
        }],
    }


def render_sources(contracts: tuple[Contract, ...] = CONTRACTS) -> dict[Path, str]:
    """The text of every sources file, keyed by its absolute path in the dbt project."""
    by_partner: dict[str, list[Contract]] = {}
    for contract in contracts:
        by_partner.setdefault(contract.partner, []).append(contract)
    rendered = {}
    for partner, partner_contracts in by_partner.items():
        body = yaml.dump(_sources_document(partner, partner_contracts), Dumper=_IndentedDumper,
                         sort_keys=False, allow_unicode=True, width=100)
        rendered[sources_path(partner)] = _HEADER.format(command=REGENERATE_COMMAND) + body
    return rendered


def committed_sources_files() -> list[Path]:
    """Sources files present in the dbt project, generated or stale."""
    return sorted(STAGING_DIR.glob("*/_*__sources.yml"))


def write_sources() -> list[Path]:
    """Write every generated sources file and remove sources files no contract produces."""
    rendered = render_sources()
    for stale in set(committed_sources_files()) - set(rendered):
        stale.unlink()
    for path, text in rendered.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(rendered)


# ---------------------------------------------------------------- tables built by Spark jobs

# The dbt source name of the tables ProfileHub's own Spark jobs write to the lake.
SPARK_SOURCE = "profilehub_spark"
SPARK_SOURCES_DIR = DBT_PROJECT_DIR / "models" / "sources"
_SPARK_HEADER = (
    "# Generated from profilehub/catalog/features.yml and the Spark table definitions\n"
    "# (spark/features, spark/identity) by `uv run python -m profilehub.catalog render`.\n"
    "# Do not edit by hand.\n"
)


def spark_sources_path() -> Path:
    """Outside staging: the tables exist only once the Spark jobs ran, after ingest, so
    ``dbt build --select staging`` must not test them."""
    return SPARK_SOURCES_DIR / SPARK_SOURCE / f"_{SPARK_SOURCE}__sources.yml"


def _spark_column(name: str, sql_type: str, description: str | None = None) -> dict[str, Any]:
    column: dict[str, Any] = {"name": name}
    if description:
        column["description"] = description
    column["data_type"] = sql_type.lower()
    return column


def _spark_table(name: str, description: str, grain: list[str] | None, not_null: list[str],
                 columns: list[dict[str, Any]]) -> dict[str, Any]:
    tests = [_not_null_columns_test(SPARK_SOURCE, name, not_null)]
    if grain:
        tests.insert(0, _test("unique_combination_of_columns", combination_of_columns=grain))
    return {"name": name, "description": description, "data_tests": tests, "columns": columns}


def render_spark_sources() -> dict[Path, str]:
    """The sources file of the Spark-built lake tables, keyed by its path in the dbt project.

    ``customer_features`` has the columns of ``spark.features.job.table_columns()`` (the key,
    every feature of ``features.yml`` with its declared type, ``as_of``) described from the
    feature spec; the identity tables have the columns of ``spark.identity.tables``.
    """
    # Imported here: the Spark job packages import this module.
    from profilehub.catalog import load_features
    from spark.features.job import table_columns
    from spark.features.plan import CUSTOMER_KEY, FEATURE_TABLE
    from spark.identity.links import STATUSES
    from spark.identity.tables import AS_OF, CUSTOMER_ACCOUNTS, PARTNER_LINKS

    features = {feature.name: feature for feature in load_features()}
    key_descriptions = {
        CUSTOMER_KEY: "Pseudonymous customer key from identity resolution.",
        AS_OF: "Build date: the features as known at the end of this day (partition).",
    }
    feature_columns = [
        _spark_column(name, sql_type, features[name].description if name in features
                      else key_descriptions[name])
        for name, sql_type in table_columns()
    ]
    not_null_features = [name for name, _ in table_columns()
                         if name not in features or not features[name].nullable]
    accounts = [*CUSTOMER_ACCOUNTS.columns, (AS_OF, "DATE")]
    links = [*PARTNER_LINKS.columns, (AS_OF, "DATE")]
    link_columns = [_spark_column(name, sql_type) for name, sql_type in links]
    for column in link_columns:
        if column["name"] == "status":
            column["data_tests"] = [_test("accepted_values", values=list(STATUSES))]
        if column["name"] == "partner":
            column["data_tests"] = [_test("accepted_values", values=list(PARTNERS))]
    document = {
        "version": 2,
        "sources": [{
            "name": SPARK_SOURCE,
            "description": f"Tables ProfileHub's Spark jobs build in the `{LAKE_SCHEMA}` schema, "
                           f"one partition per build date `{AS_OF}`.",
            "schema": LAKE_SCHEMA,
            "loader": "profilehub spark jobs",
            "tables": [
                _spark_table(
                    FEATURE_TABLE,
                    "Customer features (spark/features): one row per customer and build date, "
                    "one column per feature of profilehub/catalog/features.yml.",
                    [CUSTOMER_KEY, AS_OF], not_null_features, feature_columns),
                _spark_table(
                    CUSTOMER_ACCOUNTS.name,
                    "Identity resolution (spark/identity): the customer key of every brokerage "
                    "account, per build date.",
                    ["account_id", AS_OF], ["customer_key", "account_id", AS_OF],
                    [_spark_column(name, sql_type) for name, sql_type in accounts]),
                _spark_table(
                    PARTNER_LINKS.name,
                    "Identity resolution (spark/identity): which customer each partner user's "
                    "activity belongs to, with the evidence and link status, per build date.",
                    # The grain of a link row is identity's to define: only its domains here.
                    None, ["partner", "source", "status", AS_OF], link_columns),
            ],
        }],
    }
    body = yaml.dump(document, Dumper=_IndentedDumper, sort_keys=False, allow_unicode=True,
                     width=100)
    return {spark_sources_path(): _SPARK_HEADER + body}
