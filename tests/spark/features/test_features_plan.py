"""The plan both engines run: every template used, every feature in exactly one group query."""

from __future__ import annotations

import duckdb
import pytest
from features_lake import AS_OF

from profilehub.catalog import load_features
from spark.features.duck import DuckDBEngine
from spark.features.plan import (
    FEATURE_TABLE,
    KEPT_VIEWS,
    SHARED_VIEWS,
    SQL_DIR,
    MissingIdentityError,
    final_select_sql,
    group_features,
    group_view,
    groups,
    lake_inputs,
    null_share_by_group,
    run_plan,
)


@pytest.fixture(scope="module")
def planned(handmade_lake):
    """The plan run on DuckDB with its intermediate tables kept for inspection."""
    connection = duckdb.connect()
    engine = DuckDBEngine(connection, handmade_lake.root, {})
    seconds = run_plan(engine, AS_OF)
    yield engine, seconds
    connection.close()


def test_every_template_is_part_of_the_plan():
    assert {path.stem for path in (SQL_DIR / "shared").glob("*.sql")} == set(SHARED_VIEWS)
    assert {path.stem for path in SQL_DIR.glob("*.sql")} == set(groups())
    assert set(KEPT_VIEWS) <= set(SHARED_VIEWS)


def test_inputs_are_the_lineage_of_the_features():
    lineage = {source for feature in load_features() for source in feature.sources}
    assert {table.name for table in lake_inputs()} == lineage


def test_every_feature_belongs_to_one_group_query():
    names = [feature.name for group in groups() for feature in group_features(group)]
    assert sorted(names) == sorted(feature.name for feature in load_features())


@pytest.mark.parametrize("group", groups())
def test_group_query_returns_exactly_its_features(planned, group):
    engine, _ = planned
    columns = [row[0] for row in engine.execute(f"DESCRIBE {group_view(group)}")]
    assert columns[0] == "customer_key"
    assert sorted(columns[1:]) == sorted(feature.name for feature in group_features(group))


@pytest.mark.parametrize("group", groups())
def test_group_query_has_one_row_per_customer(planned, group):
    engine, _ = planned
    rows, customers = engine.execute(
        f"SELECT COUNT(*), COUNT(DISTINCT customer_key) FROM {group_view(group)}")[0]
    assert rows == customers == engine.execute("SELECT COUNT(*) FROM population")[0][0]


def test_final_select_casts_every_feature_to_its_declared_type():
    sql = final_select_sql()
    for feature in load_features():
        assert f"CAST({group_view(feature.group)}.{feature.name} AS {feature.sql_type}) " \
               f"AS {feature.name}," in sql


def test_stages_are_timed(planned):
    _, seconds = planned
    assert list(seconds) == ["inputs", "shared", *groups(), "assemble"]
    assert all(value >= 0 for value in seconds.values())


def test_null_share_is_the_share_of_null_cells_in_each_group():
    counts = {feature.name: 0 for feature in load_features()}
    first_group = groups()[0]
    counts[group_features(first_group)[0].name] = 3
    shares = null_share_by_group(6, counts)
    assert shares[first_group] == pytest.approx(3 / (6 * len(group_features(first_group))))
    assert all(shares[group] == 0 for group in groups()[1:])


def test_the_assembled_table_has_the_population_and_every_feature(planned):
    engine, _ = planned
    columns = [row[0] for row in engine.execute(f"DESCRIBE {FEATURE_TABLE}")]
    assert columns == ["customer_key", *(f.name for f in load_features()), "as_of"]


def test_a_date_identity_resolution_has_not_built_is_refused(handmade_lake):
    connection = duckdb.connect()
    try:
        with pytest.raises(MissingIdentityError, match="profilehub identity --as-of 2037-10-21"):
            run_plan(DuckDBEngine(connection, handmade_lake.root, {}), AS_OF.replace(day=21))
    finally:
        connection.close()
