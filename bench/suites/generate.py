"""Suite ``generate``: the landing zone every later suite reads, timed, and recorded beside it
so that a later run with ``--only`` can tell whether it is still the one asked for."""

from __future__ import annotations

import json

from bench.context import BenchContext
from bench.report import Section
from bench.suites import SuiteError

RECORD_FILE = "generation.json"


def generation_record(context: BenchContext) -> dict:
    """The figures of the landing zone under the bench root, if generated with these
    parameters; otherwise a :class:`SuiteError` that says what to run."""
    path = context.root / RECORD_FILE
    record = json.loads(path.read_text()) if path.exists() else None
    if record is None or record["parameters"] != context.parameters():
        raise SuiteError(f"no landing zone for {context.parameters()} under {context.root}: "
                         "run the generate suite first (e.g. --only generate,<suite>)")
    return record


def run(context: BenchContext) -> list[Section]:
    measured = context.measure(
        "generate", "landing", "generator", "bench.cases.generate",
        ["--customers", str(context.customers), "--days", str(context.days),
         "--dirty", str(context.dirty_rate), "--start", context.start.isoformat()])
    record = {"parameters": context.parameters(), **measured.details}
    (context.root / RECORD_FILE).write_text(json.dumps(record, indent=2))
    section = Section(
        title="Generate the landing zone",
        aim="the synthetic landing zone every later suite reads: deterministic (seed 11), "
            f"with defects at rate {context.dirty_rate:g}; wall time includes interpreter start.",
        columns=["customers", "days", "files", "rows", "seconds", "rows/s", "peak MB"],
        rows=[[context.customers, context.days, measured.details["files"], measured.rows,
               measured.seconds, measured.rows_per_second, measured.peak_rss_mb]])
    return [section]
