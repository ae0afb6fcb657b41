"""federated_training: partner institutions train churn and panic-sell models on the published
profile without moving their data.

    prepare partner partitions -> one Flower federation (SecAgg+) trains every model, their
    runs side by side, and registers them -> per model: batch-score every customer into the
    feature store and score tags

Runs when ``profile_daily`` publishes an as_of (the ``published profile`` asset), for that
as_of; ``airflow dags test federated_training YYYY-MM-DD`` runs it for a given date. Every task
calls ``federated.pipeline``; this file only schedules them. Federations run one at a time (the
``flower_federation`` pool): they share the SuperLink's ports. The models train in one
federation because a SecAgg+ round is mostly polling: two runs side by side take little longer
than one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airflow.sdk import Asset, dag, get_current_context, task

from profilehub.daily import FEDERATION_POOL, as_of_of
from profilehub.publish import PUBLISHED_PROFILE_ASSET

PUBLISHED_PROFILE = Asset(PUBLISHED_PROFILE_ASSET)
# A federation can fail for passing reasons (a port still held, a SuperNode slow to start).
RETRIED = {"retries": 1, "retry_delay": timedelta(seconds=30),
           "retry_exponential_backoff": True}


def _as_of() -> str:
    """The as_of of this run: the published asset's, else the run's logical date."""
    context = get_current_context()
    for events in (context.get("triggering_asset_events") or {}).values():
        for event in events:
            if event.extra.get("as_of"):
                return event.extra["as_of"]
    return as_of_of(context.get("ds")).isoformat()


@task(**RETRIED, execution_timeout=timedelta(minutes=15))
def prepare_partitions() -> dict:
    from federated.pipeline import prepare
    from profilehub.settings import get_settings

    as_of = _as_of()
    manifest = prepare(get_settings(), as_of_of(as_of))
    return {"as_of": as_of, "folder": str(manifest.folder),
            "partners": manifest.num_partitions}


@task(**RETRIED, pool=FEDERATION_POOL, execution_timeout=timedelta(minutes=45))
def train_models(partitions: dict) -> list[dict]:
    """Every model of the app (``federated.task.LABELS``), trained in one federation."""
    from federated.partition_files import PartitionManifest
    from federated.pipeline import train_together
    from federated.run_config import RunConfig
    from federated.task import LABELS
    from profilehub.settings import get_settings

    manifest = PartitionManifest.read(partitions["folder"])
    trained = train_together(get_settings(), manifest, [RunConfig(model=m) for m in LABELS])
    for model in trained:
        print(model.summary(), flush=True)
    return [{"model": model.model.model, "version": model.model.version,
             "as_of": partitions["as_of"]} for model in trained]


@task(**RETRIED, execution_timeout=timedelta(minutes=20), map_index_template="{{ model }}")
def score_customers(trained: dict) -> dict:
    from federated.pipeline import score
    from profilehub.settings import get_settings

    get_current_context()["model"] = trained["model"]
    report = score(get_settings(), trained["model"], as_of_of(trained["as_of"]),
                   version=trained["version"])
    print(report.summary(), flush=True)
    return {**trained, "scored": report.customers}


@dag(
    dag_id="federated_training",
    schedule=[PUBLISHED_PROFILE],
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "profilehub"},
    dagrun_timeout=timedelta(hours=3),
    tags=["profilehub", "federated"],
    doc_md=__doc__,
)
def federated_training() -> None:
    score_customers.expand(trained=train_models(prepare_partitions()))


federated_training()
