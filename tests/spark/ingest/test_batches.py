"""How a range of delivery dates is cut into Spark passes: by landing bytes per source."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from profilehub.contracts import get_contract
from profilehub.landing import part_file_name, partition_dir
from profilehub.validation import DeliveryDates
from spark.ingest.job import batches

START = dt.date(2026, 3, 1)
TRADES, POSITIONS = get_contract("trades"), get_contract("positions")


def deliver(landing: Path, contract, day_offset: int, size: int) -> None:
    path = partition_dir(landing, contract, START + dt.timedelta(days=day_offset))
    path.mkdir(parents=True, exist_ok=True)
    (path / part_file_name(contract, 0)).write_bytes(b"x" * size)


def spans(cut: list[DeliveryDates]) -> list[tuple[int, int]]:
    return [((d.first - START).days, (d.last - START).days) for d in cut]


def test_a_range_within_budget_is_one_pass(tmp_path: Path):
    for offset in range(30):
        deliver(tmp_path, TRADES, offset, 100)
    cut = batches(tmp_path, [TRADES], START, START + dt.timedelta(days=29), 3_000)
    assert spans(cut) == [(0, 29)]


def test_a_batch_closes_before_any_source_passes_the_budget(tmp_path: Path):
    for offset in range(6):
        deliver(tmp_path, TRADES, offset, 100)
        deliver(tmp_path, POSITIONS, offset, 400)
    # Positions decide: two days (800 bytes) fit in 1,000, a third would not.
    cut = batches(tmp_path, [TRADES, POSITIONS], START, START + dt.timedelta(days=5), 1_000)
    assert spans(cut) == [(0, 1), (2, 3), (4, 5)]


def test_a_date_over_budget_is_a_batch_of_its_own_and_no_date_is_left_out(tmp_path: Path):
    for offset, size in enumerate([10, 5_000, 10, 10]):
        deliver(tmp_path, TRADES, offset, size)
    # Day 4 has no delivery at all: it still belongs to a batch (an empty delivery reconciles).
    cut = batches(tmp_path, [TRADES], START, START + dt.timedelta(days=4), 100)
    assert spans(cut) == [(0, 0), (1, 1), (2, 4)]
