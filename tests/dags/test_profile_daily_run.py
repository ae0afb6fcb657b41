"""End to end: ``airflow dags test profile_daily`` on tiny generated data (150 customers).

One session builds it all, the way ``profilehub run`` does (``profilehub.pipeline``): generate
three days of landing files, prepare Airflow, run the DAG for D2 (its ingest catches up on D1's
deliveries too), rerun D2, then run D3 with a quarantine limit of 0 (settings from the
environment, as in production), a gate that must fail. The tests then read what each step left
behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from profilehub.contracts import CONTRACTS
from profilehub.gates import QUALITY, RECONCILIATION, read_report, report_folder
from profilehub.landing import list_partition_files
from profilehub.publish import Publication, history, published_dates, read_published
from profilehub.settings import Settings, load_settings

pytestmark = pytest.mark.slow

D1, D2, D3 = dt.date(2026, 10, 1), dt.date(2026, 10, 2), dt.date(2026, 10, 3)
CUSTOMERS = 150
MARTS = ("dim_customer_profile", "fct_customer_tags", "dim_tag")
IDENTITY_AND_FEATURES = ("customer_accounts", "partner_links", "customer_features")


@dataclass(frozen=True)
class Build:
    settings: Settings
    runs: dict[str, object]
    seconds: dict[str, float]
    outputs_before_rerun: dict[str, str]
    outputs_after_rerun: dict[str, str]
    published_before_failure: Publication | None
    published_after_failure: Publication | None


def _rows_digest(folder: Path) -> str:
    """A digest of the rows of a Parquet folder, in no particular file or row order."""
    import pyarrow.dataset as ds

    table = ds.dataset(folder, format="parquet").to_table()
    rows = sorted(json.dumps(row, sort_keys=True, default=str) for row in table.to_pylist())
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def _files_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def as_of_outputs(settings: Settings, as_of: dt.date) -> dict[str, Path]:
    """Every folder the DAG writes for one as_of, by what it is."""
    from profilehub.feature_store.marts import mart_partition

    paths = settings.paths
    day = f"dt={as_of.isoformat()}"
    outputs = {f"lake {source}": paths.lake / source / day
               for source in accepted_sources(settings, as_of)}
    outputs |= {f"quarantine {folder.parent.name}": folder
                for folder in paths.quarantine.glob(f"source=*/{day}")}
    outputs["reconciliation"] = paths.reconciliation / day
    outputs |= {f"lake {table}": paths.lake / table / f"as_of={as_of.isoformat()}"
                for table in IDENTITY_AND_FEATURES}
    outputs |= {f"mart {mart}": mart_partition(settings, mart, as_of) for mart in MARTS}
    outputs |= {f"feast {folder.parent.name}": folder
                for folder in paths.feast.rglob(f"as_of={as_of.isoformat()}")}
    segments = json.loads((report_folder(settings, as_of) / "segments.json").read_text())
    outputs["segment index"] = Path(segments["folder"])
    return outputs


def accepted_sources(settings: Settings, as_of: dt.date) -> set[str]:
    """Sources with accepted rows on ``as_of``: only those have a lake partition that day."""
    from spark.ingest.reconcile import read_reconciliations

    rows = read_reconciliations(settings.paths.reconciliation / f"dt={as_of}")
    return {row["source"] for row in rows if row["accepted"]}


def outputs_digest(settings: Settings, as_of: dt.date) -> dict[str, str]:
    return {name: (_files_digest(folder) if name == "segment index" else _rows_digest(folder))
            for name, folder in as_of_outputs(settings, as_of).items()}


def landing_records(settings: Settings, source: str, as_of: dt.date) -> int:
    """Data lines of a source's delivery, counted here on the bytes (CSV minus headers)."""
    contract = next(c for c in CONTRACTS if c.name == source)
    records = 0
    for path in list_partition_files(settings.paths.landing, contract, as_of):
        data = path.read_bytes()
        lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
        records += lines - (1 if contract.format == "csv" else 0)
    return records


@pytest.fixture(scope="session")
def build(dag_settings: Settings, dag_environ: dict[str, str]) -> Build:
    from profilehub.generator import generate
    from profilehub.pipeline import prepare_airflow, run_date, run_dates

    settings, seconds = dag_settings, {}

    def timed(name, step):
        started = time.perf_counter()
        result = step()
        seconds[name] = time.perf_counter() - started
        print(f"{name}: {seconds[name]:.0f}s", flush=True)
        return result

    timed("generate", lambda: generate(settings.paths, customers=CUSTOMERS, days=3, seed=7,
                                       dirty_rate=0.002, start=D1, progress=False))
    timed("prepare airflow", lambda: prepare_airflow(settings))
    runs = {"D2": timed("dags test D2", lambda: run_dates(settings, [D2]))}
    failed = [run for run in runs["D2"] if not run.succeeded]
    if failed:
        pytest.fail(f"profile_daily failed for {failed[0].as_of}: see {failed[0].log}")
    before = outputs_digest(settings, D2)
    runs["rerun D2"] = timed("dags test rerun D2", lambda: run_date(settings, D2))
    after = outputs_digest(settings, D2)
    published_before = read_published(settings)
    failing = load_settings({**dag_environ, "PROFILEHUB_MAX_QUARANTINE_RATE": "0"})
    runs["D3 failing"] = timed("dags test D3 (planted failure)", lambda: run_date(failing, D3))
    return Build(settings, runs, seconds, before, after, published_before,
                 read_published(settings))


def test_the_run_publishes_its_date_and_it_is_served(build: Build):
    (run,) = build.runs["D2"]
    assert run.as_of == D2 and run.succeeded, f"see {run.log}"
    assert build.published_before_failure.as_of == D2
    assert build.published_before_failure.served
    assert published_dates(build.settings) == {D2}


def test_the_first_run_caught_up_on_the_deliveries_before_it(build: Build):
    from spark.ingest.reconcile import read_reconciliations

    rows = read_reconciliations(build.settings.paths.reconciliation / f"dt={D1}")
    assert {row["source"] for row in rows} == {
        c.name for c in CONTRACTS if list_partition_files(build.settings.paths.landing, c, D1)}
    assert read_report(build.settings, RECONCILIATION, D2).checks[-1].detail.startswith(
        "1 of 1 earlier delivery dates")


@pytest.mark.parametrize("as_of", [D2])
def test_every_output_of_a_date_exists(build: Build, as_of: dt.date):
    outputs = as_of_outputs(build.settings, as_of)
    empty = [name for name, folder in outputs.items() if not any(folder.iterdir())]
    assert not empty, empty
    # A delivery with nothing accepted (a header-only file) leaves no lake partition behind.
    lake = {folder.parent.name for folder in build.settings.paths.lake.glob(f"*/dt={as_of}")}
    assert lake == accepted_sources(build.settings, as_of)
    assert {f"mart {mart}" for mart in MARTS} <= set(outputs)
    assert any(name.startswith("feast ") for name in outputs)
    assert (outputs["segment index"] / "manifest.json").exists()
    for gate in (RECONCILIATION, QUALITY):
        assert read_report(build.settings, gate, as_of).passed


@pytest.mark.parametrize("as_of", [D1, D2])
def test_rows_in_reconcile_with_the_landing_files(build: Build, as_of: dt.date):
    from spark.ingest.reconcile import read_reconciliations

    rows = read_reconciliations(build.settings.paths.reconciliation / f"dt={as_of}")
    delivered = {c.name for c in CONTRACTS
                 if list_partition_files(build.settings.paths.landing, c, as_of)}
    assert {row["source"] for row in rows} == delivered
    for row in rows:
        assert row["rows_in"] == landing_records(build.settings, row["source"], as_of)
        assert row["rows_in"] == row["accepted"] + row["quarantined"]
    # D1 was caught up by D2's run: only the run's own date has a report with figures.
    report = read_report(build.settings, RECONCILIATION, as_of)
    if as_of == D1:
        assert report is None
    else:
        assert report.figures["rows_in"] == sum(row["rows_in"] for row in rows) > 0


def test_profiles_cover_the_population(build: Build):
    figures = read_report(build.settings, QUALITY, D2).figures
    assert figures["profile_rows"] == figures["population"] == CUSTOMERS
    assert figures["tag_rows"] > 0 and figures["tags_with_values"] > 0


def test_rerunning_a_date_gives_identical_outputs(build: Build):
    assert build.runs["rerun D2"].succeeded, f"see {build.runs['rerun D2'].log}"
    changed = sorted(name for name, digest in build.outputs_after_rerun.items()
                     if build.outputs_before_rerun.get(name) != digest)
    assert set(build.outputs_after_rerun) == set(build.outputs_before_rerun)
    assert not changed, changed
    assert [p.as_of for p in history(build.settings)] == [D2, D2]


def test_a_backfill_over_a_range_plans_one_run_per_date(build: Build, tmp_path: Path):
    """What ``airflow backfill create`` would run (the scheduler then runs them one at a time,
    oldest first): one run per date, its logical date the as_of at midnight UTC."""
    from profilehub.pipeline import airflow_command

    log = tmp_path / "backfill.log"
    airflow_command(build.settings, "backfill", "create", "--dag-id", "profile_daily",
                    "--from-date", D1.isoformat(), "--to-date", D3.isoformat(), "--dry-run",
                    "--reprocess-behavior", "completed", log=log)
    planned = re.findall(r"\| (\d{4}-\d{2}-\d{2}) 00:00:00\+00:00 +\|", log.read_text())
    assert planned == [D1.isoformat(), D2.isoformat(), D3.isoformat()]


def test_a_failed_gate_stops_the_run_before_publish(build: Build):
    failed = build.runs["D3 failing"]
    assert not failed.succeeded
    report = read_report(build.settings, RECONCILIATION, D3)
    assert not report.passed
    assert "quarantine rate above the limit 0.00%" in report.text()
    written = (report_folder(build.settings, D3) / f"{RECONCILIATION}.txt").read_text()
    assert written.strip() == report.text()
    # Nothing after the gate ran: no identity, marts, quality report or segment index.
    assert read_report(build.settings, QUALITY, D3) is None
    assert not (report_folder(build.settings, D3) / "segments.json").exists()
    assert not (build.settings.paths.lake / "customer_accounts" / f"as_of={D3}").exists()
    # Users still get D2, exactly as published before.
    assert build.published_after_failure == build.published_before_failure
    assert D3 not in published_dates(build.settings)

