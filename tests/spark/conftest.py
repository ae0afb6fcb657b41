"""One SparkSession for the whole test session, on a private data root (tiny data, 1 GB)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from profilehub.settings import PII_HMAC_KEY_SECRET, Settings, load_settings

TEST_PII_KEY = "test-key-0123456789abcdef"


@pytest.fixture(scope="session")
def spark_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("spark-data")
    return load_settings({
        "PROFILEHUB_DATA_ROOT": str(root),
        "PROFILEHUB_SPARK_DRIVER_MEMORY": "1g",
        "PROFILEHUB_SPARK_SHUFFLE_PARTITIONS": "2",
        PII_HMAC_KEY_SECRET: TEST_PII_KEY,
    })


@pytest.fixture(scope="session")
def spark(spark_settings: Settings) -> Iterator[object]:
    from spark.session import spark_session

    session = spark_session(spark_settings, "profilehub-tests")
    yield session
    session.stop()
