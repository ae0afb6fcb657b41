"""The column-wise online writer against Feast's own, on SQLite and on Redis: whatever one
writes, ``get_online_features`` must read back identically from the other."""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack

import pyarrow as pa
import pytest
from feast import Entity, FeatureView, Field, FileSource, ValueType
from feast.types import Array, Bool, Float64, Int64, String
from support.feature_store_data import local_settings, prod_services
from support.services import unique_name

from profilehub.feature_store import get_store
from profilehub.feature_store.online_write import write_online, write_with_feast

KEY, STAMP = "customer_key", "event_timestamp"
AT = dt.datetime(2026, 10, 2, 16, tzinfo=dt.UTC)
SCHEMA = [Field(name="flag", dtype=Bool), Field(name="level", dtype=String),
          Field(name="score", dtype=Float64), Field(name="visits", dtype=Int64),
          Field(name="labels", dtype=Array(String))]
ARROW = pa.schema([(KEY, pa.string()), ("flag", pa.bool_()), ("level", pa.string()),
                   ("score", pa.float64()), ("visits", pa.int64()),
                   ("labels", pa.list_(pa.string())), (STAMP, pa.timestamp("us", tz="UTC"))])
ROWS = [  # NULLs in every column, repeated values, two event times
    ("CK1", True, "hnw", 0.1234, 3, ["a", "b"], AT),
    ("CK2", False, None, None, 0, [], AT),
    ("CK3", None, "long_tail", 0.1234, None, None, AT + dt.timedelta(hours=1)),
    ("CK4", None, None, None, None, None, AT),
    ("CK5", True, "hnw", 1.0, -7, ["a"], AT + dt.timedelta(hours=1)),
]
CUSTOMERS = [row[0] for row in ROWS] + ["CK-never-written"]
WRITERS = {"feast": write_with_feast, "fast": write_online}


def batch(rows) -> pa.Table:
    return pa.Table.from_pylist([dict(zip(ARROW.names, row, strict=True)) for row in rows],
                                schema=ARROW)


def all_null(rows) -> pa.Table:
    return batch([(row[0], *[None] * 5, row[-1]) for row in rows])


@pytest.fixture(scope="module", params=["local", "prod"])
def store(request, tmp_path_factory):
    """A store with one view per writer, same schema; SQLite locally, Redis in prod."""
    root, project = tmp_path_factory.mktemp(f"online-write-{request.param}"), unique_name("ow")
    with ExitStack() as stack:
        if request.param == "prod":
            settings = stack.enter_context(prod_services(root, project)).settings
        else:
            settings = local_settings(root, project)
        store = get_store(settings)
        customer = Entity(name="customer", join_keys=[KEY], value_type=ValueType.STRING)
        source = FileSource(name="unused", path="unused.parquet", timestamp_field=STAMP)
        store.apply([customer, *(FeatureView(name=f"by_{name}", entities=[customer],
                                             source=source, schema=SCHEMA, online=True)
                                 for name in WRITERS)])
        yield store
        store.teardown()


def write(store, writer: str, table: pa.Table) -> None:
    WRITERS[writer](store, [store.get_feature_view(f"by_{writer}")], table)


def read(store, writer: str) -> dict:
    """Values, statuses and event times, as the SDK returns them."""
    response = store.get_online_features(
        features=[f"by_{writer}:{field.name}" for field in SCHEMA],
        entity_rows=[{KEY: customer} for customer in CUSTOMERS])
    statuses = {name: [list(result.statuses)] for name, result in zip(
        response.proto.metadata.feature_names.val, response.proto.results, strict=True)}
    return {"values": response.to_dict(include_event_timestamps=True), "statuses": statuses}


def test_both_writers_read_back_identically(store):
    for writer in WRITERS:
        write(store, writer, batch(ROWS))
    feast, fast = read(store, "feast"), read(store, "fast")
    assert fast == feast
    assert feast["values"]["level"][:3] == ["hnw", None, "long_tail"]
    assert feast["values"]["labels"][0] == ["a", "b"]


def test_an_all_null_batch_overwrites_every_value(store):
    for writer in WRITERS:
        write(store, writer, batch(ROWS))
        write(store, writer, all_null(ROWS))
    feast, fast = read(store, "feast"), read(store, "fast")
    assert fast == feast
    for field in SCHEMA:
        assert fast["values"][field.name] == [None] * len(CUSTOMERS)


def test_a_batch_without_event_time_is_refused(store):
    rows = [(*ROWS[0][:-1], None)]
    with pytest.raises(ValueError, match="event timestamp"):
        write(store, "fast", batch(rows))


def test_the_stores_own_layout_is_written_not_the_fallback(store, monkeypatch):
    # The comparison above is only worth something if write_online took its SQLite or Redis
    # path, not the store's online_write_batch it falls back to.
    def refuse(*args, **kwargs):
        raise AssertionError("fell back to online_write_batch")

    monkeypatch.setattr(type(store._get_provider()), "online_write_batch", refuse)
    write(store, "fast", batch(ROWS))
