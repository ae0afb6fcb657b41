"""The tag catalog: features the Spark jobs compute and the tags dbt derives from them."""

from profilehub.catalog.features import (
    FEATURES_FILE,
    CatalogError,
    Feature,
    FeatureSpec,
    load_feature_spec,
    load_features,
)

__all__ = [
    "FEATURES_FILE",
    "CatalogError",
    "Feature",
    "FeatureSpec",
    "load_feature_spec",
    "load_features",
]
