"""Writes one source's delivery for one date into the landing zone, exactly as landing.py says.

Clean rows are serialised in bulk, one part file per chunk of at most ``MAX_RECORDS_PER_FILE``
records; injected defect lines are spliced in after their anchor row, and the physical line of
each is recorded for the dirty manifest (a CSV header is line 1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from profilehub.contracts import Contract
from profilehub.generator.dirty import Defect, PartitionPlan
from profilehub.generator.records import header_line, line_starts, serialize
from profilehub.landing import part_file_name, partition_dir


@dataclass(frozen=True)
class ManifestEntry:
    source: str
    delivery_date: dt.date
    file: str  # relative to the landing root
    line: int  # 1-based physical line
    defect_kind: str
    column: str | None
    expected_rule: str | None


@dataclass
class PartitionResult:
    files: int = 0
    lines: int = 0  # data lines written, clean and injected
    manifest: list[ManifestEntry] = field(default_factory=list)


class _PartFile:
    """One open part file that counts its physical lines."""

    def __init__(self, landing_root: Path, contract: Contract, day: dt.date, index: int,
                 header: tuple[str, ...]) -> None:
        self.path = partition_dir(landing_root, contract, day) / part_file_name(contract, index)
        self.relative = self.path.relative_to(landing_root).as_posix()
        self.handle = self.path.open("wb")
        self.line = 0
        self.data_lines = 0
        if contract.format == "csv":
            self.handle.write(header_line(header))
            self.line = 1

    def write(self, data, count: int) -> None:
        self.handle.write(data)
        self.line += count
        self.data_lines += count

    def close(self) -> None:
        self.handle.close()


def write_partition(landing_root: Path, contract: Contract, day: dt.date, table: pa.Table,
                    plan: PartitionPlan) -> PartitionResult:
    """Write ``table`` (plus the plan's defects and drift files) as the day's part files."""
    partition_dir(landing_root, contract, day).mkdir(parents=True, exist_ok=True)
    result = PartitionResult()
    chunks = max(1, -(-plan.main_rows // plan.chunk_rows))
    pending = list(plan.defects)
    for index in range(chunks):
        low = index * plan.chunk_rows
        high = min(plan.main_rows, low + plan.chunk_rows)
        mine = [d for d in pending if d.anchor < high or index == chunks - 1]
        pending = pending[len(mine):]
        part = _PartFile(landing_root, contract, day, index, contract.column_names)
        _write_chunk(part, contract, day, table.slice(low, high - low), low, mine, result)
        _close(part, result)
    for offset, drift in enumerate(plan.drift_files):
        part = _PartFile(landing_root, contract, day, chunks + offset, drift.header)
        for line in drift.lines:
            part.write(line, 1)
            result.manifest.append(_entry(contract, day, part, drift.kind, drift.column,
                                          drift.rule))
        _close(part, result)
    return result


def _write_chunk(part: _PartFile, contract: Contract, day: dt.date, rows: pa.Table,
                 first_row: int, defects: list[Defect], result: PartitionResult) -> None:
    data = serialize(contract, rows)
    if not defects:
        part.write(data, rows.num_rows)
        return
    starts = line_starts(data)
    view = memoryview(data)
    written = 0
    for defect in defects:
        upto = min(max(defect.anchor - first_row + 1, written), rows.num_rows)
        part.write(view[starts[written]: starts[upto]], upto - written)
        written = upto
        part.write(defect.line, 1)
        result.manifest.append(_entry(contract, day, part, defect.kind, defect.column,
                                      defect.rule))
    part.write(view[starts[written]: starts[rows.num_rows]], rows.num_rows - written)


def _entry(contract, day, part: _PartFile, kind, column, rule) -> ManifestEntry:
    return ManifestEntry(contract.name, day, part.relative, part.line, kind, column, rule)


def _close(part: _PartFile, result: PartitionResult) -> None:
    part.close()
    result.files += 1
    result.lines += part.data_lines
