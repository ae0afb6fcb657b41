import pytest

from profilehub.segments.benchmark import _check_agreement, benchmark_segment_counts
from profilehub.segments.synthetic import (
    synthetic_segments,
    synthetic_tag_kinds,
    write_synthetic_tag_table,
)


def test_benchmark_reports_both_engines_side_by_side(tmp_path):
    kinds = synthetic_tag_kinds(2)
    rows = write_synthetic_tag_table(tmp_path / "tags.parquet", 300, kinds, seed=9)
    report = benchmark_segment_counts(tmp_path / "tags.parquet", synthetic_segments(
        kinds, 4, seed=1), 2, kinds=kinds, index_folder=tmp_path / "index")
    assert (report["customers"], report["tag_rows"], report["expressions"],
            report["repeats"]) == (300, rows, 4, 2)
    for engine in ("bitmap_index", "duckdb_sql"):
        timings = report[engine]
        assert 0 < timings["p50_ms"] <= timings["p99_ms"] <= timings["max_ms"]
        assert 0 <= timings["cpu_p50_ms"] <= timings["cpu_p99_ms"]
    assert report["index_bytes"] > 0
    assert (tmp_path / "index" / "manifest.json").exists()


def test_a_disagreement_between_the_engines_fails_the_benchmark():
    with pytest.raises(RuntimeError, match="index counts 1, SQL 2"):
        _check_agreement(["a"], lambda text: 1, ["q"], lambda query: 2)
