"""Batch scoring: a registered model's scores into the feature store and as score tags.

Every customer of an as_of is encoded with the model's own feature encoding and scored. The
scores go

- to the feature store: the model's Parquet snapshot (offline, one partition per as_of) and the
  online store, in the Feast project of model scores (``features/model_scores.py`` says why it
  is a project of its own), so the next online read serves them;
- to score-tag rows shaped like ``fct_customer_tags`` (``tag_id``, ``family`` and
  ``tag_version`` of the model's catalog tag, ``profilehub/catalog/tags/model_scores.yml``; the
  value as a four-decimal text) under ``<data>/federated/score_tags``, for the catalog's
  consumers.

Every value carries the model version (``model@vN``) that produced it: the view's version field
online, the ``model_version`` column of the score-tag rows.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
from feast import FeatureStore, FeatureView

from federated.encoding import EncodingSpec
from federated.layout import score_tags_dir
from federated.registry import RegisteredModel
from federated.score_views import (
    SCORES_PROJECT_SUFFIX,
    online_scores,
    score_field,
    score_tag,
    scores_settings,
    snapshot_path,
    version_field,
    view_name,
)
from federated.task import KEY_COLUMN, scores
from profilehub.feature_store.config import FEATURE_REPO, get_store
from profilehub.feature_store.marts import as_of_complete_at
from profilehub.feature_store.views import EVENT_TIMESTAMP
from profilehub.files import write_file_atomically
from profilehub.settings import Settings

__all__ = ["SCORES_PROJECT_SUFFIX", "ScoreReport", "read_scores", "score_frame", "score_tags",
           "scores_settings", "scores_store", "write_scores"]
DEFINITIONS = FEATURE_REPO / "model_scores.py"
PART_FILE = "part-0.parquet"


@dataclass(frozen=True)
class ScoreReport:
    model: str
    as_of: dt.date
    customers: int
    snapshot: Path
    score_tags: Path

    def summary(self) -> str:
        return (f"{self.model}: {self.customers:,} customers scored for {self.as_of} into the "
                f"feature store and {self.score_tags}")


@cache
def _definitions() -> ModuleType:
    spec = importlib.util.spec_from_file_location("profilehub_model_scores", DEFINITIONS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def scores_store(settings: Settings) -> FeatureStore:
    """The model-score project's store, its definitions applied."""
    store = get_store(scores_settings(settings))
    module = _definitions()
    views = [value for value in vars(module).values() if isinstance(value, FeatureView)]
    store.apply([module.customer, *views])
    return store


def score_frame(model: RegisteredModel, features: pd.DataFrame) -> pd.DataFrame:
    """``customer_key`` and the model's probability for every row of ``features``."""
    encoded = EncodingSpec.from_json(model.encoding()).encode(features)
    probability = scores(model.parameters(), encoded.to_numpy(dtype=np.float64))
    return pd.DataFrame({KEY_COLUMN: features[KEY_COLUMN].to_numpy(),
                         score_field(model.model): np.round(probability, 4)})


def write_scores(settings: Settings, model: RegisteredModel, features: pd.DataFrame,
                 as_of: dt.date, store: FeatureStore | None = None) -> ScoreReport:
    store = store or scores_store(settings)
    frame = score_frame(model, features)
    frame[version_field(model.model)] = model.name
    frame[EVENT_TIMESTAMP] = pd.Timestamp(as_of_complete_at(as_of))
    snapshot = Path(store.config.repo_path) / snapshot_path(model.model) / f"as_of={as_of}"
    _write_parquet(frame, snapshot / PART_FILE)
    store.write_to_online_store(view_name(model.model), frame)
    tags = _write_parquet(score_tags(model, frame, as_of),
                          score_tags_dir(settings) / f"model={model.model}" / f"as_of={as_of}"
                          / PART_FILE)
    return ScoreReport(model.model, as_of, len(frame), snapshot, tags)


def score_tags(model: RegisteredModel, frame: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The scores as rows of ``fct_customer_tags``' shape, with the model that made them:
    ``tag_version`` is the catalog version of the tag's meaning, ``model_version`` the
    registered model (``model@vN``) that computed the value."""
    tag = score_tag(model.model)
    return pd.DataFrame({
        KEY_COLUMN: frame[KEY_COLUMN],
        "tag_id": tag.id, "family": tag.family,
        "value": frame[score_field(model.model)].map("{:.4f}".format),
        "tag_version": tag.version, "model_version": model.name,
        "consented_purposes": [[] for _ in range(len(frame))], "as_of": as_of,
    })


def _write_parquet(frame: pd.DataFrame, path: Path) -> Path:
    return write_file_atomically(path, lambda staging: frame.to_parquet(
        staging, index=False, coerce_timestamps="us", allow_truncated_timestamps=True))


def read_scores(settings: Settings, model: str, keys: list[str],
                store: FeatureStore | None = None) -> pd.DataFrame:
    """The online scores of ``keys`` as the feature store serves them, one row per key scored:
    ``customer_key``, ``<model>_score``, ``<model>_model_version`` and the data's ``as_of``."""
    found = online_scores(store or scores_store(settings), [model], keys)
    return pd.DataFrame({KEY_COLUMN: [s.customer_key for s in found],
                         score_field(model): [s.score for s in found],
                         version_field(model): [s.model_version for s in found],
                         "as_of": [s.as_of for s in found]})
