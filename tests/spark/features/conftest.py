"""Fixtures of the feature-job tests: the hand-made lake (``features_lake``) and the feature
tables both engines build from it, each built once per test session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from features_lake import (
    AS_OF,
    LATER,
    CustomerRows,
    by_customer,
    read_feature_partition,
    register_handmade_lake,
    write_handmade_lake,
)

from profilehub.settings import Settings
from spark.features.job import QUALIFIED_TABLE


@dataclass(frozen=True)
class HandmadeLake:
    root: Path
    partitions: dict[str, set[dt.date]]


@pytest.fixture(scope="session")
def handmade_lake(tmp_path_factory: pytest.TempPathFactory) -> HandmadeLake:
    root = tmp_path_factory.mktemp("features-lake") / "lake"
    return HandmadeLake(root, write_handmade_lake(root))


@pytest.fixture(scope="session")
def spark_lake(spark, spark_settings: Settings) -> Settings:
    """The session's shared lake with the hand-made rows added (their own dates and ids)."""
    register_handmade_lake(spark, spark_settings)
    return spark_settings


@pytest.fixture(scope="session")
def duckdb_features(handmade_lake: HandmadeLake) -> dict[dt.date, CustomerRows]:
    from spark.features import build_features_duckdb

    return {day: by_customer(build_features_duckdb(handmade_lake.root, day).to_pylist())
            for day in (AS_OF, LATER)}


@dataclass(frozen=True)
class SparkBuilds:
    """Three builds on Spark — as_of, a later date, as_of again — and what they left."""

    results: tuple  # FeatureResult of each build, in that order
    first_rows: CustomerRows  # as_of right after its first build
    rows: dict[dt.date, CustomerRows]  # both dates after the rebuild
    schema: list[tuple[str, str]]  # lake.customer_features (column, type)


@pytest.fixture(scope="session")
def spark_features(spark, spark_lake: Settings) -> SparkBuilds:
    from spark.features import build_features

    first = build_features(spark_lake, AS_OF)
    first_rows = read_feature_partition(spark, AS_OF)
    later = build_features(spark_lake, LATER)
    rebuilt = build_features(spark_lake, AS_OF)
    schema = [(f.name, f.dataType.simpleString()) for f in spark.table(QUALIFIED_TABLE).schema]
    return SparkBuilds((first, later, rebuilt), first_rows,
                       {day: read_feature_partition(spark, day) for day in (AS_OF, LATER)},
                       schema)
