"""profile_daily parses cleanly and quickly into the expected task graph (no JVM, no run).

The DAG folder is parsed by Airflow's DagBag in a fresh interpreter (``dagbag_probe.py``),
beside a trivial DAG file parsed the same way, so the parse cost is judged relative to what
any DAG file costs on this machine at this moment, not against a wall-clock bound.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from dag_checks import DAGS_FOLDER, probe_dag_folder

from profilehub.contracts import CONTRACTS
from profilehub.daily import SPARK_POOL
from profilehub.dbt_runner import DAILY_BUILD_EXCLUDE
from profilehub.publish import PUBLISHED_ASSETS
from profilehub.settings import Settings

DAG_ID = "profile_daily"
TRIVIAL_DAG = '''
from airflow.sdk import dag, task


@dag(schedule=None)
def trivial():
    @task
    def hello() -> str:
        return "hello"

    hello()


trivial()
'''
# profile_daily renders ~60 tasks from a ~270-node dbt manifest (cosmos); a trivial DAG one.
# Rendering dbt with `dbt ls` instead of the manifest, or importing Spark, dbt or Feast at
# module scope, costs tens of seconds and lands far beyond this multiple.
MAX_PARSE_RATIO = 20
STAGES = ("reconciliation_gate", "resolve_identity", "compute_features", "quality_gate",
          "materialise_feature_store", "build_segment_index", "publish")
MARTS = ("dim_customer_profile", "fct_customer_tags", "dim_tag")


@pytest.fixture(scope="session")
def parsed(dag_settings: Settings, dbt_manifest: Path) -> dict:
    return probe_dag_folder(dag_settings, DAGS_FOLDER)


@pytest.fixture(scope="session")
def trivial_parsed(dag_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("trivial-dags")
    (folder / "trivial_dag.py").write_text(TRIVIAL_DAG)
    return probe_dag_folder(dag_settings, folder)


@pytest.fixture(scope="session")
def tasks(parsed: dict) -> dict[str, dict]:
    return parsed["dags"][DAG_ID]["tasks"]


def ancestors(tasks: dict[str, dict], task_id: str) -> set[str]:
    found: set[str] = set()
    pending = list(tasks[task_id]["upstream"])
    while pending:
        upstream = pending.pop()
        if upstream not in found:
            found.add(upstream)
            pending.extend(tasks[upstream]["upstream"])
    return found


def test_dag_folder_imports_without_errors(parsed: dict):
    assert parsed["import_errors"] == {}
    assert sorted(parsed["dags"]) == ["federated_training", DAG_ID]


def test_parsing_imports_no_spark_dbt_or_feast(parsed: dict):
    assert parsed["heavy_modules"] == []


def test_dag_file_parses_within_a_small_multiple_of_a_trivial_dag(parsed: dict,
                                                                  trivial_parsed: dict):
    ratio = parsed["seconds"] / trivial_parsed["seconds"]
    print(f"parse: {DAG_ID} {parsed['seconds']:.2f}s, trivial DAG "
          f"{trivial_parsed['seconds']:.2f}s, ratio {ratio:.1f}")
    assert trivial_parsed["import_errors"] == {}
    assert ratio < MAX_PARSE_RATIO


def test_ingest_is_one_mapped_task_per_wave_each_source_after_what_it_references(tasks):
    waves = sorted(task_id for task_id in tasks if task_id.startswith("ingest_wave_"))
    mapped = [tasks[wave]["mapped_over"]["source"] for wave in waves]
    assert sorted(name for wave in mapped for name in wave) == sorted(c.name for c in CONTRACTS)
    wave_of = {name: number for number, wave in enumerate(mapped) for name in wave}
    for contract in CONTRACTS:
        for column in contract.columns:
            if column.references:
                assert wave_of[column.references[0]] < wave_of[contract.name], contract.name
    assert mapped[-1] == ["wealth_holdings", "wealth_transactions"]
    for earlier, later in itertools.pairwise(waves):
        assert tasks[later]["upstream"] == [earlier]
    assert tasks[waves[0]]["upstream"] == []


def test_stages_run_in_order_and_publish_comes_last(tasks):
    assert tasks["reconciliation_gate"]["upstream"] == ["ingest_wave_1"]
    assert tasks["resolve_identity"]["upstream"] == ["reconciliation_gate"]
    assert tasks["compute_features"]["upstream"] == ["resolve_identity"]
    dbt_tasks = {task_id for task_id in tasks if task_id.startswith("dbt.")}
    assert all("compute_features" in ancestors(tasks, task_id) for task_id in dbt_tasks)
    assert dbt_tasks <= ancestors(tasks, "quality_gate")
    assert tasks["materialise_feature_store"]["upstream"] == ["quality_gate"]
    assert tasks["build_segment_index"]["upstream"] == ["quality_gate"]
    assert tasks["publish"]["upstream"] == ["build_segment_index", "materialise_feature_store"]
    assert ancestors(tasks, "publish") == set(tasks) - {"publish"}


def test_dbt_models_and_tests_are_tasks_that_build_the_run_date(tasks, dbt_manifest: Path):
    manifest = json.loads(dbt_manifest.read_text())
    models = [node["name"] for node in manifest["nodes"].values()
              if node["resource_type"] == "model"]
    for model in models:
        assert f"dbt.{model}.run" in tasks or f"dbt.{model}_run" in tasks, model
    for mart in MARTS:
        run, test = tasks[f"dbt.{mart}.run"], tasks[f"dbt.{mart}.test"]
        assert run["command"] == ["run"] and test["command"] == ["test"]
        assert test["upstream"] == [f"dbt.{mart}.run"]
        assert run["vars"] == {"as_of": "{{ ds }}"} == test["vars"]
    # A test of two models runs once both are built, not with either model's own tests.
    assert {"dbt.fct_customer_tags.test", "dbt.dim_tag.test"} <= set(
        tasks["dbt.tag_values_in_catalog_fct_customer_tags_ref_dim_tag__test"]
        ["upstream"])
    test_tasks = [tasks[task_id] for task_id in tasks if task_id.endswith("test")]
    assert {task["indirect_selection"] for task in test_tasks} == {"cautious"}
    # Unit tests run in CI (tests/dbt), not in every daily run.
    for task in test_tasks:
        assert set(DAILY_BUILD_EXCLUDE) <= set(task["exclude"].split()), task


def test_spark_tasks_share_one_pool_and_gates_are_verdicts_not_retried(tasks):
    spark_tasks = [task_id for task_id in tasks if task_id.startswith(("ingest_wave_", "dbt."))]
    spark_tasks += ["resolve_identity", "compute_features"]
    assert {tasks[task_id]["pool"] for task_id in spark_tasks} == {SPARK_POOL}
    others = set(tasks) - set(spark_tasks)
    assert SPARK_POOL not in {tasks[task_id]["pool"] for task_id in others}
    assert tasks["reconciliation_gate"]["retries"] == tasks["quality_gate"]["retries"] == 0
    assert all(tasks[task_id]["retries"] > 0 for task_id in spark_tasks)
    assert all(task["timeout_seconds"] for task in tasks.values())


def test_only_publish_emits_the_published_assets(tasks):
    assert tasks["publish"]["outlets"] == sorted(PUBLISHED_ASSETS)
    assert [task_id for task_id, task in tasks.items() if task["outlets"]] == ["publish"]


def test_one_run_per_day_from_the_first_as_of_one_at_a_time(parsed: dict,
                                                            dag_settings: Settings):
    dag = parsed["dags"][DAG_ID]
    assert dag["timetable"] == "CronDataIntervalTimetable" and dag["cron"] == "0 0 * * *"
    assert dag["catchup"] is True and dag["max_active_runs"] == 1
    assert dag["start_date"].startswith(dag_settings.airflow.start_date.isoformat())
    assert set(STAGES) <= set(dag["tasks"])
