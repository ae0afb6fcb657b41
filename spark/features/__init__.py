"""Feature jobs: every feature of ``profilehub/catalog/features.yml`` as SQL, per as_of.

``build_features(settings, as_of)`` runs the feature SQL on Spark and replaces the ``as_of``
partition of ``lake.customer_features`` (customer_key, one column per feature with its declared
type, as_of). ``build_features_duckdb(lake_root, as_of)`` runs the very same SQL text on DuckDB
over the same Parquet files and returns the table as Arrow: the benchmark's reference and the
parity tests' second engine. ``profilehub features --as-of DATE`` runs the Spark build.

The SQL lives in ``sql/`` (one template per feature group plus the shared views in
``sql/shared/``); ``plan`` orders it, ``render`` adapts the few functions the engines spell
differently.
"""

from spark.features.duck import build_features_duckdb
from spark.features.job import FeatureResult, build_features
from spark.features.plan import FEATURE_TABLE, MissingIdentityError
from spark.features.render import render

__all__ = [
    "FEATURE_TABLE",
    "FeatureResult",
    "MissingIdentityError",
    "build_features",
    "build_features_duckdb",
    "render",
]
