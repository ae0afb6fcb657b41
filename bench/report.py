"""Write benchmark results as Markdown tables into BENCHMARKS.md."""

from __future__ import annotations

import datetime as dt
import os
import platform
from dataclasses import dataclass, field
from pathlib import Path

import psutil


@dataclass
class Section:
    title: str
    aim: str
    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        lines = [f"## {self.title}", "", f"Aim: {self.aim}", ""]
        lines.append("| " + " | ".join(self.columns) + " |")
        lines.append("|" + "---|" * len(self.columns))
        lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in self.rows]
        lines += ["", *self.notes] if self.notes else []
        return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def machine_line() -> str:
    memory_gib = psutil.virtual_memory().total / 2**30
    return (f"{platform.node()} · {os.cpu_count()} cores · {memory_gib:.0f} GiB · "
            f"Python {platform.python_version()} · {dt.datetime.now():%Y-%m-%d %H:%M}")


# Runs at the aims' scale (1M customers) take longer than `make bench` should; they are kept
# here, each with a `>` note under its title saying what it shows, and listed in the report.
KEPT_RUNS = Path(__file__).parent / "results"


def kept_runs(folder: Path | None = None) -> str:
    """A list of the kept reports: link, parameters and note of each."""
    entries = []
    for report in sorted((folder or KEPT_RUNS).glob("*.md")):
        lines = report.read_text().splitlines()
        note = next((line.lstrip("> ") for line in lines if line.startswith(">")), None)
        if note is None:
            raise ValueError(f"{report}: a kept run needs a '>' note saying what it shows")
        parameters = next((line.removeprefix("Parameters: ") for line in lines
                           if line.startswith("Parameters: ")), "parameters not recorded")
        entries.append(f"- [{report.name}](bench/results/{report.name}) ({parameters}): "
                       f"{note.removeprefix('Kept beside BENCHMARKS.md: ')}")
    if not entries:
        return ""
    return "\n".join(["## Kept runs at larger scale", "",
                      "Earlier runs of `python -m bench` at the aims' scale, kept in "
                      "`bench/results/`; each is a whole report of its own.", "",
                      *entries]) + "\n"


def write_report(path: Path, parameters: str, sections: list[Section],
                 list_kept: bool = True) -> None:
    """Write the report; ``list_kept`` ends it with the kept runs (BENCHMARKS.md itself, not
    a report written elsewhere to be kept)."""
    header = [
        "# Benchmarks",
        "",
        "Written by `make bench`. Every candidate runs beside its reference in the same run, on",
        "the same files; ratios, not absolute times, are what to compare across machines.",
        "",
        f"Machine: {machine_line()}  ",
        f"Parameters: {parameters}",
        "",
        "",
    ]
    body = "\n".join(s.markdown() for s in sections)
    kept = kept_runs() if list_kept else ""
    path.write_text("\n".join(header) + body + ("\n" + kept if kept else ""))
