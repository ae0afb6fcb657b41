from profilehub.segments.semantics import parse_segment
from profilehub.segments.synthetic import (
    synthetic_segments,
    synthetic_tag_kinds,
    synthetic_tag_table,
    write_synthetic_tag_table,
)

KINDS = synthetic_tag_kinds(2)


def test_kinds_cover_every_type():
    assert sorted(kind.type for kind in KINDS.values()) == sorted(
        ["boolean", "category", "score", "bucket"] * 2)


def test_tables_are_deterministic_and_customers_miss_some_tags(tmp_path):
    table = synthetic_tag_table(50, KINDS, seed=1, coverage=0.5)
    assert table.equals(synthetic_tag_table(50, KINDS, seed=1, coverage=0.5))
    assert not table.equals(synthetic_tag_table(50, KINDS, seed=2, coverage=0.5))
    pairs = set(zip(table["customer_key"].to_pylist(), table["tag_id"].to_pylist(), strict=True))
    assert len(pairs) == table.num_rows  # one row per customer and tag
    assert 0.3 < table.num_rows / (50 * len(KINDS)) < 0.7
    assert write_synthetic_tag_table(tmp_path / "t.parquet", 50, KINDS, seed=1,
                                     coverage=0.5) == table.num_rows


def test_score_values_are_short_decimals_so_ties_occur():
    table = synthetic_tag_table(200, KINDS, seed=3)
    scores = [value for tag, value in zip(table["tag_id"].to_pylist(),
                                          table["value"].to_pylist(), strict=True)
              if KINDS[tag].type == "score"]
    assert all(len(value.split(".")[-1]) <= 3 and 0 <= float(value) <= 1 for value in scores)
    assert len(set(scores)) < len(scores)


def test_segments_are_valid_three_tag_expressions():
    segments = synthetic_segments(KINDS, 10, seed=4)
    assert len(segments) == 10
    for text in segments:
        parse_segment(text, KINDS)
