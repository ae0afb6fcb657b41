"""The generator's entry point: build the world, deliver every source day by day, keep truth."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Iterable

import pyarrow as pa
from tqdm import tqdm

from profilehub.contracts import CONTRACTS, CONTRACTS_BY_NAME, Contract
from profilehub.generator import calibration as cal
from profilehub.generator.dirty import DirtyInjector, PartitionPlan
from profilehub.generator.report import GenerationReport
from profilehub.generator.truth import write_ground_truth
from profilehub.generator.world import build_world
from profilehub.generator.writers import write_partition
from profilehub.landing import MAX_RECORDS_PER_FILE, source_dir
from profilehub.settings import Paths

MAX_CUSTOMERS = 50_000_000  # account numbers and phone keys stay unique below this


def _check_arguments(customers, days, seed, dirty_rate, start) -> None:
    problems = []
    if not isinstance(customers, int) or not 1 <= customers <= MAX_CUSTOMERS:
        problems.append(f"customers={customers!r} must be an integer in 1..{MAX_CUSTOMERS:,}")
    if not isinstance(days, int) or days < 1:
        problems.append(f"days={days!r} must be a positive integer")
    if not isinstance(seed, int) or seed < 0:
        problems.append(f"seed={seed!r} must be a non-negative integer")
    if not 0 <= dirty_rate <= cal.MAX_DEFECT_SHARE:
        problems.append(f"dirty_rate={dirty_rate!r} must be within 0..{cal.MAX_DEFECT_SHARE}: a "
                        "source/date with more than 10% bad rows fails the ingest")
    if not isinstance(start, dt.date):
        problems.append(f"start={start!r} must be a datetime.date")
    if problems:
        raise ValueError("generate: " + "; ".join(problems))


def _selected(sources: Iterable[str] | None) -> frozenset[str]:
    if sources is None:
        return frozenset(CONTRACTS_BY_NAME)
    chosen = frozenset(sources)
    unknown = sorted(chosen - set(CONTRACTS_BY_NAME))
    if unknown:
        known = ", ".join(CONTRACTS_BY_NAME)
        raise ValueError(f"generate: unknown sources {unknown}; known: {known}")
    return chosen


def generate(paths: Paths, *, customers: int, days: int, seed: int, dirty_rate: float,
             start: dt.date, sources: Iterable[str] | None = None,
             progress: bool = True) -> GenerationReport:
    """Write landing files for delivery dates ``start .. start + days - 1`` and ground truth.

    ``sources`` restricts which sources are written (all are still simulated, so the written
    ones are identical to a full run). Existing landing folders of those sources are replaced.
    """
    _check_arguments(customers, days, seed, dirty_rate, start)
    selected = _selected(sources)
    began = time.perf_counter()
    world = build_world(seed, customers, days, start)
    for contract in CONTRACTS:
        if contract.name in selected:
            shutil.rmtree(source_dir(paths.landing, contract), ignore_errors=True)
    injector = (DirtyInjector(seed, dirty_rate, days, start, MAX_RECORDS_PER_FILE)
                if dirty_rate > 0 else None)
    report = GenerationReport(paths.landing, paths.ground_truth, customers, days, seed,
                              dirty_rate, start)
    with tqdm(total=days * len(CONTRACTS), unit="file-set", disable=not progress,
              desc="generate") as bar:
        for day_index in range(days):
            for contract, produce in world.day_tables(day_index):
                bar.set_postfix_str(f"day {day_index + 1}/{days} {contract.name}", refresh=False)
                table = produce()
                if contract.name in selected:
                    _deliver(paths, report, injector, contract, day_index, table)
                bar.update(1)
            world.record_first_assets(day_index)
    write_ground_truth(paths.ground_truth, world, report.manifest)
    report.seconds = time.perf_counter() - began
    return report


def _deliver(paths: Paths, report: GenerationReport, injector: DirtyInjector | None,
             contract: Contract, day_index: int, table: pa.Table) -> None:
    day = report.start + dt.timedelta(days=day_index)
    if injector is None:
        plan = PartitionPlan(table.num_rows, MAX_RECORDS_PER_FILE)
    else:
        plan = injector.plan(contract, day_index, table)
    report.add(contract.name, table.num_rows, write_partition(paths.landing, contract, day,
                                                              table, plan))
    if injector is not None:
        injector.remember(contract, day_index, table)
