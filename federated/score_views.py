"""The Feast view of one federated model's scores (definitions in ``features/model_scores.py``),
and how to read them back with their provenance.

Each model's score is a tag of the catalog (``profilehub/catalog/tags/model_scores.yml``,
``source: model:<name>``): its id names the view, its names, sensitivity and purposes describe
the score field. The view holds the score and the registered model version that produced it
(``model@vN``: provenance travels with every value), over the Parquet snapshots batch scoring
writes per as_of under the feature store's data folder; each row's event timestamp is the
instant its as_of was complete, so a read names the as_of a score was made for. The scores live
in a Feast project of their own, ``<project>_model_scores`` (``features/model_scores.py`` says
why).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from feast import Entity, FeatureStore, FeatureView, Field, FileSource
from feast.data_format import ParquetFormat
from feast.online_response import TIMESTAMP_POSTFIX
from feast.types import String

from profilehub.catalog import Tag, load_tags, model_score_tags
from profilehub.feature_store.marts import as_of_completed_at
from profilehub.feature_store.views import ENTITY_KEY, EVENT_TIMESTAMP, SNAPSHOTS_DIR, tag_field
from profilehub.settings import FeastSettings, Settings

SCORES_SNAPSHOT = "model_scores"
SCORES_PROJECT_SUFFIX = "_model_scores"
# Scores are rebuilt with the profile; a week-old score is not served.
SCORE_TTL = timedelta(days=7)


@cache
def score_tags() -> dict[str, Tag]:
    """The catalog's model-score tags, by model name."""
    return model_score_tags(load_tags())


def score_tag(model: str) -> Tag:
    """The catalog entry of ``model``'s score; a model without one cannot be scored."""
    try:
        return score_tags()[model]
    except KeyError:
        raise KeyError(f"model {model!r} has no score tag in the catalog: add one with "
                       f"source model:{model} to profilehub/catalog/tags/model_scores.yml"
                       ) from None


def view_name(model: str) -> str:
    """The model's view: its catalog tag id (``<model>_model_score``)."""
    return score_tag(model).id


def score_field(model: str) -> str:
    return f"{model}_score"


def version_field(model: str) -> str:
    return f"{model}_model_version"


def snapshot_path(model: str) -> str:
    """The model's snapshot folder, relative to the feature store's data folder."""
    return f"{SNAPSHOTS_DIR}/{SCORES_SNAPSHOT}/{model}"


def scores_settings(settings: Settings) -> Settings:
    """The settings' feature store, with the model-score project."""
    project = settings.feast.project + SCORES_PROJECT_SUFFIX
    return dataclasses.replace(settings, feast=FeastSettings(project=project))


def model_score_view(model: str, customer: Entity) -> FeatureView:
    tag = score_tag(model)
    source = FileSource(name=f"{SCORES_SNAPSHOT}_{model}", path=snapshot_path(model),
                        file_format=ParquetFormat(), timestamp_field=EVENT_TIMESTAMP,
                        description=f"Batch scores of the federated {model} model.")
    return FeatureView(
        name=tag.id, entities=[customer], source=source, ttl=SCORE_TTL, online=True,
        schema=[tag_field(tag, score_field(model)),
                Field(name=version_field(model), dtype=String,
                      description="The registered model that produced the score (model@vN).")],
        description=f"{tag.name_en} / {tag.name_zh}: {tag.definition}",
        tags={"model": model, "produced_by": "federated.scoring", "family": tag.family,
              "source": tag.source})


@dataclass(frozen=True)
class OnlineScore:
    """One customer's served score of one model, with where it came from."""

    customer_key: str
    model: str
    score: float
    # The registered model that produced it (``model@vN``).
    model_version: str
    # The as_of of the data it was scored on.
    as_of: dt.date


def scored_models(store: FeatureStore, models: Sequence[str]) -> list[str]:
    """Those of ``models`` whose view the model-score project's ``store`` has: a model never
    scored (or a project never applied) has none. Reads the registry through its cache."""
    names = {view.name for view in store.list_feature_views(allow_cache=True)}
    return [model for model in models if view_name(model) in names]


def online_scores(store: FeatureStore, models: Sequence[str], keys: Sequence[str]
                  ) -> list[OnlineScore]:
    """The online scores of ``keys`` by ``models`` from the model-score project's ``store``, in
    one read: by key, then model, in the order given; what was never scored is left out."""
    models = scored_models(store, models)
    if not keys or not models:
        return []
    features = [f"{view_name(model)}:{field}" for model in models
                for field in (score_field(model), version_field(model))]
    response = store.get_online_features(
        features=features, entity_rows=[{ENTITY_KEY: key} for key in keys]
    ).to_dict(include_event_timestamps=True)
    found = []
    for row, key in enumerate(keys):
        for model in models:
            score, version = score_field(model), version_field(model)
            value, name = response[score][row], response[version][row]
            if value is None or name is None:
                continue
            scored_at = dt.datetime.fromtimestamp(response[score + TIMESTAMP_POSTFIX][row],
                                                  dt.UTC)
            found.append(OnlineScore(key, model, float(value), name,
                                     as_of_completed_at(scored_at)))
    return found
