"""A private data root for the DAG tests, and its dbt manifest."""

from __future__ import annotations

from pathlib import Path

import pytest

from profilehub.settings import PII_HMAC_KEY_SECRET, Settings, load_settings

TEST_PII_KEY = "test-key-0123456789abcdef"


@pytest.fixture(scope="session")
def dag_environ(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The settings environment of the DAG tests (a test may add to it, as prod would)."""
    return {
        "PROFILEHUB_DATA_ROOT": str(tmp_path_factory.mktemp("airflow-data")),
        "PROFILEHUB_SPARK_DRIVER_MEMORY": "1g",
        "PROFILEHUB_SPARK_SHUFFLE_PARTITIONS": "2",
        PII_HMAC_KEY_SECRET: TEST_PII_KEY,
    }


@pytest.fixture(scope="session")
def dag_settings(dag_environ: dict[str, str]) -> Settings:
    return load_settings(dag_environ)


@pytest.fixture(scope="session")
def dbt_manifest(dag_settings: Settings) -> Path:
    """The manifest the DAG renders its dbt tasks from (``dbt parse``: no JVM)."""
    from profilehub.daily import write_dbt_manifest

    return write_dbt_manifest(dag_settings)

