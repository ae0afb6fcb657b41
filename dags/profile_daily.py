"""profile_daily: one run per as_of (the run's logical date), from landing files to the profile
the API serves.

    ingest (one mapped task per source, wave after wave: a catalogue before what references it)
    -> reconciliation gate -> identity resolution -> Spark features
    -> dbt (astronomer-cosmos, model and test tasks from the precompiled manifest)
    -> data-quality gate (then the informational tag-quality report on generated data)
    -> Feast materialisation | segment index -> publish

Every task calls a stage of ``profilehub.daily``; this file only schedules them. A failed gate
fails the run before ``publish``, so users keep the previously published as_of. Publishing
switches ``published/published.json`` atomically and emits the assets of
``profilehub.publish`` for DAGs that train on the published profile.

Runs are one per day (``catchup``: a backfill over a date range creates one run per date),
one at a time: an as_of reads the lake and identity of the dates before it. Tasks that open the
Spark metastore share the ``spark_metastore`` pool (local Derby admits one process at a time;
prod's PostgreSQL metastore admits ``settings.airflow.spark_slots``).
Parsing this file reads the dbt manifest (``profilehub run`` writes it with ``dbt parse``) but
runs no dbt, Spark or Feast code.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airflow.sdk import Asset, CronDataIntervalTimetable, chain, dag, get_current_context, task
from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import (
    ExecutionMode,
    InvocationMode,
    LoadMode,
    TestBehavior,
    TestIndirectSelection,
)

from profilehub import daily
from profilehub.dbt_runner import (
    DAILY_BUILD_EXCLUDE,
    DBT_PROJECT_DIR,
    PROFILE_NAME,
    PROFILES_FILE,
    THRIFT_HOST_VAR,
    THRIFT_PORT_VAR,
)
from profilehub.publish import OFFLINE_FEATURES_ASSET, PUBLISHED_PROFILE_ASSET
from profilehub.settings import get_settings

SETTINGS = get_settings()
if not SETTINGS.paths.dbt_manifest.exists():
    raise FileNotFoundError(
        f"no dbt manifest at {SETTINGS.paths.dbt_manifest}: `profilehub run` writes it "
        "(profilehub.daily.write_dbt_manifest runs dbt parse)")

PUBLISHED_PROFILE = Asset(PUBLISHED_PROFILE_ASSET)
OFFLINE_FEATURES = Asset(OFFLINE_FEATURES_ASSET)

# Spark, dbt and Feast steps can fail for passing reasons (a lost executor, a metastore lock,
# a slow disk): retried with growing pauses. Gates are verdicts on data and never retried.
RETRIED = {"retries": 2, "retry_delay": timedelta(seconds=30),
           "retry_exponential_backoff": True, "max_retry_delay": timedelta(minutes=10)}
SPARK_JOB = {**RETRIED, "pool": daily.SPARK_POOL}


@task(**SPARK_JOB, execution_timeout=timedelta(minutes=30),
      map_index_template="{{ source }}")
def ingest_source(source: str, ds: str | None = None) -> list[dict]:
    get_current_context()["source"] = source
    return daily.ingest_source(get_settings(), source, daily.as_of_of(ds))


@task(retries=0, execution_timeout=timedelta(minutes=5))
def reconciliation_gate(ds: str | None = None, run_id: str | None = None) -> dict:
    from profilehub.gates import reconciliation_gate as judge

    return judge(get_settings(), daily.as_of_of(ds), run_id).figures


@task(**SPARK_JOB, execution_timeout=timedelta(minutes=45))
def resolve_identity(ds: str | None = None) -> str:
    return daily.resolve_identity(get_settings(), daily.as_of_of(ds))


@task(**SPARK_JOB, execution_timeout=timedelta(minutes=45))
def compute_features(ds: str | None = None) -> str:
    return daily.compute_features(get_settings(), daily.as_of_of(ds))


@task(retries=0, execution_timeout=timedelta(minutes=10))
def quality_gate(ds: str | None = None, run_id: str | None = None) -> dict:
    return daily.quality_gate(get_settings(), daily.as_of_of(ds), run_id)


@task(**RETRIED, execution_timeout=timedelta(minutes=30))
def materialise_feature_store(ds: str | None = None) -> str:
    return daily.materialise_feature_store(get_settings(), daily.as_of_of(ds))


@task(**RETRIED, execution_timeout=timedelta(minutes=30))
def build_segment_index(ds: str | None = None) -> dict[str, int]:
    return daily.build_segments(get_settings(), daily.as_of_of(ds))


@task(**RETRIED, execution_timeout=timedelta(minutes=5),
      outlets=[PUBLISHED_PROFILE, OFFLINE_FEATURES])
def publish(ds: str | None = None, run_id: str | None = None) -> dict:
    as_of = daily.as_of_of(ds)
    publication = daily.publish_as_of(get_settings(), as_of, run_id)
    events = get_current_context()["outlet_events"]
    for asset in (PUBLISHED_PROFILE, OFFLINE_FEATURES):
        events[asset].extra = {"as_of": as_of.isoformat(), "served": publication.served}
    return {"as_of": as_of.isoformat(), "served": publication.served}


def dbt_task_group() -> DbtTaskGroup:
    """The dbt models and their tests, one task each, rendered from the manifest.

    ``ExecutionMode.LOCAL`` with ``InvocationMode.DBT_RUNNER`` runs dbt inside the task's
    process: with the ``method: session`` target dbt-spark then uses the Spark session of that
    process (started by ``start_dbt_session``), whereas a dbt subprocess would start a second
    Spark driver on the same Derby metastore and fail to open it.
    """
    return DbtTaskGroup(
        group_id="dbt",
        project_config=ProjectConfig(manifest_path=SETTINGS.paths.dbt_manifest,
                                     project_name=PROFILE_NAME, install_dbt_deps=False),
        profile_config=ProfileConfig(profile_name=PROFILE_NAME,
                                     target_name=SETTINGS.spark.dbt_target,
                                     profiles_yml_filepath=PROFILES_FILE),
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.LOCAL, invocation_mode=InvocationMode.DBT_RUNNER,
            dbt_project_path=DBT_PROJECT_DIR,
            # A model's test task runs only the tests of that model alone; a test reading two
            # models (fct_customer_tags against dim_tag) is a task of its own after both.
            test_indirect_selection=TestIndirectSelection.CAUTIOUS),
        render_config=RenderConfig(load_method=LoadMode.DBT_MANIFEST,
                                   test_behavior=TestBehavior.AFTER_EACH,
                                   # Test tasks run data tests; unit tests are CI's.
                                   exclude=list(DAILY_BUILD_EXCLUDE),
                                   should_detach_multiple_parents_tests=True,
                                   # The run's assets are emitted once, by publish.
                                   emit_datasets=False),
        operator_args={
            **SPARK_JOB,
            "retries": 1,
            "execution_timeout": timedelta(minutes=20),
            "install_deps": False,
            # The marts build the run's as_of partition.
            "vars": {"as_of": "{{ ds }}"},
            # profiles.yml reads the Thrift address of the cluster target from these.
            "env": {THRIFT_HOST_VAR: SETTINGS.spark.thrift_host,
                    THRIFT_PORT_VAR: str(SETTINGS.spark.thrift_port)},
            "on_execute_callback": daily.start_dbt_session,
        },
    )


@dag(
    dag_id="profile_daily",
    # Logical date = the as_of at 00:00 UTC; the run starts once that day is over.
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=datetime.combine(SETTINGS.airflow.start_date, datetime.min.time(), UTC),
    catchup=True,
    max_active_runs=1,
    default_args={"owner": "profilehub", "execution_timeout": timedelta(hours=1)},
    dagrun_timeout=timedelta(hours=6),
    tags=["profilehub", "daily"],
    doc_md=__doc__,
)
def profile_daily() -> None:
    waves = [ingest_source.override(task_id=f"ingest_wave_{number}").expand(source=sources)
             for number, sources in enumerate(daily.ingest_waves())]
    marts = dbt_task_group()
    chain(*waves, reconciliation_gate(), resolve_identity(), compute_features(), marts,
          quality_gate(), [materialise_feature_store(), build_segment_index()], publish())


profile_daily()
