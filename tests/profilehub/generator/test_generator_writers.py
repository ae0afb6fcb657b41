"""Part files: splitting at the record limit, and exact line numbers of injected defects."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from profilehub.contracts import CONSENT_EVENTS, MARKET_QUOTES
from profilehub.generator.dirty import Defect, DriftFile, PartitionPlan
from profilehub.generator.records import build_table
from profilehub.generator.writers import write_partition

DAY = dt.date(2026, 10, 1)


def quotes(rows: int) -> pa.Table:
    return build_table(MARKET_QUOTES, {
        "symbol": [f"{600000 + i:06d}" for i in range(rows)],
        "trade_date": np.full(rows, np.datetime64(DAY)), "sector": ["energy"] * rows,
        "prev_close": np.full(rows, 10.0), "close": np.arange(rows) + 1.5,
        "index_close": np.full(rows, 3300.0),
    })


def test_rows_split_into_part_files_and_defect_lines_are_numbered(tmp_path):
    defects = [Defect(anchor, f"bad-{anchor}\n".encode(), "malformed_line", None, "malformed")
               for anchor in (-1, 4, 9, 19, 24)]
    drift = DriftFile(("symbol", "trade_date"), (b"600001,2026-10-01\n",), "renamed_column",
                      "sector", "missing_column:sector")
    result = write_partition(tmp_path, MARKET_QUOTES, DAY, quotes(25),
                             PartitionPlan(25, 10, defects, [drift]))
    folder = tmp_path / "market_quotes" / "dt=2026-10-01"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["part-00000.csv", "part-00001.csv", "part-00002.csv", "part-00003.csv"]
    assert result.files == 4 and result.lines == 25 + 5 + 1
    for entry in result.manifest:
        line = (tmp_path / entry.file).read_bytes().split(b"\n")[entry.line - 1]
        expected = b"600001,2026-10-01" if entry.defect_kind == "renamed_column" else b"bad-"
        assert line.startswith(expected), entry
    first = (folder / "part-00000.csv").read_text().splitlines()
    assert first[0].startswith("symbol,") and first[1] == "bad--1" and first[7] == "bad-4"
    assert len(first) == 1 + 10 + 3  # header, ten clean rows, three defects
    assert (folder / "part-00003.csv").read_text().splitlines()[0] == "symbol,trade_date"


def test_empty_delivery_still_writes_a_file(tmp_path):
    empty = build_table(CONSENT_EVENTS, {c.name: pa.array([], pa.string())
                                         for c in CONSENT_EVENTS.columns})
    result = write_partition(tmp_path, CONSENT_EVENTS, DAY, empty, PartitionPlan(0, 10))
    path = tmp_path / "consent_events" / "dt=2026-10-01" / "part-00000.jsonl"
    assert result.files == 1 and path.read_bytes() == b""
