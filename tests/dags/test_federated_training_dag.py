"""federated_training parses into the expected task graph and follows the published profile
(no run here: the federation itself is tested in tests/federated)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dag_checks import DAGS_FOLDER, probe_dag_folder

from profilehub.daily import FEDERATION_POOL
from profilehub.settings import Settings

DAG_ID = "federated_training"


@pytest.fixture(scope="module")
def dag(dag_settings: Settings, dbt_manifest: Path) -> dict:
    parsed = probe_dag_folder(dag_settings, DAGS_FOLDER)
    assert parsed["import_errors"] == {}
    return parsed["dags"][DAG_ID]


def test_it_runs_when_a_profile_is_published_one_run_at_a_time(dag: dict):
    assert dag["timetable"] == "AssetTriggeredTimetable"
    assert dag["catchup"] is False and dag["max_active_runs"] == 1


def test_partitions_then_one_federation_for_every_model_then_scores_per_model(dag: dict):
    tasks = dag["tasks"]
    assert set(tasks) == {"prepare_partitions", "train_models", "score_customers"}
    assert tasks["prepare_partitions"]["upstream"] == []
    assert tasks["train_models"]["upstream"] == ["prepare_partitions"]
    assert tasks["score_customers"]["upstream"] == ["train_models"]
    assert tasks["score_customers"]["mapped_over"] == {"trained": "xcom:train_models"}


def test_federations_share_one_pool_and_every_step_has_a_timeout(dag: dict):
    tasks = dag["tasks"]
    assert tasks["train_models"]["pool"] == FEDERATION_POOL
    assert {tasks[name]["pool"] for name in ("prepare_partitions", "score_customers")} \
        == {"default_pool"}
    assert all(tasks[name]["timeout_seconds"] and tasks[name]["retries"] > 0
               for name in ("prepare_partitions", "train_models", "score_customers"))
