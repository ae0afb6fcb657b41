"""The tag catalog: features the Spark jobs compute and the tags dbt derives from them.

``load_features()`` reads ``features.yml`` (the feature table's columns and exact definitions);
``load_tags()`` reads ``tags/<family>.yml`` and validates every tag against the features. The
consent rule for partner-derived tags is written down in ``profilehub.catalog.model``.
"""

from profilehub.catalog.features import (
    FEATURES_FILE,
    CatalogError,
    Feature,
    FeatureSpec,
    load_feature_spec,
    load_features,
)
from profilehub.catalog.model import (
    FAMILIES,
    PARTNER_DERIVED,
    SENSITIVITIES,
    TAG_TYPES,
    TAGS_DIR,
    ScoreComponent,
    Tag,
    load_tags,
    to_sql_select,
)
from profilehub.catalog.render import dbt_macro_sql, tag_catalog_document, tags_markdown

__all__ = [
    "FAMILIES",
    "FEATURES_FILE",
    "PARTNER_DERIVED",
    "SENSITIVITIES",
    "TAGS_DIR",
    "TAG_TYPES",
    "CatalogError",
    "Feature",
    "FeatureSpec",
    "ScoreComponent",
    "Tag",
    "dbt_macro_sql",
    "load_feature_spec",
    "load_features",
    "load_tags",
    "tag_catalog_document",
    "tags_markdown",
    "to_sql_select",
]
