import tempfile
from pathlib import Path

import duckdb
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from profilehub.segments.build import build_index
from profilehub.segments.errors import SegmentSemanticError
from profilehub.segments.kinds import TagKind
from profilehub.segments.semantics import parse_segment
from profilehub.segments.sql import to_sql
from profilehub.segments.synthetic import synthetic_tag_kinds, synthetic_tag_table

from .strategies import expressions, score_literals
from .tables import long_tag_table

KINDS = {
    "gen_z": TagKind("boolean"),
    "tier": TagKind("category", categories=("long_tail", "mass", "affluent")),
    "risk": TagKind("score"),
    "band": TagKind("bucket", buckets=("low", "medium", "high")),
    "absent_flag": TagKind("boolean"),
}
ROWS = [
    ("c1", "gen_z", "true"), ("c2", "gen_z", "false"), ("c3", "gen_z", "true"),
    ("c1", "tier", "long_tail"), ("c2", "tier", "mass"), ("c4", "tier", "long_tail"),
    ("c1", "risk", "0.80"), ("c2", "risk", "0.8"), ("c3", "risk", "0.79999"),
    ("c4", "risk", "1"), ("c5", "risk", "0"),
    ("c2", "band", "low"), ("c3", "band", "medium"), ("c4", "band", "high"),
    ("c5", "band", "high"),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    with build_index(long_tag_table(ROWS), KINDS, tmp_path_factory.mktemp("index") / "i") as built:
        yield built


@pytest.fixture(scope="module", params=["bitmap index", "duckdb sql"])
def segment_members(request, index):
    if request.param == "bitmap index":
        yield lambda text: index.members(text, 0, 100)
        return
    connection = duckdb.connect()
    connection.register("tag_table", long_tag_table(ROWS))

    def sql_members(text):
        query = f"{to_sql(parse_segment(text, KINDS), KINDS)} ORDER BY customer_key"
        return [row[0] for row in connection.sql(query).fetchall()]
    yield sql_members
    connection.close()


@pytest.mark.parametrize(("text", "expected"), [
    ("gen_z", "c1 c3"),
    ("gen_z = 'false'", "c2"),
    ("gen_z != 'true'", "c2"),
    ("NOT gen_z", "c2 c4 c5"),
    ("NOT gen_z = 'true'", "c2 c4 c5"),
    ("tier = 'long_tail'", "c1 c4"),
    ("tier != 'mass'", "c1 c4"),
    ("NOT tier = 'mass'", "c1 c3 c4 c5"),
    ("tier IN ('mass', 'affluent')", "c2"),
    ("risk >= 0.8", "c1 c2 c4"),
    ("risk > 0.8", "c4"),
    ("risk < 0.8", "c3 c5"),
    ("risk <= 0.79999", "c3 c5"),
    ("risk = 0.8", "c1 c2"),
    ("risk != 0.8", "c3 c4 c5"),
    ("risk BETWEEN 0 AND 0.79999", "c3 c5"),
    ("risk IN (1, 0)", "c4 c5"),
    ("band >= 'medium'", "c3 c4 c5"),
    ("band < 'medium'", "c2"),
    ("band BETWEEN 'low' AND 'medium'", "c2 c3"),
    ("band != 'high'", "c2 c3"),
    ("NOT band IN ('high')", "c1 c2 c3"),
    ("absent_flag", ""),
    ("NOT absent_flag", "c1 c2 c3 c4 c5"),
    ("gen_z AND NOT risk >= 0.8", "c3"),
    ("gen_z OR band = 'high'", "c1 c3 c4 c5"),
    ("NOT (gen_z OR tier = 'long_tail')", "c2 c5"),
    ("NOT gen_z AND NOT tier = 'mass'", "c4 c5"),
])
def test_segment_semantics_on_a_hand_made_table(segment_members, text, expected):
    # A customer without a row for a tag satisfies no atom on it, but satisfies its negation.
    assert segment_members(text) == expected.split()


def test_counts_pages_and_bitmaps_agree(index):
    text = "NOT gen_z OR tier = 'long_tail'"
    members = index.members(text, 0, 100)
    assert members == ["c1", "c2", "c4", "c5"]
    assert index.count(text) == 4
    assert index.members(text, 1, 2) == ["c2", "c4"]
    assert index.members(text, 4, 10) == []
    assert list(index.evaluate(text)) == [0, 1, 3, 4]  # ids are ranks of the sorted keys
    assert index.count(index.segment(text)) == 4


def test_a_returned_bitmap_is_the_callers_to_change(index):
    index.evaluate("gen_z").add(4)
    assert list(index.evaluate("gen_z")) == [0, 2]


def test_queries_refuse_bad_pages_and_bad_segments(index):
    with pytest.raises(ValueError, match="offset and limit"):
        index.members("gen_z", -1, 10)
    with pytest.raises(SegmentSemanticError, match="unknown tag"):
        index.count("gen_x")


PROPERTY_KINDS = synthetic_tag_kinds(3)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), customers=st.integers(20, 300),
       coverage=st.floats(0.3, 0.95), bin_size=st.sampled_from([1, 3, 8, 1024]),
       cache_size=st.sampled_from([0, 3, 256]), data=st.data())
def test_index_agrees_exactly_with_duckdb_sql(seed, customers, coverage, bin_size, cache_size,
                                              data):
    table = synthetic_tag_table(customers, PROPERTY_KINDS, seed=seed, coverage=coverage)
    assume(table.num_rows > 0)
    observed = [float(value) for tag, value in zip(table["tag_id"].to_pylist(),
                                                   table["value"].to_pylist(), strict=True)
                if PROPERTY_KINDS[tag].type == "score"]
    segments = data.draw(st.lists(expressions(PROPERTY_KINDS, score_literals(observed)),
                                  min_size=1, max_size=10))
    with tempfile.TemporaryDirectory() as scratch, duckdb.connect() as connection, build_index(
            table, PROPERTY_KINDS, Path(scratch) / "index", score_bin_size=bin_size,
            cache_size=cache_size) as index:
        connection.register("tag_table", table)
        for segment in segments:
            query = f"{to_sql(segment, PROPERTY_KINDS)} ORDER BY customer_key"
            expected = [row[0] for row in connection.sql(query).fetchall()]
            assert index.count(segment) == len(expected), str(segment)
            assert index.members(segment, 0, customers) == expected, str(segment)
            assert index.members(segment, 2, 5) == expected[2:7], str(segment)
