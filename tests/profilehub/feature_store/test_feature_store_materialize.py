"""Apply, materialise and read online, on SQLite and on Redis with the PostgreSQL registry."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from feast import FeatureService
from support.feature_store_data import (
    CONSENTER,
    CUSTOMERS,
    D1,
    D2,
    MARKETING_ONLY,
    PLAIN,
    PROFILE_VALUES,
    RISER,
    write_tiny_marts,
)

from profilehub.feature_store import apply_repository, materialize_as_of
from profilehub.feature_store.marts import as_of_complete_at
from profilehub.feature_store.materialize import snapshot_schema
from profilehub.feature_store.repository import repository_contents

SOURCES = ("consented_marketing", "consented_partner_credit_assessment", "consented_research",
           "customer_profile")


def online(published, service: str, customer: str) -> dict:
    store = published.store
    response = store.get_online_features(features=store.get_feature_service(service),
                                         entity_rows=[{"customer_key": customer}])
    return {name: values[0] for name, values in response.to_dict().items()}


def test_registry_holds_the_repository(published):
    store, contents = published.store, repository_contents()
    assert {v.name for v in store.list_feature_views()} == {
        v.name for v in contents.feature_views}
    assert {s.name for s in store.list_feature_services()} == {
        "training_v1", "partner_api_v1", "marketing_v1"}


def test_apply_removes_what_the_repository_no_longer_defines(published):
    store = published.store
    stray = FeatureService(name="stray_v0", features=[store.get_feature_view("asset_tier")])
    store.apply([stray])
    assert "stray_v0" in {s.name for s in store.list_feature_services()}
    apply_repository(store)
    assert "stray_v0" not in {s.name for s in store.list_feature_services()}


def test_every_source_is_published_for_every_as_of(published):
    for report, as_of in zip(published.reports, (D1, D2), strict=True):
        assert report.as_of == as_of and report.online
        assert report.rows_by_source == dict.fromkeys(SOURCES, len(CUSTOMERS))


def test_snapshots_have_the_views_schema_and_completion_stamp(published):
    views = published.store.list_feature_views()
    for source in SOURCES:
        source_views = [view for view in views if view.batch_source.name == source]
        partition = published.settings.paths.feast / "offline" / source / f"as_of={D2}"
        table = pq.read_table(partition / "part-0.parquet")
        assert table.schema == snapshot_schema(source_views)
        assert sorted(table.column("customer_key").to_pylist()) == sorted(CUSTOMERS)
        assert set(table.column("event_timestamp").to_pylist()) == {as_of_complete_at(D2)}


def test_online_store_serves_the_latest_as_of(published):
    riser = online(published, "training_v1", RISER)
    assert (riser["hnw"], riser["asset_tier"], riser["churn_risk_score"]) == (True, "hnw", 0.9)
    plain = online(published, "training_v1", PLAIN)
    assert (plain["hnw"], plain["asset_tier"]) == (False, "long_tail")


def test_online_partner_values_follow_the_latest_consent(published):
    # CONSENTER kept only marketing on D2: its research and partner values are gone online.
    research = online(published, "training_v1", CONSENTER)
    assert research["consumption_capacity_band"] is None
    assert research["serial_refunder"] is None
    partner = online(published, "partner_api_v1", CONSENTER)
    assert set(partner) - {"customer_key"}
    assert all(value is None for name, value in partner.items() if name != "customer_key")
    assert online(published, "marketing_v1", CONSENTER)["consumption_capacity_band"] == "high"
    assert online(published, "marketing_v1", MARKETING_ONLY)["consumption_capacity_band"] == "low"
    assert online(published, "training_v1", MARKETING_ONLY)["consumption_capacity_band"] is None


def test_a_backfill_leaves_the_online_store_alone(published):
    report = materialize_as_of(published.settings, D1, store=published.store, progress=False)
    assert not report.online
    assert report.rows_by_source == dict.fromkeys(SOURCES, len(CUSTOMERS))
    assert online(published, "training_v1", RISER)["hnw"] is True


def test_rebuilding_the_latest_as_of_replaces_its_online_values(published, monkeypatch):
    settings, store = published.settings, published.store
    monkeypatch.setitem(PROFILE_VALUES, (RISER, D2), {"hnw": False, "asset_tier": "long_tail"})
    write_tiny_marts(settings)
    try:
        assert materialize_as_of(settings, D2, store=store, progress=False).online
        assert online(published, "training_v1", RISER)["hnw"] is False
    finally:
        monkeypatch.undo()
        write_tiny_marts(settings)
        materialize_as_of(settings, D2, store=store, progress=False)
    assert online(published, "training_v1", RISER)["hnw"] is True


def test_a_missing_mart_partition_is_named(published):
    with pytest.raises(FileNotFoundError, match="as_of=2026-09-30"):
        materialize_as_of(published.settings, D1.replace(day=30, month=9),
                          store=published.store, progress=False)
