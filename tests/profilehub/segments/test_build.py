from datetime import date

import duckdb
import pyarrow.parquet as pq
import pytest

from profilehub.segments.build import build_index
from profilehub.segments.errors import TagTableError
from profilehub.segments.index import SegmentIndex
from profilehub.segments.kinds import TagKind
from profilehub.segments.layout import MANIFEST, Manifest
from profilehub.segments.synthetic import synthetic_tag_kinds, synthetic_tag_table

from .tables import AS_OF, long_tag_table

KINDS = synthetic_tag_kinds(2)
SEGMENTS = ["flag_00 AND NOT propensity_01 >= 0.5", "band_00 >= 'high' OR segment_01 = 'beta'",
            "NOT (flag_01 OR propensity_00 BETWEEN 0.2 AND 0.4)"]
SMALL_KINDS = {"vip": TagKind("boolean"), "risk": TagKind("score"),
               "band": TagKind("bucket", buckets=("low", "high")),
               "tier": TagKind("category", categories=("gold", "silver"))}


@pytest.fixture(scope="module")
def table():
    return synthetic_tag_table(120, KINDS, seed=5, coverage=0.6)


def folder_bytes(folder):
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_parquet_arrow_and_duckdb_sources_in_any_batch_size_build_the_same_index(table, tmp_path):
    pq.write_table(table, tmp_path / "tags.parquet", row_group_size=100)
    with duckdb.connect() as connection:
        sources = {"arrow": table, "parquet": tmp_path / "tags.parquet",
                   "duckdb": connection.read_parquet(str(tmp_path / "tags.parquet"))}
        built = {name: build_index(source, KINDS, tmp_path / name, batch_rows=batch_rows)
                 for (name, source), batch_rows in zip(sources.items(), (1 << 20, 7, 64),
                                                       strict=True)}
    for index in built.values():
        index.close()
    reference = folder_bytes(tmp_path / "arrow")
    assert set(reference) == {"manifest.json", "customers.arrow", "bitmaps.bin",
                              "score_values.npy", "score_ids.npy"}
    assert folder_bytes(tmp_path / "parquet") == reference
    assert folder_bytes(tmp_path / "duckdb") == reference


def test_a_persisted_index_answers_alone_after_a_reopen(table, tmp_path):
    pq.write_table(table, tmp_path / "tags.parquet")
    built = build_index(tmp_path / "tags.parquet", KINDS, tmp_path / "index")
    answers = [(built.count(text), built.members(text, 3, 20)) for text in SEGMENTS]
    built.close()
    (tmp_path / "tags.parquet").unlink()
    with SegmentIndex.open(tmp_path / "index") as reopened:
        assert [(reopened.count(text), reopened.members(text, 3, 20))
                for text in SEGMENTS] == answers
        assert reopened.as_of == AS_OF
        assert reopened.customer_count == len(set(table["customer_key"].to_pylist()))
        assert reopened.kinds == KINDS
    manifest = Manifest.from_json((tmp_path / "index" / MANIFEST).read_text())
    assert {entry.version for entry in manifest.tags.values()} == {1}


def test_rebuilding_replaces_the_folder_and_leaves_nothing_behind(tmp_path):
    first = long_tag_table([("a", "vip", "true")])
    second = long_tag_table([("a", "vip", "false"), ("b", "vip", "true")])
    build_index(first, SMALL_KINDS, tmp_path / "index").close()
    with build_index(second, SMALL_KINDS, tmp_path / "index") as index:
        assert index.members("vip") == ["b"]
    assert [path.name for path in tmp_path.iterdir()] == ["index"]


def test_a_failed_build_keeps_the_previous_index(tmp_path):
    build_index(long_tag_table([("a", "vip", "true")]), SMALL_KINDS, tmp_path / "index").close()
    with pytest.raises(TagTableError):
        build_index(long_tag_table([("a", "vip", "maybe")]), SMALL_KINDS, tmp_path / "index")
    assert [path.name for path in tmp_path.iterdir()] == ["index"]
    with SegmentIndex.open(tmp_path / "index") as index:
        assert index.members("vip") == ["a"]


def test_a_declared_tag_without_rows_is_queryable(tmp_path):
    with build_index(long_tag_table([("a", "vip", "true"), ("b", "vip", "false")]), SMALL_KINDS,
                     tmp_path / "index") as index:
        assert index.count("risk >= 0.5 OR band = 'low' OR tier = 'gold'") == 0
        assert index.members("NOT risk >= 0.5") == ["a", "b"]
    manifest = Manifest.from_json((tmp_path / "index" / MANIFEST).read_text())
    assert manifest.tags["risk"].version is None


@pytest.mark.parametrize(("rows", "message"), [
    ([("a", "vip", "true"), ("b", "vip", "true"), ("a", "vip", "false")],
     "tag 'vip': customer 'a' has more than one row"),
    ([("a", "vip", "true"), ("a", "ghost", "1"), ("a", "spook", "1")],
     r"tag\(s\) missing from the tag metadata: ghost, spook"),
    ([("a", "vip", "true"), ("b", "risk", "0.5", date(2026, 10, 31))],
     "an index covers one as_of"),
    ([("a", "vip", "true", AS_OF, 1), ("b", "vip", "true", AS_OF, 2)],
     r"tag 'vip': several tag_version values in one as_of \(1..2\)"),
    ([("a", "vip", None)], "tag 'vip': 1 row\\(s\\) with a null customer_key, value"),
    ([("a", "risk", "high")], r"tag 'risk': value 'high' of customer 'a' is not a score within"),
    ([("a", "risk", "1.5")], r"tag 'risk': value '1.5' of customer 'a' is not a score within"),
    ([("a", "vip", "yes")], r"tag 'vip': value 'yes' of customer 'a' is not a boolean label"),
    ([("a", "band", "mid")], r"tag 'band': value 'mid' of customer 'a' is not a bucket label"),
    ([("a", "tier", "bronze")], r"value 'bronze' of customer 'a' is not a category label"),
    ([], "the tag table is empty"),
])
def test_a_table_that_breaks_its_contract_is_refused(rows, message, tmp_path):
    with pytest.raises(TagTableError, match=message):
        build_index(long_tag_table(rows), SMALL_KINDS, tmp_path / "index", batch_rows=1)
    assert list(tmp_path.iterdir()) == []


def test_a_table_without_the_contract_columns_is_refused(tmp_path):
    table = long_tag_table([("a", "vip", "true")]).drop_columns(["tag_version"])
    with pytest.raises(TagTableError, match="lacks column"):
        build_index(table, SMALL_KINDS, tmp_path / "index")
