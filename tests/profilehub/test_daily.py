"""Stages of the daily build that need no Spark: which deliveries an as_of's ingest reads."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from profilehub.daily import catch_up_start
from profilehub.settings import load_settings
from spark.ingest.reconcile import reconcile, replace_reconciliation_row

AS_OF = date(2026, 10, 10)


def deliver(root: Path, source: str, day: date) -> None:
    folder = root / "landing" / source / f"dt={day}"
    folder.mkdir(parents=True)
    (folder / "part-00000.csv").write_text("header\n")


def reconciled(root: Path, source: str, day: date) -> None:
    replace_reconciliation_row(root / "reconciliation", reconcile(
        source, day, rows_in=0, accepted=0, quarantined=0, rule_counts={}, extra_columns=[],
        max_quarantine_rate=0.1))


def test_a_run_catches_up_on_deliveries_not_ingested_yet(tmp_path: Path):
    settings = load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path),
                              "PROFILEHUB_INGEST_CATCHUP_DAYS": "5"})
    for offset in range(8, -1, -1):
        deliver(tmp_path, "trades", AS_OF - timedelta(days=offset))
    # Ingested long ago and on the day before last: the gap of three days is what is missing.
    for offset in (8, 7, 6, 2):
        reconciled(tmp_path, "trades", AS_OF - timedelta(days=offset))
    assert catch_up_start(settings, "trades", AS_OF) == AS_OF - timedelta(days=5)
    # Day 8 back is outside the window of 5 days: a gap there is no longer read.
    for offset in (5, 4, 3, 1):
        reconciled(tmp_path, "trades", AS_OF - timedelta(days=offset))
    assert catch_up_start(settings, "trades", AS_OF) == AS_OF
    # Another source is judged on its own reconciliation rows.
    deliver(tmp_path, "positions", AS_OF - timedelta(days=1))
    assert catch_up_start(settings, "positions", AS_OF) == AS_OF - timedelta(days=1)
