"""generate(): determinism, source selection, argument checks and the report."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from generator_checks import START, run_generator

from profilehub.generator import generate
from profilehub.generator.dirty import DEFECT_KINDS
from profilehub.settings import load_settings


def digests(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file() and "secrets" not in path.parts}


def test_same_seed_gives_identical_files(dirty_run, tmp_path_factory):
    again = run_generator(tmp_path_factory, "dirty-again", customers=300, days=3, seed=11,
                          dirty_rate=0.02)
    first, second = digests(dirty_run.paths.root), digests(again.paths.root)
    assert len(first) > 40
    assert first == second


def test_another_seed_gives_other_files(clean_run, tmp_path_factory):
    other = run_generator(tmp_path_factory, "seed-12", customers=300, days=3, seed=12,
                          dirty_rate=0.0)
    first, second = digests(clean_run.paths.root), digests(other.paths.root)
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert len(differing) >= len(first) - 3  # at most a few coincidences (e.g. empty files)


def test_restricted_sources_are_written_exactly_as_in_a_full_run(clean_run, tmp_path_factory):
    partial = run_generator(tmp_path_factory, "partial", customers=300, days=3, seed=11,
                            dirty_rate=0.0, sources=["trades", "consent_events"])
    landing = digests(partial.paths.landing)
    assert {name.split("/")[0] for name in landing} == {"trades", "consent_events"}
    full = digests(clean_run.paths.landing)
    assert all(full[name] == digest for name, digest in landing.items())


def test_regenerating_replaces_the_previous_delivery(tmp_path):
    paths = load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path)}).paths
    for days in (3, 1):
        generate(paths, customers=60, days=days, seed=1, dirty_rate=0.0, start=START,
                 progress=False)
    assert [p.name for p in (paths.landing / "trades").iterdir()] == ["dt=2026-10-01"]


@pytest.mark.parametrize(("arguments", "message"), [
    ({"customers": 0}, "customers=0"),
    ({"days": 0}, "days=0"),
    ({"dirty_rate": 0.5}, "dirty_rate=0.5"),
    ({"seed": -1}, "seed=-1"),
    ({"sources": ["trades", "tweets"]}, "unknown sources \\['tweets'\\]"),
])
def test_bad_arguments_are_refused_by_name(tmp_path, arguments, message):
    paths = load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path)}).paths
    call = {"customers": 10, "days": 1, "seed": 1, "dirty_rate": 0.0, "start": START,
            "progress": False, **arguments}
    with pytest.raises(ValueError, match=message):
        generate(paths, **call)
    assert not paths.landing.exists()


def test_row_counts_are_the_lines_written(dirty_run):
    report = dirty_run.report
    lines = {source: sum(len(path.read_bytes().split(b"\n")) - 1 - (path.suffix == ".csv")
                         for path in (dirty_run.paths.landing / source).rglob("part-*"))
             for source in report.records}
    assert report.rows_by_source() == lines
    assert report.total_rows() == sum(lines.values()) > sum(report.records.values())


def test_summary_tabulates_rows_and_defects(dirty_run):
    report = dirty_run.report
    text = report.summary()
    for source, records in report.records.items():
        assert source in text and f"{records:,}" in text
    for kind in DEFECT_KINDS:
        assert f"{kind:<22}{report.defects[kind]:>7,}" in text
    assert "not planted" not in text
    planted = dict(report.planted)
    assert set(planted) == {"asset tiers", "Gen Z", "drawdown days", "cohorts"}
    assert all(f"  {label}: {value}" in text for label, value in report.planted)
