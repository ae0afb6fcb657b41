"""The published pointer: switched only for runs whose gates passed, never backwards."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from profilehub.gates import GATES, Check, GateFailed, GateReport, report_folder
from profilehub.publish import (
    history,
    pointer_path,
    publish,
    published_dates,
    read_published,
)
from profilehub.settings import Settings, load_settings

D1, D2 = date(2026, 10, 1), date(2026, 10, 2)
NOW = datetime(2026, 10, 3, 1, 2, 3, tzinfo=UTC)


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path)})


def write_reports(settings: Settings, as_of: date, run_id: str, *, failing: str = "") -> None:
    for gate in GATES:
        check = Check("a check", gate != failing, "figures")
        path = report_folder(settings, as_of) / f"{gate}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(GateReport(gate, as_of, run_id, (check,)).to_json())


def test_a_passed_run_is_served_and_recorded(settings: Settings):
    write_reports(settings, D1, "run-1")
    publication = publish(settings, D1, "run-1", now=NOW)
    assert publication.served
    assert read_published(settings) == publication
    assert history(settings) == [publication]
    # The pointer was swapped in: no temporary file is left beside it.
    assert sorted(p.name for p in pointer_path(settings).parent.iterdir()) == [
        "history.jsonl", "published.json"]


def test_a_failed_gate_publishes_nothing(settings: Settings):
    write_reports(settings, D1, "run-1")
    served = publish(settings, D1, "run-1", now=NOW)
    write_reports(settings, D2, "run-2", failing="quality")
    with pytest.raises(GateFailed, match="quality gate, as_of 2026-10-02, run run-2: FAILED"):
        publish(settings, D2, "run-2", now=NOW)
    assert read_published(settings) == served
    assert published_dates(settings) == {D1}


def test_reports_of_another_run_do_not_count(settings: Settings):
    write_reports(settings, D1, "run-1")
    with pytest.raises(GateFailed, match="only a report of run run-1"):
        publish(settings, D1, "run-2", now=NOW)
    assert read_published(settings) is None
    assert history(settings) == []


def test_a_backfilled_older_date_is_recorded_but_not_served(settings: Settings):
    write_reports(settings, D2, "run-2")
    newest = publish(settings, D2, "run-2", now=NOW)
    write_reports(settings, D1, "run-1")
    backfill = publish(settings, D1, "run-1", now=NOW)
    assert not backfill.served
    assert read_published(settings) == newest
    assert published_dates(settings) == {D1, D2}


def test_republishing_the_served_date_serves_the_new_run(settings: Settings):
    write_reports(settings, D1, "run-1")
    publish(settings, D1, "run-1", now=NOW)
    write_reports(settings, D1, "run-2")
    again = publish(settings, D1, "run-2", now=NOW)
    assert again.served and read_published(settings).run_id == "run-2"
    assert [p.run_id for p in history(settings)] == ["run-1", "run-2"]
