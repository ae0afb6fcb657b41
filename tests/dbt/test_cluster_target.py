"""dbt's ``cluster`` target for real: ``dbt build`` through a Spark Thrift server.

The prod shape on one machine: the metastore lives in PostgreSQL (a database of this test's
own), this process's Spark session writes the tiny lake (``support.tiny_lake``) into it, and
``profilehub thrift-server`` runs in a JVM of its own on the same settings. dbt talks to the
server over Thrift (PyHive), and this process reads the marts it built while the server still
holds the metastore: the two JVMs share it, which embedded Derby would refuse.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.services import free_port, scratch_database
from support.tiny_lake import (
    CUSTOMERS,
    D1,
    D2,
    HNW,
    MARTS,
    catalog_values,
    customer_tags,
    dbt_ok,
    feature_row,
    write_consent_events,
    write_feature_tables,
)

from profilehub.catalog import dbt_tags, load_tags
from profilehub.settings import REPO_ROOT, Settings, load_settings

pytestmark = pytest.mark.slow

SERVER_START_SECONDS = 180


def _listening(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, port)) == 0


@contextmanager
def thrift_server(settings: Settings, log: Path) -> Iterator[subprocess.Popen]:
    """``profilehub thrift-server`` on these settings, from listening until the test ends."""
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "profilehub.cli", "thrift-server"],
                                  cwd=REPO_ROOT, env={**os.environ, **settings._environ},
                                  stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + SERVER_START_SECONDS
            while not _listening(settings.spark.thrift_host, settings.spark.thrift_port):
                assert server.poll() is None, f"the Thrift server exited: {log.read_text()}"
                assert time.monotonic() < deadline, (
                    f"no Thrift server after {SERVER_START_SECONDS} s: {log.read_text()}")
                time.sleep(1)
            yield server
        finally:
            server.terminate()
            server.wait(timeout=60)


@dataclass
class ClusterBuild:
    settings: Settings
    spark: object
    result: object


@pytest.fixture(scope="module")
def cluster_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClusterBuild]:
    from spark.session import spark_session

    root = tmp_path_factory.mktemp("data")
    with scratch_database("metastore_test") as database:
        settings = load_settings({
            "PROFILEHUB_DATA_ROOT": str(root),
            "PROFILEHUB_SPARK_METASTORE_URL":
                f"jdbc:postgresql://127.0.0.1:5432/{database}?user=postgres",
            "PROFILEHUB_SPARK_DBT_TARGET": "cluster",
            "PROFILEHUB_SPARK_THRIFT_PORT": str(free_port()),
            "PROFILEHUB_SPARK_DRIVER_MEMORY": "1g",
            "PROFILEHUB_SPARK_SHUFFLE_PARTITIONS": "2"})
        spark = spark_session(settings, "test-dbt-cluster")
        try:
            write_feature_tables(spark, settings)
            write_consent_events(spark)
            log = root / "thrift-server.log"
            with thrift_server(settings, log):
                dbt_ok(settings, "run", "--select", "stg_consent_center__consent_events")
                dbt_ok(settings, "run", "--select", "intermediate+", "marts", as_of=D1)
                result = dbt_ok(settings, "build", "--select", "intermediate+", "marts+",
                                "source:profilehub_spark", as_of=D2)
                yield ClusterBuild(settings, spark, result)
        finally:
            spark.stop()


def test_dbt_builds_marts_through_the_thrift_server(cluster_build: ClusterBuild):
    kinds = [r.node.resource_type for r in cluster_build.result.result]
    built = {r.node.name for r in cluster_build.result.result if r.node.resource_type == "model"}
    assert set(MARTS) <= built and kinds.count("model") == 1 + 9 + len(MARTS)
    assert kinds.count("unit_test") >= 8 and kinds.count("test") >= 15
    # What dbt's connection answers to is the Thrift server: it counts the mart's rows too.
    from pyhive import hive

    spark_settings = cluster_build.settings.spark
    with hive.connect(host=spark_settings.thrift_host, port=spark_settings.thrift_port,
                      username="test") as connection:
        cursor = connection.cursor()
        cursor.execute(f"SELECT count(*) FROM profilehub.fct_customer_tags WHERE as_of = "
                       f"date'{D2}'")
        served = cursor.fetchone()[0]
    here = (cluster_build.spark.table("profilehub.fct_customer_tags")
            .where(f"as_of = date'{D2}'").count())
    assert served == here > len(CUSTOMERS) * 100


def test_this_process_reads_what_the_server_built_while_it_runs(cluster_build: ClusterBuild):
    spark = cluster_build.spark
    for day in (D1, D2):
        profile = spark.table("profilehub.dim_customer_profile").where(f"as_of = date'{day}'")
        assert profile.count() == len(CUSTOMERS)
        catalog = spark.table("profilehub.dim_tag").where(f"as_of = date'{day}'")
        assert catalog.count() == len(dbt_tags(load_tags()))


def test_known_customer_has_exactly_the_catalog_values(cluster_build: ClusterBuild):
    tags = dbt_tags(load_tags())
    # HNW's only consent (ecom_mall, marketing) is active on D2.
    published = {tag.id for tag in tags
                 if not tag.partners or (tag.partners == ("ecom_mall",)
                                         and "marketing" in tag.purposes)}
    expected = {tag_id: value
                for tag_id, value in catalog_values(feature_row(HNW, D2), tags).items()
                if tag_id in published and value is not None}
    actual = customer_tags(cluster_build.spark, HNW, D2)
    assert {tag_id: value for tag_id, (value, _) in actual.items()} == expected
    assert actual["asset_tier"][0] == "hnw"
