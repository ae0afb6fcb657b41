"""The Feast repository against the tag catalog: every tag dbt computes served, with its type,
and the services holding exactly what their rules admit. (Model scores are served by the
model-score project: ``test_model_scores.py``.)"""

from __future__ import annotations

import pytest
from feast.types import Bool, Float64, String

from profilehub.catalog import DBT_FAMILIES, dbt_tags, load_tags
from profilehub.feature_store.repository import repository_contents
from profilehub.feature_store.services import SERVICES
from profilehub.feature_store.views import CONSENT_PURPOSE, consented_view_name

TAGS = dbt_tags(load_tags())
FEAST_TYPE_OF_TAG_TYPE = {"boolean": Bool, "category": String, "bucket": String, "score": Float64}
SERVICE_PURPOSES = {rule.purpose for rule in SERVICES}


@pytest.fixture(scope="module")
def contents():
    return repository_contents()


@pytest.fixture(scope="module")
def views(contents):
    return {view.name: view for view in contents.feature_views}


def _fields(view) -> dict:
    return {feature.name: feature for feature in view.features}


def _expected_views(tag) -> set[str]:
    if not tag.is_partner_derived:
        return {tag.family}
    return {consented_view_name(tag.family, purpose) for purpose in tag.purposes
            if purpose in SERVICE_PURPOSES}


@pytest.mark.parametrize("tag", TAGS, ids=lambda tag: tag.id)
def test_every_catalog_tag_is_served_with_its_feast_type(tag, views):
    serving = {name for name, view in views.items() if tag.id in _fields(view)}
    assert serving, f"{tag.id} is in no feature view"
    assert serving == _expected_views(tag)
    for name in serving:
        field = _fields(views[name])[tag.id]
        assert field.dtype == FEAST_TYPE_OF_TAG_TYPE[tag.type]
        assert tag.name_en in field.description and tag.name_zh in field.description
        assert field.tags["version"] == str(tag.version)
        assert field.tags["sensitivity"] == tag.sensitivity


def test_views_are_exactly_the_catalog_families_and_consent_purposes(views):
    expected = {view for tag in TAGS for view in _expected_views(tag)}
    assert set(views) == expected, "add or remove the view in features/profile_repo.py"
    assert {name for name in views if name in DBT_FAMILIES} <= set(DBT_FAMILIES)
    assert not {tag.id for tag in load_tags() if tag.is_model_score} & {
        name for view in views.values() for name in _fields(view)}


def test_consent_gated_views_hold_only_partner_derived_tags_of_their_purpose(views):
    by_id = {tag.id: tag for tag in TAGS}
    for view in views.values():
        purpose = view.tags.get(CONSENT_PURPOSE)
        for name in _fields(view):
            tag = by_id[name]
            assert tag.is_partner_derived == (purpose is not None), (view.name, name)
            assert purpose is None or purpose in tag.purposes


def test_every_view_reads_a_snapshot_by_event_timestamp(views):
    for view in views.values():
        assert view.entities == ["customer"]
        assert view.batch_source.timestamp_field == "event_timestamp"
        assert not view.batch_source.path.startswith("/"), "sources are relative to the data"
        assert view.description and view.ttl.total_seconds() > 0


@pytest.mark.parametrize("rule", SERVICES, ids=lambda rule: rule.name)
def test_service_holds_exactly_the_tags_its_rule_admits(rule, contents, views):
    service = next(s for s in contents.feature_services if s.name == rule.name)
    served = [f.name for p in service.feature_view_projections for f in p.features]
    assert len(served) == len(set(served))
    assert set(served) == {tag.id for tag in TAGS if rule.admits(tag)}
    for projection in service.feature_view_projections:
        purpose = views[projection.name].tags.get(CONSENT_PURPOSE)
        assert purpose in (None, rule.purpose), (rule.name, projection.name)


def test_partner_service_holds_no_internal_or_sensitive_tag(contents):
    by_id = {tag.id: tag for tag in TAGS}
    service = next(s for s in contents.feature_services if s.name == "partner_api_v1")
    served = [by_id[f.name] for p in service.feature_view_projections for f in p.features]
    assert served
    for tag in served:
        assert tag.sensitivity not in ("internal", "sensitive")
        assert "partner_credit_assessment" in tag.purposes
