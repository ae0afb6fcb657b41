"""Batch scoring without a deployment: a model federated in process and registered, its scores
written to a local feature store (SQLite) and as score tags, and read back with provenance."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from support.feature_store_data import local_settings
from support.federated_models import prepare, synthetic, train_in_process
from support.services import unique_name

from federated.registry import parse_name, registered_models
from federated.score_views import score_tag, scores_settings
from federated.scoring import read_scores, scores_store, write_scores
from federated.task import KEY_COLUMN, LABELS
from profilehub.catalog import MODEL_SCORE_FAMILY, load_tags, model_score_tags
from profilehub.feature_store import get_store

AS_OF = dt.date(2026, 10, 20)
SCORED = 40


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    settings = local_settings(tmp_path_factory.mktemp("scoring"), unique_name("ph"))
    features, labels = synthetic()
    trained = train_in_process(settings, prepare(settings, AS_OF, features, labels), "churn")
    store = scores_store(settings)
    report = write_scores(settings, trained.model, features.head(SCORED), AS_OF, store=store)
    yield settings, features, trained, report
    store.teardown()


def test_every_trainable_model_has_its_catalog_score_tag():
    assert set(model_score_tags(load_tags())) == set(LABELS)


def test_scores_are_read_back_with_model_version_and_as_of(scored):
    settings, features, trained, report = scored
    keys = features[KEY_COLUMN].tolist()
    online = read_scores(settings, "churn", keys[:SCORED + 5])
    assert report.customers == SCORED
    assert online[KEY_COLUMN].tolist() == keys[:SCORED], "unscored customers are left out"
    assert online["churn_score"].between(0, 1).all()
    assert set(online["churn_model_version"]) == {trained.model.name} == {"churn@v1"}
    assert set(online["as_of"]) == {AS_OF}


def test_score_tags_take_id_family_and_version_from_the_catalog(scored):
    _, _, trained, report = scored
    rows = pd.read_parquet(report.score_tags)
    tag = score_tag("churn")
    assert len(rows) == SCORED
    assert set(rows["tag_id"]) == {tag.id} and set(rows["family"]) == {MODEL_SCORE_FAMILY}
    assert set(rows["tag_version"]) == {tag.version}
    assert set(rows["model_version"]) == {trained.model.name}
    assert rows["value"].str.fullmatch(r"[01]\.\d{4}").all()


def test_the_view_is_described_by_the_catalog(scored):
    settings = scored[0]
    view = get_store(scores_settings(settings)).get_feature_view(score_tag("churn").id)
    tag = score_tag("churn")
    assert tag.name_en in view.description and tag.definition in view.description
    field = next(f for f in view.features if f.name == "churn_score")
    assert field.tags["sensitivity"] == tag.sensitivity
    assert field.tags["purposes"] == ",".join(tag.purposes)


def test_the_registry_lists_every_version(scored):
    settings, _, trained, _ = scored
    models = registered_models(settings.paths.federated / "registry")
    assert [m.name for m in models] == [trained.model.name]
    assert registered_models(settings.paths.federated / "nothing") == []
    assert parse_name("panic_sell@v12") == ("panic_sell", 12)
    with pytest.raises(ValueError, match="not a registered model version"):
        parse_name("churn-v1")
