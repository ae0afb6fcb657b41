"""The tag catalog: features the Spark jobs compute and the tags dbt derives from them.

``load_features()`` reads ``features.yml`` (the feature table's columns and exact definitions);
``load_tags()`` reads ``tags/<family>.yml`` and validates every tag against the features. The
consent rule for partner-derived tags is written down in ``profilehub.catalog.model``, and so is
the one family dbt does not compute: the federated models' scores (``dbt_tags`` filters them
out, ``model_score_tags`` finds them by model).
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
    DBT_FAMILIES,
    FAMILIES,
    MODEL_SCORE_FAMILY,
    PARTNER_DERIVED,
    SENSITIVITIES,
    TAG_TYPES,
    TAGS_DIR,
    ScoreComponent,
    Tag,
    dbt_tags,
    load_tags,
    model_score_tags,
    to_sql_select,
)
from profilehub.catalog.render import dbt_macro_sql, tag_catalog_document, tags_markdown

__all__ = [
    "DBT_FAMILIES",
    "FAMILIES",
    "FEATURES_FILE",
    "MODEL_SCORE_FAMILY",
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
    "dbt_tags",
    "load_feature_spec",
    "load_features",
    "load_tags",
    "model_score_tags",
    "tag_catalog_document",
    "tags_markdown",
    "to_sql_select",
]
