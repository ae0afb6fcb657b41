"""The generator's entry point: build the world, deliver every source day by day, keep truth."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor

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
# Partitions generated but not yet written: bounds the memory the writer thread may hold.
WRITE_BACKLOG = 2


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
    report = GenerationReport(paths.landing, paths.ground_truth, customers, days, seed,
                              dirty_rate, start)
    with tqdm(total=days * len(CONTRACTS), unit="file-set", disable=not progress,
              desc="generate") as bar, _Deliveries(paths, report, seed) as deliveries:
        for day_index in range(days):
            for contract, produce in world.day_tables(day_index):
                bar.set_postfix_str(f"day {day_index + 1}/{days} {contract.name}", refresh=False)
                table = produce()
                if contract.name in selected:
                    deliveries.submit(contract, day_index, table)
                bar.update(1)
            world.record_first_assets(day_index)
    report.planted = write_ground_truth(paths.ground_truth, world, report.manifest)
    report.seconds = time.perf_counter() - began
    return report


class _Deliveries:
    """Writes partitions on one background thread, in submission order (so dirty planning
    stays deterministic), while the main thread generates the next tables: pyarrow's writers
    and most numpy kernels release the GIL, so the two overlap on two cores."""

    def __init__(self, paths: Paths, report: GenerationReport, seed: int) -> None:
        self.paths, self.report = paths, report
        self.injector = (DirtyInjector(seed, report.dirty_rate, report.days, report.start,
                                       MAX_RECORDS_PER_FILE) if report.dirty_rate > 0 else None)
        self.pending: deque[Future] = deque()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="landing-writer")

    def __enter__(self) -> _Deliveries:
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            while self.pending:
                self.pending.popleft().result()
        finally:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def submit(self, contract: Contract, day_index: int, table: pa.Table) -> None:
        self.pending.append(self.executor.submit(self._deliver, contract, day_index, table))
        while len(self.pending) > WRITE_BACKLOG:
            self.pending.popleft().result()  # re-raises a failed write here

    def _deliver(self, contract: Contract, day_index: int, table: pa.Table) -> None:
        day = self.report.start + dt.timedelta(days=day_index)
        if self.injector is None:
            plan = PartitionPlan(table.num_rows, MAX_RECORDS_PER_FILE)
        else:
            plan = self.injector.plan(contract, day_index, table)
        result = write_partition(self.paths.landing, contract, day, table, plan)
        self.report.add(contract.name, table.num_rows, result)
        if self.injector is not None:
            self.injector.remember(contract, day_index, table)
