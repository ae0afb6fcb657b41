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


def write_report(path: Path, parameters: str, sections: list[Section]) -> None:
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
    path.write_text("\n".join(header) + "\n".join(s.markdown() for s in sections))
