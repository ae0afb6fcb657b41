import duckdb
import pyarrow.parquet as pq
import pytest

from profilehub.segments.errors import SegmentSemanticError
from profilehub.segments.kinds import TagKind
from profilehub.segments.parser import parse
from profilehub.segments.sql import to_sql

from .tables import long_tag_table

KINDS = {"vip": TagKind("boolean"), "tier": TagKind("category", categories=("it's", "plain")),
         "risk": TagKind("score"), "band": TagKind("bucket", buckets=("low", "high"))}
TABLE = long_tag_table([
    ("a", "vip", "true"), ("a", "tier", "it's"), ("b", "tier", "plain"), ("b", "risk", "0.5"),
    ("c", "band", "high"), ("c", "risk", "0.25"),
])


def keys(query: str, connection: duckdb.DuckDBPyConnection) -> list[str]:
    return sorted(row[0] for row in connection.sql(query).fetchall())


@pytest.fixture
def connection():
    with duckdb.connect() as connection:
        connection.register("tag_table", TABLE)
        yield connection


def test_the_query_returns_each_customer_of_the_segment_once(connection):
    query = to_sql(parse("vip OR tier = 'it''s' OR NOT risk < 0.3"), KINDS)
    assert [row[0] for row in connection.sql(query).fetchall()].count("a") == 1
    assert keys(query, connection) == ["a", "b"]


def test_the_table_is_inserted_verbatim_so_a_parquet_file_can_be_queried(tmp_path, connection):
    pq.write_table(TABLE, tmp_path / "tags.parquet")
    query = to_sql(parse("band >= 'high' OR risk BETWEEN 0.4 AND 0.5"), KINDS,
                   table=f"read_parquet('{tmp_path / 'tags.parquet'}')")
    assert keys(query, connection) == ["b", "c"]


def test_the_complement_of_all_customers_is_only_scanned_for_a_lone_not(connection):
    # Scanning every customer is the costly part; AND subtracts its negated operands instead.
    everyone = "(SELECT customer_key FROM tag_table)"
    assert everyone not in to_sql(parse("risk > 0.3 AND NOT vip AND NOT band = 'low'"), KINDS)
    lone = to_sql(parse("NOT vip OR band = 'low'"), KINDS)
    assert everyone in lone
    assert keys(lone, connection) == ["b", "c"]


def test_semantic_errors_are_raised_before_any_sql_is_written():
    with pytest.raises(SegmentSemanticError, match="unknown bucket label 'mid'"):
        to_sql(parse("band > 'mid'"), KINDS)
