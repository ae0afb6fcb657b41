"""The API's online read (``api.online``) returns exactly what Feast's ``get_online_features``
returns, on either store: the prod Redis store is read directly, everything else through Feast."""

from __future__ import annotations

import pytest
from support.feature_store_data import CUSTOMERS

from api.online import OnlineReader, RedisReader, UnknownFeature, online_reader
from profilehub.feature_store.views import ENTITY_KEY


@pytest.fixture(scope="module")
def reader(world):
    reader = online_reader(world.serving.store)
    yield reader
    reader.close()


def test_redis_is_read_directly_and_other_stores_through_feast(world, reader):
    assert type(reader) is (RedisReader if world.env == "prod" else OnlineReader)
    assert type(world.serving.online) is type(reader)


def test_every_view_reads_as_feast_reads_it(world, reader):
    store = world.serving.store
    keys = [*CUSTOMERS, "CKnobody", CUSTOMERS[0]]  # unknown and repeated keys too
    views = store.list_feature_views()
    assert views
    for view in views:
        refs = [f"{view.name}:{field.name}" for field in view.features]
        expected = store.get_online_features(
            features=refs, entity_rows=[{ENTITY_KEY: key} for key in keys]).to_dict()
        rows = reader.read(refs, keys)
        assert len(rows) == len(keys)
        for position, ref in enumerate(refs):
            column = [row[position] for row in rows]
            assert column == expected[ref.partition(":")[2]], ref
            assert [type(value) for value in column] == [
                type(value) for value in expected[ref.partition(":")[2]]], ref
        assert all(value is None for value in rows[len(CUSTOMERS)])
    # Read again: decoded values come from the reader's cache, and are still the same.
    view = views[0]
    refs = [f"{view.name}:{field.name}" for field in view.features]
    assert reader.read(refs, keys) == reader.read(refs, keys)


def test_no_customers_is_no_read(reader):
    assert reader.read(["asset_tier:asset_tier"], []) == []


@pytest.mark.parametrize("ref", ["asset_tier:no_such_tag", "no_such_view:asset_tier"])
def test_unknown_features_fail_as_in_feast(world, reader, ref):
    with pytest.raises(UnknownFeature if world.env == "prod" else Exception):
        reader.read([ref], [CUSTOMERS[0]])
