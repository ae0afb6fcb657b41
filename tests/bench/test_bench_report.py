"""BENCHMARKS.md lists the runs kept at the aims' scale, each with what it shows."""

from __future__ import annotations

import pytest

from bench.report import KEPT_RUNS, Section, kept_runs, write_report

KEPT = """# Benchmarks

> Kept beside BENCHMARKS.md: a 1M run that met its aim.

Parameters: 1,000,000 customers × 3 days; suites: ingest
"""


def test_every_kept_run_says_what_it_shows():
    listed = kept_runs()
    for report in KEPT_RUNS.glob("*.md"):
        assert f"[{report.name}](bench/results/{report.name})" in listed


def test_the_report_ends_with_the_kept_runs(tmp_path, monkeypatch):
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "ingest-1m.md").write_text(KEPT)
    monkeypatch.setattr("bench.report.KEPT_RUNS", tmp_path / "results")
    write_report(tmp_path / "BENCHMARKS.md", "20 customers",
                 [Section(title="Ingest", aim="fast", columns=["a"], rows=[[1]])])
    text = (tmp_path / "BENCHMARKS.md").read_text()
    assert text.index("## Ingest") < text.index("## Kept runs at larger scale")
    assert ("- [ingest-1m.md](bench/results/ingest-1m.md) (1,000,000 customers × 3 days; "
            "suites: ingest): a 1M run that met its aim.") in text
    # A report written elsewhere (to be kept) does not list the others.
    write_report(tmp_path / "kept.md", "20 customers", [], list_kept=False)
    assert "Kept runs" not in (tmp_path / "kept.md").read_text()


def test_a_kept_run_without_a_note_is_an_error(tmp_path):
    (tmp_path / "bare.md").write_text(KEPT.replace("> Kept", "Kept"))
    with pytest.raises(ValueError, match=r"bare\.md: a kept run needs a '>' note"):
        kept_runs(tmp_path)


class _Suite:
    def __init__(self, title: str | None) -> None:
        self.title = title

    def run(self, context) -> list[Section]:
        if self.title is None:
            raise RuntimeError("benchmark case bench.cases.x failed (exit 1)")
        return [Section(title=self.title, aim="fast", columns=["a"], rows=[[1]])]


def test_a_failed_suite_keeps_the_others_results_and_fails_the_command(tmp_path, monkeypatch):
    import bench.__main__ as command

    suites = {"generate": _Suite(None), "ingest": _Suite("Ingest totals")}
    monkeypatch.setattr(command, "load_suite", suites.__getitem__)
    report = tmp_path / "BENCHMARKS.md"
    with pytest.raises(SystemExit, match="failed: generate"):
        command.main(["--customers", "10", "--days", "1", "--only", "generate,ingest",
                      "--root", str(tmp_path / "root"), "--report", str(report)])
    text = report.read_text()
    assert "## Ingest totals" in text and "Kept runs" not in text
    assert "| generate | benchmark case bench.cases.x failed (exit 1) |" in text
