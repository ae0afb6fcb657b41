"""The Feast view of one federated model's scores (definitions in ``features/model_scores.py``).

One view per model, ``<model>_model_score``, with the score and the registered model version
that produced it (provenance travels with every value), over the Parquet snapshots batch scoring
writes per as_of under the feature store's data folder.
"""

from __future__ import annotations

from datetime import timedelta

from feast import Entity, FeatureView, Field, FileSource
from feast.data_format import ParquetFormat
from feast.types import Float64, String

from profilehub.feature_store.views import EVENT_TIMESTAMP, SNAPSHOTS_DIR

SCORES_SNAPSHOT = "model_scores"
# Scores are rebuilt with the profile; a week-old score is not served.
SCORE_TTL = timedelta(days=7)


def view_name(model: str) -> str:
    return f"{model}_model_score"


def score_field(model: str) -> str:
    return f"{model}_score"


def version_field(model: str) -> str:
    return f"{model}_model_version"


def snapshot_path(model: str) -> str:
    """The model's snapshot folder, relative to the feature store's data folder."""
    return f"{SNAPSHOTS_DIR}/{SCORES_SNAPSHOT}/{model}"


def model_score_view(model: str, customer: Entity) -> FeatureView:
    source = FileSource(name=f"{SCORES_SNAPSHOT}_{model}", path=snapshot_path(model),
                        file_format=ParquetFormat(), timestamp_field=EVENT_TIMESTAMP,
                        description=f"Batch scores of the federated {model} model.")
    return FeatureView(
        name=view_name(model), entities=[customer], source=source, ttl=SCORE_TTL, online=True,
        schema=[Field(name=score_field(model), dtype=Float64,
                      description=f"Probability from the federated {model} model."),
                Field(name=version_field(model), dtype=String,
                      description="The registered model that produced the score (model@vN).")],
        description=f"Scores of the federated {model} model, with the model version.",
        tags={"model": model, "produced_by": "federated.scoring"})
