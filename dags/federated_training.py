"""federated_training: partner institutions train churn and panic-sell models on the published
profile without moving their data.

    prepare partner partitions -> per model: run the Flower federation (SecAgg+) and register
    the model -> batch-score every customer into the feature store and score tags

Runs when ``profile_daily`` publishes an as_of (the ``published profile`` asset), for that
as_of; ``airflow dags test federated_training YYYY-MM-DD`` runs it for a given date. Every task
calls ``federated.pipeline``; this file only schedules them. The federations of the two models
run one after the other (the ``flower_federation`` pool): they share the SuperLink's ports.
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


@task
def models() -> list[str]:
    """The models the federation trains (``federated.task.LABELS``), read when the run starts
    so that parsing this file imports nothing of the Flower app."""
    from federated.task import LABELS

    return list(LABELS)


@task(**RETRIED, pool=FEDERATION_POOL, execution_timeout=timedelta(minutes=45),
      map_index_template="{{ model }}")
def train_model(model: str, partitions: dict) -> dict:
    from federated.partition_files import PartitionManifest
    from federated.pipeline import train
    from federated.run_config import RunConfig
    from profilehub.settings import get_settings

    get_current_context()["model"] = model
    manifest = PartitionManifest.read(partitions["folder"])
    trained = train(get_settings(), manifest, RunConfig(model=model))
    print(trained.summary(), flush=True)
    return {"model": model, "version": trained.model.version, "as_of": partitions["as_of"]}


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
    partitions = prepare_partitions()
    trained = train_model.partial(partitions=partitions).expand(model=models())
    score_customers.expand(trained=trained)


federated_training()
