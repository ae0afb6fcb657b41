"""The model-score Feast project against the catalog: one view per model-score tag, named and
described by its catalog entry, and no view that the catalog does not declare."""

from __future__ import annotations

from feast import FeatureView
from feast.types import Float64, String

from federated.score_views import score_field, version_field
from federated.scoring import _definitions
from profilehub.catalog import load_tags, model_score_tags

MODELS = model_score_tags(load_tags())


def _views() -> dict[str, FeatureView]:
    return {view.name: view for view in vars(_definitions()).values()
            if isinstance(view, FeatureView)}


def test_one_view_per_catalog_model_score():
    assert set(_views()) == {tag.id for tag in MODELS.values()}, (
        "add or remove the view in features/model_scores.py")


def test_each_view_serves_the_score_and_the_model_version_as_the_catalog_says():
    views = _views()
    for model, tag in MODELS.items():
        view = views[tag.id]
        fields = {field.name: field for field in view.features}
        assert set(fields) == {score_field(model), version_field(model)}
        assert fields[score_field(model)].dtype == Float64
        assert fields[version_field(model)].dtype == String
        score = fields[score_field(model)]
        assert tag.name_en in score.description and tag.name_zh in score.description
        assert score.tags["sensitivity"] == tag.sensitivity
        assert score.tags["version"] == str(tag.version)
        assert view.tags["model"] == model and view.tags["source"] == tag.source
        assert tag.definition in view.description
        assert view.ttl.total_seconds() > 0 and not view.batch_source.path.startswith("/")
