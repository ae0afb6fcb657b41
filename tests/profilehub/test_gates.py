"""The reconciliation and data-quality gates on tiny hand-written files (no Spark)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from profilehub.gates import (
    QUALITY,
    RECONCILIATION,
    GateFailed,
    quality_gate,
    read_report,
    reconciliation_gate,
    report_folder,
)
from profilehub.settings import Settings, load_settings

D = date(2026, 10, 1)
CATALOG = ("gen_z", "hnw", "dormant", "travel_lover")


def settings_for(root: Path, **environ: str) -> Settings:
    return load_settings({"PROFILEHUB_DATA_ROOT": str(root), **environ})


def write_parquet(folder: Path, rows: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), folder / "part-00000.parquet")


def deliver(settings: Settings, source: str, lines: int, *, accepted: int, quarantined: int,
            reconciled: bool = True, lake_rows: int | None = None, day: date = D) -> None:
    """A CSV delivery of ``lines`` records, its partitions and (optionally) its reconciliation
    row, the way the ingest lays them out."""
    from spark.ingest.reconcile import ARROW_SCHEMA, reconcile
    from spark.ingest.tables import partition_folder

    paths = settings.paths
    landing = paths.landing / source / f"dt={day}"
    landing.mkdir(parents=True, exist_ok=True)
    (landing / "part-00000.csv").write_text("id\n" + "".join(f"{n}\n" for n in range(lines)))
    rows = accepted if lake_rows is None else lake_rows
    if rows:
        write_parquet(partition_folder(paths.lake / source, None, day), [{"id": n}
                                                                       for n in range(rows)])
    if quarantined:
        write_parquet(partition_folder(paths.quarantine, source, day),
                      [{"rule": "malformed"}] * quarantined)
    if reconciled:
        result = reconcile(source, day, rows_in=lines, accepted=accepted, quarantined=quarantined,
                           rule_counts={"malformed": quarantined} if quarantined else {},
                           extra_columns=[],
                           max_quarantine_rate=settings.ingest.max_quarantine_rate)
        folder = partition_folder(paths.reconciliation, None, day)
        existing = (pq.read_table(folder / "part-00000.parquet").to_pylist()
                    if folder.exists() else [])
        names = ARROW_SCHEMA.names
        row = dict(zip(names, result.as_row(), strict=True))
        row["rule_counts"] = list(row["rule_counts"].items())
        existing = [{**r, "rule_counts": list(r["rule_counts"] or [])} for r in existing]
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist([*existing, row], schema=ARROW_SCHEMA),
                       folder / "part-00000.parquet")


def test_a_reconciled_date_passes_and_leaves_a_report(tmp_path: Path):
    settings = settings_for(tmp_path)
    deliver(settings, "wealth_products", 20, accepted=19, quarantined=1)
    deliver(settings, "customers", 10, accepted=10, quarantined=0)
    report = reconciliation_gate(settings, D, "run-1")
    assert report.passed and report.figures == {"sources": 2, "rows_in": 30, "accepted": 29,
                                                "quarantined": 1}
    assert read_report(settings, RECONCILIATION, D) == report
    assert (report_folder(settings, D) / "reconciliation.txt").read_text().startswith(
        "reconciliation gate, as_of 2026-10-01, run run-1: PASSED")


def test_a_quarantine_rate_over_the_limit_fails_with_a_readable_report(tmp_path: Path):
    settings = settings_for(tmp_path, PROFILEHUB_MAX_QUARANTINE_RATE="0")
    deliver(settings, "wealth_products", 20, accepted=19, quarantined=1)
    with pytest.raises(GateFailed) as failure:
        reconciliation_gate(settings, D, "run-1")
    text = str(failure.value)
    assert "FAILED (1 of 3 checks)" in text
    assert "FAIL  source wealth_products" in text
    assert "quarantine rate above the limit 0.00%" in text
    assert not read_report(settings, RECONCILIATION, D).passed


def test_a_delivered_source_without_reconciliation_fails(tmp_path: Path):
    settings = settings_for(tmp_path)
    deliver(settings, "wealth_products", 5, accepted=5, quarantined=0)
    deliver(settings, "customers", 5, accepted=5, quarantined=0, reconciled=False)
    with pytest.raises(GateFailed, match="no reconciliation for customers"):
        reconciliation_gate(settings, D, "run-1")


def test_partitions_that_disagree_with_the_reconciliation_fail(tmp_path: Path):
    settings = settings_for(tmp_path)
    deliver(settings, "customers", 5, accepted=5, quarantined=0, lake_rows=4)
    with pytest.raises(GateFailed, match="partitions on disk hold 4 accepted"):
        reconciliation_gate(settings, D, "run-1")


def test_an_earlier_delivery_of_the_window_that_failed_fails_the_date(tmp_path: Path):
    settings = settings_for(tmp_path)
    earlier, long_ago = date(2026, 9, 28), date(2026, 8, 1)
    deliver(settings, "customers", 5, accepted=5, quarantined=0)
    deliver(settings, "customers", 5, accepted=5, quarantined=0, day=long_ago, lake_rows=1)
    deliver(settings, "trades", 5, accepted=5, quarantined=0, day=earlier, reconciled=False)
    with pytest.raises(GateFailed) as failure:
        reconciliation_gate(settings, D, "run-1")
    # The delivery of 2026-08-01 is outside the 31-day catch-up window: not judged.
    assert ("0 of 1 earlier delivery dates since 2026-08-31 pass; failing: 2026-09-28 "
            "(delivered sources reconciled)") in str(failure.value)


def test_a_date_without_deliveries_fails(tmp_path: Path):
    with pytest.raises(GateFailed, match="nothing was delivered"):
        reconciliation_gate(settings_for(tmp_path), D, "run-1")


def write_marts(settings: Settings, customers: int, *, profiled: int | None = None,
                valued_tags: tuple[str, ...] = CATALOG, null_column: bool = False) -> None:
    from profilehub.feature_store.marts import mart_partition

    keys = [f"CK{n:04d}" for n in range(customers)]
    write_parquet(settings.paths.lake / "customer_accounts" / f"as_of={D}",
                  [{"customer_key": key, "account_id": f"A{key}"} for key in keys])
    profile = keys[:customers if profiled is None else profiled]
    write_parquet(mart_partition(settings, "dim_customer_profile", D),
                  [{"customer_key": key, "gen_z": n % 2 == 0,
                    "score": None if null_column else 0.5} for n, key in enumerate(profile)])
    write_parquet(mart_partition(settings, "fct_customer_tags", D),
                  [{"customer_key": key, "tag_id": tag, "value": "true"}
                   for key in profile for tag in valued_tags])
    write_parquet(mart_partition(settings, "dim_tag", D), [{"tag_id": tag} for tag in CATALOG])


def test_complete_marts_pass_the_quality_gate(tmp_path: Path):
    settings = settings_for(tmp_path)
    write_marts(settings, 10)
    report = quality_gate(settings, D, "run-1")
    assert report.passed
    assert report.figures["population"] == report.figures["profile_rows"] == 10
    assert report.figures["tag_rows"] == 40 and report.figures["tags_with_values"] == 4


def test_missing_profiles_fail_the_quality_gate(tmp_path: Path):
    settings = settings_for(tmp_path)
    write_marts(settings, 10, profiled=9)
    with pytest.raises(GateFailed, match="9 profile rows for 10 resolved customers"):
        quality_gate(settings, D, "run-1")


def test_a_mostly_null_profile_fails_the_quality_gate(tmp_path: Path):
    settings = settings_for(tmp_path)
    write_marts(settings, 10, null_column=True)
    expected = ("33.33% of 30 profile cells are NULL (at most 25.00%); highest columns: "
                "score 100.00%")
    with pytest.raises(GateFailed, match=re.escape(expected)):
        quality_gate(settings, D, "run-1")


def test_too_few_tags_with_values_fail_the_quality_gate(tmp_path: Path):
    settings = settings_for(tmp_path, PROFILEHUB_QUALITY_MIN_TAG_COVERAGE="0.75")
    write_marts(settings, 10, valued_tags=("gen_z", "hnw"))
    with pytest.raises(GateFailed, match="2 of 4 catalog tags have values") as failure:
        quality_gate(settings, D, "run-1")
    assert "none for dormant, travel_lover" in str(failure.value)


def test_missing_marts_fail_the_quality_gate(tmp_path: Path):
    settings = settings_for(tmp_path)
    with pytest.raises(GateFailed, match="no rows for this as_of: accounts"):
        quality_gate(settings, D, "run-1")
    assert read_report(settings, QUALITY, D).checks[0].name == "inputs present"
