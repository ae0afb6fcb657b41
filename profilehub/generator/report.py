"""What a generator run wrote: rows per source, files, and defects injected per kind."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from profilehub.generator.dirty import DEFECT_KINDS
from profilehub.generator.writers import ManifestEntry, PartitionResult


@dataclass
class GenerationReport:
    landing: Path
    ground_truth: Path
    customers: int
    days: int
    seed: int
    dirty_rate: float
    start: dt.date
    records: Counter = field(default_factory=Counter)  # clean records per source
    lines: Counter = field(default_factory=Counter)  # data lines written, defects included
    files: Counter = field(default_factory=Counter)
    manifest: list[ManifestEntry] = field(default_factory=list)
    planted: list[tuple[str, str]] = field(default_factory=list)  # (what, how much)
    seconds: float = 0.0

    def add(self, source: str, records: int, result: PartitionResult) -> None:
        self.records[source] += records
        self.lines[source] += result.lines
        self.files[source] += result.files
        self.manifest.extend(result.manifest)

    def rows_by_source(self) -> dict[str, int]:
        """Data lines written per source (clean records plus injected defect lines): what an
        ingest reads."""
        return dict(self.lines)

    def total_rows(self) -> int:
        return sum(self.lines.values())

    @property
    def defects(self) -> Counter:
        return Counter(entry.defect_kind for entry in self.manifest)

    @property
    def missing_defect_kinds(self) -> tuple[str, ...]:
        """Defect kinds a dirty run failed to plant (a one-day run cannot replay)."""
        if self.dirty_rate == 0:
            return ()
        return tuple(kind for kind in DEFECT_KINDS if not self.defects[kind])

    def summary(self) -> str:
        end = self.start + dt.timedelta(days=self.days - 1)
        out = [f"Generated {self.customers:,} customers, {self.start} .. {end}, seed {self.seed}, "
               f"dirty rate {self.dirty_rate:g}, in {self.seconds:.1f} s",
               f"landing: {self.landing}", f"ground truth: {self.ground_truth}", "",
               f"{'source':<22}{'files':>7}{'records':>14}{'dirty lines':>13}"]
        for source in self.records:
            dirty = self.lines[source] - self.records[source]
            out.append(f"{source:<22}{self.files[source]:>7,}{self.records[source]:>14,}"
                       f"{dirty:>13,}")
        out.append(f"{'total':<22}{sum(self.files.values()):>7,}{sum(self.records.values()):>14,}"
                   f"{sum(self.lines.values()) - sum(self.records.values()):>13,}")
        if self.planted:
            out += ["", "planted (see ground truth):"]
            out += [f"  {label}: {value}" for label, value in self.planted]
        if self.dirty_rate:
            out += ["", f"{'defect kind':<22}{'count':>7}"]
            out += [f"{kind:<22}{self.defects[kind]:>7,}" for kind in DEFECT_KINDS]
            if self.missing_defect_kinds:
                out.append(f"not planted: {', '.join(self.missing_defect_kinds)}")
        return "\n".join(out)
