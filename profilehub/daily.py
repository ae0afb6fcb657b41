"""The stages of one as_of's build, as the daily DAG (``dags/profile_daily.py``) runs them.

Each stage is a plain function of the settings and the as_of, and idempotent: rerunning it
replaces what it wrote for that as_of and nothing else. The DAG adds the schedule, the order,
retries, timeouts and the pool that keeps Spark jobs one at a time; ``profilehub run`` drives
the DAG (``profilehub.pipeline``).

The DAG file imports this module when Airflow parses it, so the module itself imports only
light code; Spark, dbt, Feast and DuckDB load inside the stages that use them.

Spark stages share one session per process (:func:`spark`): under ``airflow dags test`` every
task runs in one process, so ingest, identity, features and the in-process dbt tasks all use
the session the first of them started, and no stage stops it (the JVM ends with the process).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from profilehub.contracts import CONTRACTS
from profilehub.files import write_text_atomically
from profilehub.settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from profilehub.publish import Publication
    from profilehub.tag_quality import TagQuality

# Airflow pool of every task that opens the Spark metastore (settings.airflow.spark_slots).
SPARK_POOL = "spark_metastore"
# Airflow pool of the Flower federations: one at a time, they share the SuperLink's ports.
FEDERATION_POOL = "flower_federation"
SPARK_APP_NAME = "profilehub-daily"
# Boolean segments shown in a summary, largest first.
SHOWN_SEGMENTS = 5


def as_of_of(ds: str | None) -> dt.date:
    """The as_of a DAG run builds: its logical date (``ds``)."""
    if not ds:
        raise ValueError("profile_daily builds the as_of of its logical date: trigger the run "
                         "with one (airflow dags test profile_daily YYYY-MM-DD)")
    return dt.date.fromisoformat(ds)


def ingest_waves() -> list[list[str]]:
    """The contract sources in waves: a source comes one wave after the last it references.

    The ingest checks references against the referenced source's accepted rows of the same
    date (a holding's product code against the product catalogue), so a wave may start only
    when the waves before it are done; the sources of one wave are independent.
    """
    wave_of: dict[str, int] = {}
    for contract in CONTRACTS:
        referenced = [column.references[0] for column in contract.columns if column.references]
        unknown = [name for name in referenced if name not in wave_of]
        if unknown:
            raise ValueError(f"{contract.name} references {unknown}, declared after it")
        wave_of[contract.name] = 1 + max((wave_of[name] for name in referenced), default=-1)
    waves: list[list[str]] = [[] for _ in range(max(wave_of.values()) + 1)]
    for name, wave in wave_of.items():
        waves[wave].append(name)
    return waves


def spark(settings: Settings) -> SparkSession:
    """This process's Spark session for ``settings`` (started on first use)."""
    from spark.session import spark_session

    return spark_session(settings, SPARK_APP_NAME)


def catch_up_start(settings: Settings, source: str, as_of: dt.date) -> dt.date:
    """The first date an as_of's ingest of ``source`` reads: the oldest delivery within
    ``ingest.catchup_days`` before ``as_of`` that has no reconciliation row yet, else as_of.

    So a run after days without runs (or the first run over a landing zone already holding
    history) ingests every delivery the profile's windows read, in one pass per source.
    """
    from profilehub.contracts import get_contract
    from profilehub.landing import delivered_dates
    from spark.ingest.reconcile import read_reconciliations
    from spark.ingest.tables import partition_folder

    paths, earliest = settings.paths, as_of - dt.timedelta(days=settings.ingest.catchup_days)
    for day in delivered_dates(paths.landing, get_contract(source)):
        if not earliest <= day < as_of:
            continue
        folder = partition_folder(paths.reconciliation, None, day)
        if source not in {row["source"] for row in read_reconciliations(folder)}:
            return day
    return as_of


def ingest_source(settings: Settings, source: str, as_of: dt.date) -> list[dict[str, Any]]:
    """Ingest one source's delivery of ``as_of``, after any earlier delivery not ingested yet
    (:func:`catch_up_start`); returns the reconciliation figures of every date ingested.

    A delivery that does not reconcile is not an error here: its quarantine, accepted rows and
    reconciliation row are written either way, and the reconciliation gate judges every source
    of the dates together, with one report. Any other failure raises (and is retried).
    """
    from spark.ingest import IngestError, ingest_range

    start = catch_up_start(settings, source, as_of)
    try:
        result = ingest_range(settings, start=start, end=as_of, sources=[source],
                              spark=spark(settings))
    except IngestError as error:
        result = error.result
    print(result.summary(), flush=True)
    return [{"source": r.source, "day": r.day.isoformat(), "rows_in": r.rows_in,
             "accepted": r.accepted, "quarantined": r.quarantined, "status": r.status}
            for r in result.reconciliations]


def resolve_identity(settings: Settings, as_of: dt.date) -> str:
    from spark.identity import build_identity

    spark(settings)
    summary = build_identity(settings, as_of).summary()
    print(summary, flush=True)
    return summary


def compute_features(settings: Settings, as_of: dt.date) -> str:
    from spark.features import build_features

    spark(settings)
    summary = build_features(settings, as_of).summary()
    print(summary, flush=True)
    return summary


def write_dbt_manifest(settings: Settings) -> Path:
    """``dbt parse`` into ``settings.paths.dbt_manifest``, which the DAG renders dbt tasks from.

    Parsing opens no connection (no Spark). The manifest is swapped in whole, so a DAG parse
    reading it meanwhile sees the old one or the new one.
    """
    from profilehub.dbt_runner import dbt_target_path, run_dbt

    result = run_dbt(["parse"], settings)
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception}")
    parsed = dbt_target_path(settings) / "manifest.json"
    write_text_atomically(settings.paths.dbt_manifest, parsed.read_text(encoding="utf-8"))
    return settings.paths.dbt_manifest


def start_dbt_session(context: Any) -> None:
    """Before an in-process dbt task: start the Spark session dbt-spark will pick up.

    A ``method: session`` target makes dbt-spark call ``SparkSession.builder.getOrCreate()``;
    a session started from settings first is the one it gets, with the data root's warehouse
    and metastore (see ``profilehub.dbt_runner``). Other targets need nothing.
    """
    from profilehub.dbt_runner import target_method
    from profilehub.settings import get_settings

    settings = get_settings()
    if target_method(settings.spark.dbt_target) == "session":
        spark(settings)


def quality_gate(settings: Settings, as_of: dt.date, run_id: str) -> dict[str, int | float]:
    """The data-quality gate of the as_of's marts (raises when it fails, so the run stops),
    then the informational tag-quality report against the ground truth (never raises)."""
    from profilehub.gates import quality_gate as judge

    figures = judge(settings, as_of, run_id).figures
    report_tag_quality(settings, as_of)
    return figures


def report_tag_quality(settings: Settings, as_of: dt.date) -> TagQuality | None:
    """Score the as_of's tags against the planted behaviours (``profilehub.tag_quality``),
    write ``reports/as_of=…/tag_quality.txt|json`` and print the table.

    Informational: only generated data has a ground truth, so without one this prints why it
    skipped, and any failure to score is printed rather than raised (a build never fails
    here)."""
    from profilehub.tag_quality import ground_truth_file, tag_quality, write_report

    try:
        quality = tag_quality(settings, as_of)
        if quality is None:
            print(f"tag quality of as_of {as_of}: skipped, no ground truth at "
                  f"{ground_truth_file(settings)} (only generated data has one)", flush=True)
            return None
        path = write_report(settings, quality)
    except Exception as error:  # informational: never fail the run over it
        print(f"tag quality of as_of {as_of}: not scored ({type(error).__name__}: {error})",
              flush=True)
        return None
    print(f"{quality.table()}\n(report: {path})", flush=True)
    return quality


def materialise_feature_store(settings: Settings, as_of: dt.date) -> str:
    """Register the Feast definitions and publish the as_of's marts offline and online."""
    from profilehub.feature_store import apply_repository, get_store, materialize_as_of

    store = get_store(settings)
    apply_repository(store)
    summary = materialize_as_of(settings, as_of, store=store, progress=False).summary()
    print(summary, flush=True)
    return summary


def build_segments(settings: Settings, as_of: dt.date) -> dict[str, int]:
    """Build the as_of's segment index; record and return its customers and largest boolean
    segments (``reports/as_of=…/segments.json``, beside the gate reports)."""
    from profilehub.feature_store import build_segment_index

    with build_segment_index(settings, as_of) as index:
        sizes = segment_sizes(index)
        folder = index.folder
    write_text_atomically(segments_report(settings, as_of),
                          json.dumps({"folder": str(folder), "sizes": sizes}, indent=1) + "\n")
    print(f"segment index {folder}: "
          + ", ".join(f"{name} {size:,}" for name, size in sizes.items()), flush=True)
    return sizes


def segments_report(settings: Settings, as_of: dt.date) -> Path:
    from profilehub.gates import report_folder

    return report_folder(settings, as_of) / "segments.json"


def segment_sizes(index: Any) -> dict[str, int]:
    """``customers`` of an index, then its largest boolean segments (largest first)."""
    booleans = sorted(((index.count(tag), tag) for tag, kind in index.kinds.items()
                       if kind.type == "boolean"), key=lambda item: (-item[0], item[1]))
    return {"customers": index.customer_count,
            **{tag: size for size, tag in booleans[:SHOWN_SEGMENTS]}}


def publish_as_of(settings: Settings, as_of: dt.date, run_id: str) -> Publication:
    from profilehub.publish import publish

    publication = publish(settings, as_of, run_id)
    print(f"published as_of {as_of} (run {run_id}): "
          + ("now served" if publication.served else "backfill, a newer as_of stays served"),
          flush=True)
    return publication


@dataclass(frozen=True)
class AsOfSummary:
    as_of: dt.date
    rows_in: int
    quarantined: int
    tag_rows: int
    tags_with_values: int
    segments: dict[str, int]

    def line(self) -> str:
        segments = ", ".join(f"{name} {size:,}" for name, size in self.segments.items())
        return (f"{self.as_of}  rows in {self.rows_in:,}, quarantined {self.quarantined:,}, "
                f"tags built {self.tag_rows:,} values of {self.tags_with_values} tags; "
                f"segments: {segments}")


def summarise(settings: Settings, as_of: dt.date) -> AsOfSummary:
    """The headline figures of a built as_of, from its reports (gates and segment index)."""
    from profilehub.gates import QUALITY, RECONCILIATION, read_report

    reconciled, quality = (read_report(settings, gate, as_of) for gate in (RECONCILIATION,
                                                                          QUALITY))
    segments = segments_report(settings, as_of)
    if reconciled is None or quality is None or not segments.exists():
        raise FileNotFoundError(f"as_of {as_of} has no reports: it was not built")
    return AsOfSummary(as_of, int(reconciled.figures["rows_in"]),
                       int(reconciled.figures["quarantined"]), int(quality.figures["tag_rows"]),
                       int(quality.figures["tags_with_values"]),
                       json.loads(segments.read_text(encoding="utf-8"))["sizes"])
