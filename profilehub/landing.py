"""How sources deliver raw files into the landing zone: one folder per source and date.

``landing/<source>/dt=YYYY-MM-DD/part-NNNNN.<csv|jsonl>``. The generator writes exactly this;
the ingest reads exactly this. Encodings follow what the sources really send:

- CSV: UTF-8, ``\\n`` line ends, a header line, comma separated, fields quoted only when they
  contain a comma or quote; an empty field is null; booleans ``true``/``false``.
- JSON lines: one object per line, keys are column names, null is ``null`` or a missing key;
  numbers are JSON numbers, booleans JSON booleans.
- Dates ``YYYY-MM-DD``; timestamps ``YYYY-MM-DD HH:MM:SS`` (Asia/Shanghai wall time).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from profilehub.contracts import Contract

DATE_FORMAT = "%Y-%m-%d"
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
# A part file holds at most this many records so that Spark reads each file as one split,
# which keeps the physical line numbers of quarantined records exact.
MAX_RECORDS_PER_FILE = 500_000


def partition_name(day: dt.date) -> str:
    return f"dt={day.isoformat()}"


def source_dir(landing_root: Path, contract: Contract) -> Path:
    return landing_root / contract.name


def partition_dir(landing_root: Path, contract: Contract, day: dt.date) -> Path:
    return source_dir(landing_root, contract) / partition_name(day)


def part_file_name(contract: Contract, index: int) -> str:
    return f"part-{index:05d}.{contract.format}"


def list_partition_files(landing_root: Path, contract: Contract, day: dt.date) -> list[Path]:
    folder = partition_dir(landing_root, contract, day)
    return sorted(folder.glob(f"part-*.{contract.format}")) if folder.exists() else []


def delivered_dates(landing_root: Path, contract: Contract) -> list[dt.date]:
    folder = source_dir(landing_root, contract)
    if not folder.exists():
        return []
    return sorted(dt.date.fromisoformat(p.name.removeprefix("dt=")) for p in folder.glob("dt=*"))
