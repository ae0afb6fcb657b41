"""The demo pipeline behind ``profilehub run``: each stage skips work that is already done.

Stages are plain functions so that the Airflow DAGs and the CLI call the same code.
``profilehub run`` generates the landing zone, prepares Airflow (metadata database, Spark pool,
dbt manifest) and runs the ``profile_daily`` DAG with ``airflow dags test`` for the last dates
of the landing zone, oldest first, skipping dates already published: the first run's ingest
catches up on every earlier delivery, so history costs one Spark pass per source rather than a
DAG run per day. It prints each task as it finishes and a summary per date at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from profilehub.settings import Settings

GENERATION_MARKER = "_generation.json"
DAG_ID = "profile_daily"
FEDERATED_DAG_ID = "federated_training"


@dataclass(frozen=True)
class DemoParameters:
    customers: int
    days: int
    seed: int
    dirty_rate: float
    start: dt.date
    # The DAG runs for the last ``daily_runs`` dates; the first of them catches up on every
    # earlier delivery in one pass per source (``profilehub.daily.catch_up_start``). One run
    # by default: a further date costs a whole daily build (~7 min at the demo scale here).
    daily_runs: int = 1

    @property
    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=offset) for offset in range(self.days)]

    @property
    def run_dates(self) -> list[dt.date]:
        return self.dates[-self.daily_runs:] if self.daily_runs > 0 else []

    def as_json(self) -> str:
        """The parameters that decide the landing data (the marker of a generation)."""
        generation = {**asdict(self), "start": self.start.isoformat()}
        generation.pop("daily_runs")
        return json.dumps(generation, sort_keys=True)


def stage(name: str) -> Callable:
    """Print when a stage starts and how long it took, so long runs show where they are."""

    def decorate(func: Callable) -> Callable:
        def run(*args, **kwargs):
            print(f"==> {name}", flush=True)
            started = time.perf_counter()
            result = func(*args, **kwargs)
            print(f"<== {name} done in {time.perf_counter() - started:.1f}s", flush=True)
            return result

        return run

    return decorate


@stage("generate landing data")
def generate_landing(settings: Settings, params: DemoParameters) -> None:
    """Generate the demo landing zone unless the same parameters already produced it."""
    from profilehub.generator import generate

    marker = settings.paths.landing / GENERATION_MARKER
    if marker.exists() and marker.read_text() == params.as_json():
        print(f"landing data for {params.as_json()} already present: reused")
        return
    report = generate(settings.paths, customers=params.customers, days=params.days,
                      seed=params.seed, dirty_rate=params.dirty_rate, start=params.start)
    print(report.summary())
    marker.write_text(params.as_json())


def airflow_command(settings: Settings, *args: str, log: Path) -> None:
    """Run ``airflow ARGS`` for these settings, its output into ``log``; raise if it fails."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as sink:
        finished = subprocess.run([sys.executable, "-m", "airflow", *args], stdout=sink,
                                  stderr=subprocess.STDOUT, env=settings.airflow_environ(),
                                  check=False)
    if finished.returncode:
        tail = "\n".join(log.read_text(encoding="utf-8").splitlines()[-20:])
        raise RuntimeError(f"airflow {' '.join(args)} failed ({log}):\n{tail}")


def airflow_logs(settings: Settings) -> Path:
    return settings.airflow.home / "runs"


@stage("prepare Airflow: metadata database, pools, dbt manifest")
def prepare_airflow(settings: Settings) -> None:
    from profilehub.daily import FEDERATION_POOL, SPARK_POOL, write_dbt_manifest

    settings.airflow.home.mkdir(parents=True, exist_ok=True)
    airflow_command(settings, "db", "migrate", log=airflow_logs(settings) / "db-migrate.log")
    airflow_command(settings, "pools", "set", SPARK_POOL, str(settings.airflow.spark_slots),
                    "Tasks that open the Spark metastore", log=airflow_logs(settings) / "pool.log")
    airflow_command(settings, "pools", "set", FEDERATION_POOL, "1",
                    "Flower federations (they share the SuperLink's ports)",
                    log=airflow_logs(settings) / "pool.log")
    print(f"dbt manifest: {write_dbt_manifest(settings)}")


class TaskProgress:
    """Turns the output of ``airflow dags test`` into one line per finished task."""

    _START = re.compile(r"\[DAG TEST\] starting task_id=(\S+) map_index=(-?\d+)")
    _STATE = re.compile(r"new_state=(\w+)")
    _END = re.compile(r"\[DAG TEST\] end task task_id=(\S+) map_index=(-?\d+)")

    def __init__(self) -> None:
        from profilehub.daily import ingest_waves

        self.sources = {f"ingest_wave_{number}": sources
                        for number, sources in enumerate(ingest_waves())}
        self.started = time.perf_counter()
        self.state = "?"

    def label(self, task_id: str, map_index: str) -> str:
        index = int(map_index)
        if index < 0:
            return task_id
        sources = self.sources.get(task_id, [])
        return f"{task_id}[{sources[index] if index < len(sources) else index}]"

    def feed(self, line: str) -> str | None:
        """The progress line ``line`` completes, if any."""
        if match := self._START.search(line):
            self.started, self.state = time.perf_counter(), "?"
        elif match := self._END.search(line):
            return (f"    {self.label(*match.groups()):<60} {self.state:<15} "
                    f"{time.perf_counter() - self.started:6.1f}s")
        elif match := self._STATE.search(line):
            self.state = match.group(1)
        return None


@dataclass(frozen=True)
class DateRun:
    as_of: dt.date
    succeeded: bool
    seconds: float
    log: Path


def dags_test(settings: Settings, dag_id: str, as_of: dt.date) -> DateRun:
    """``airflow dags test DAG_ID AS_OF``: one run of a DAG, in this machine's terms.

    The whole output goes to a log under the Airflow home; a line per finished task is printed.
    """
    log = airflow_logs(settings) / f"{dag_id}_{as_of.isoformat()}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    started, progress = time.time(), TaskProgress()
    print(f"--- {dag_id} {as_of} (log: {log})", flush=True)
    with log.open("w", encoding="utf-8") as sink, subprocess.Popen(
            [sys.executable, "-m", "airflow", "dags", "test", dag_id, as_of.isoformat()],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env=settings.airflow_environ()) as running:
        for line in running.stdout:
            sink.write(line)
            if (message := progress.feed(line)) is not None:
                print(message, flush=True)
    return DateRun(as_of, running.returncode == 0, time.time() - started, log)


def run_date(settings: Settings, as_of: dt.date) -> DateRun:
    """One run of ``profile_daily``; when it fails, the reports of the gates that failed in
    it are printed too."""
    started = time.time()
    run = dags_test(settings, DAG_ID, as_of)
    if not run.succeeded:
        for report in failed_gate_reports(settings, as_of, since=started):
            print(report, flush=True)
    print(f"--- {DAG_ID} {as_of}: {'published' if run.succeeded else 'FAILED'} in "
          f"{run.seconds:.0f}s", flush=True)
    return run


def failed_gate_reports(settings: Settings, as_of: dt.date, *, since: float) -> list[str]:
    """The texts of the as_of's gate reports written since ``since`` that failed."""
    from profilehub.gates import GATES, read_report, report_folder

    texts = []
    for gate in GATES:
        report = read_report(settings, gate, as_of)
        written = report_folder(settings, as_of) / f"{gate}.json"
        if report is not None and not report.passed and written.stat().st_mtime >= since:
            texts.append(report.text())
    return texts


def run_dates(settings: Settings, dates: Iterable[dt.date]) -> list[DateRun]:
    """Run the DAG for each date not yet published, oldest first; stop at the first failure
    (a date builds on the dates before it)."""
    from profilehub.publish import published_dates

    done = published_dates(settings)
    runs = []
    for as_of in sorted(dates):
        if as_of in done:
            print(f"--- {DAG_ID} {as_of}: already published, reused", flush=True)
            continue
        runs.append(run_date(settings, as_of))
        if not runs[-1].succeeded:
            break
    return runs


def print_summary(settings: Settings, dates: Iterable[dt.date], runs: list[DateRun]) -> None:
    from profilehub.daily import summarise
    from profilehub.publish import published_dates, read_published

    published = published_dates(settings)
    print("==> summary")
    for as_of in sorted(dates):
        if as_of in published:
            print("  " + summarise(settings, as_of).line())
        else:
            print(f"  {as_of}  not published")
    quality = tag_quality_summary(settings, [as_of for as_of in dates if as_of in published])
    if quality:
        print(quality)
    for run in runs:
        print(f"  run {run.as_of}: {'ok' if run.succeeded else 'FAILED'} in {run.seconds:.0f}s"
              f" ({run.log})")
    served = read_published(settings)
    print(f"  the API serves as_of {served.as_of if served else '(nothing yet)'}", flush=True)


def tag_quality_summary(settings: Settings, dates: Iterable[dt.date]) -> str | None:
    """The tag-quality table of the latest of ``dates`` that has one (generated data only,
    ``profilehub.tag_quality``), indented for the summary, with where the report is."""
    from profilehub.tag_quality import read_report, report_paths

    for as_of in sorted(dates, reverse=True):
        quality = read_report(settings, as_of)
        if quality is not None:
            table = "\n".join("  " + line for line in quality.table().splitlines())
            return f"{table}\n  (report: {report_paths(settings, as_of)[0]})"
    return None


def trained_on(settings: Settings, as_of: dt.date) -> bool:
    """Whether the registry's latest version of every federated model is of ``as_of``."""
    from federated.layout import registry_dir
    from federated.registry import load_model
    from federated.task import LABELS

    try:
        return all(load_model(registry_dir(settings), model).metadata["data"]["as_of"]
                   == as_of.isoformat() for model in LABELS)
    except FileNotFoundError:
        return False


@stage("federated training: churn and panic-sell models across partners (Flower, SecAgg+)")
def train_federated(settings: Settings, as_of: dt.date) -> None:
    """``federated_training`` for the served as_of, unless its models are already trained."""
    if trained_on(settings, as_of):
        print(f"models of as_of {as_of} already registered: reused", flush=True)
        return
    run = dags_test(settings, FEDERATED_DAG_ID, as_of)
    if not run.succeeded:
        raise SystemExit(f"{FEDERATED_DAG_ID} failed for {as_of}: see {run.log}")
    print(f"--- {FEDERATED_DAG_ID} {as_of}: trained and scored in {run.seconds:.0f}s",
          flush=True)


def api_welcome(settings: Settings) -> str:
    """Where the API listens, a fresh demo key per role and a query each can send."""
    from api.keys import ensure_demo_keys

    url = f"http://{settings.api.host}:{settings.api.port}/graphql"
    lines = ["==> GraphQL API", f"  GraphiQL: {url}  (send the key as 'Authorization: Bearer "
             "KEY'; partners also send 'X-Purpose: <purpose>')", "  demo keys:"]
    for role, key in ensure_demo_keys(settings).items():
        lines.append(f"    {role:<28} {key}")
        headers = f"-H 'Authorization: Bearer {key}'"
        if role.startswith("partner:"):
            headers += f" -H 'X-Purpose: {PARTNER_EXAMPLE_PURPOSE}'"
        query = EXAMPLE_QUERIES.get(role.split(":")[0], EXAMPLE_QUERIES["admin"])
        lines.append(f"      curl -s {url} {headers} -H 'Content-Type: application/json' "
                     f"-d '{json.dumps({'query': query})}'")
    return "\n".join(lines)


# One query a role would start with (partners ask with their own pseudonymous ids).
PARTNER_EXAMPLE_PURPOSE = "partner_credit_assessment"
EXAMPLE_QUERIES = {
    "data_scientist": "{ models { name rounds metrics { federatedAuc ratioToCentralised } } }",
    # No single quotes: the query is printed inside a single-quoted shell argument.
    "marketing": "{ segment(expression: \"gen_z AND travel_lover\") { count } }",
    "partner": "{ segmentSizes(expressions: [\"serial_refunder\"]) { expression count } }",
    "admin": "{ tagCatalog { id family sensitivity } }",
}


def run_demo(settings: Settings, params: DemoParameters, *, serve: bool = True) -> None:
    """Generate, build the profile for the last dates, train the federated models, then serve
    the API (in the foreground) unless ``serve`` is false."""
    generate_landing(settings, params)
    prepare_airflow(settings)
    runs = run_dates(settings, params.run_dates)
    print_summary(settings, params.run_dates, runs)
    failed = [run for run in runs if not run.succeeded]
    if failed:
        raise SystemExit(f"{DAG_ID} failed for {failed[0].as_of}: see {failed[0].log}")
    if params.run_dates:
        train_federated(settings, params.run_dates[-1])
    print(api_welcome(settings), flush=True)
    if serve:
        from api import serve as serve_api

        serve_api(settings)
