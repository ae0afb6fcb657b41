"""Online reads of the profile: feature values of a batch of customers, as Python values.

Every store is read through Feast's ``get_online_features``, except a plain Redis online store
(the prod one), which is read directly: Feast's path costs ~0.35 ms of CPU per customer for 50
features (one HMGET per feature view and customer, protobuf messages rebuilt into a response,
then converted to Python per value, all under the GIL), the API's largest cost per request.
The direct read asks one HMGET per customer for every feature of every view (Feast's Redis
layout: one hash per entity key and project, a field per ``view:feature`` murmur3 hash) and
decodes each stored value once per distinct byte string: tag values repeat (booleans,
categories, scores of 4 decimals), and equal bytes decode to equal values.

What it returns is what ``get_online_features(...).to_dict()`` returns: None where a customer
or a value is missing. Feature references are checked against the registry once per distinct
set, so an unknown view or feature fails as Feast fails. ``tests/api/test_api_online.py``
compares both paths value for value.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from feast import FeatureStore
from feast.infra.key_encoding_utils import serialize_entity_key
from feast.infra.online_stores.helpers import _mmh3
from feast.infra.online_stores.redis import RedisOnlineStore
from feast.protos.feast.types.EntityKey_pb2 import EntityKey
from feast.protos.feast.types.Value_pb2 import Value
from feast.type_map import feast_value_type_to_python_type

from api.errors import ApiError
from profilehub.feature_store.views import ENTITY_KEY

# Distinct stored values remembered (bytes -> Python value); past it, values decode uncached.
DECODED_VALUES = 65_536
# Distinct feature sets whose Redis fields are remembered.
FIELD_SETS = 1_024
_UNSEEN = object()


class UnknownFeature(ApiError):
    """A feature reference the registry does not hold."""


class OnlineReader:
    """Feast's own read, for any online store."""

    # Whether a read is one network round trip, short enough to make on the event loop.
    answers_quickly = False

    def __init__(self, store: FeatureStore) -> None:
        self.store = store

    def read(self, refs: Sequence[str], customer_keys: Sequence[str]) -> list[tuple]:
        """One tuple per customer key, in order, of the values of ``refs`` (``view:feature``)
        in order; None where a value or the customer is missing."""
        if not customer_keys:
            return []
        response = self.store.get_online_features(
            features=list(refs), entity_rows=[{ENTITY_KEY: key} for key in customer_keys])
        values = response.to_dict()
        return list(zip(*(values[ref.partition(":")[2]] for ref in refs), strict=True))

    def close(self) -> None:
        pass


class RedisReader(OnlineReader):
    """Feast's Redis layout read in one pipeline: one HMGET per customer."""

    answers_quickly = True

    def __init__(self, store: FeatureStore) -> None:
        super().__init__(store)
        config = store.config
        nodes, options = RedisOnlineStore._parse_connection_string(
            config.online_store.connection_string)
        import redis

        self._client = redis.Redis(host=nodes[0]["host"], port=int(nodes[0]["port"]),
                                   **options)
        self._suffix = config.project.encode("utf-8")
        self._key_version = config.entity_key_serialization_version
        self._fields: dict[tuple[str, ...], list[bytes]] = {}
        self._decoded: dict[bytes, object] = {}
        self._lock = threading.Lock()

    @staticmethod
    def serves(store: FeatureStore) -> bool:
        """Whether the store's layout is the one read here: plain Redis, redis-py, no view
        versions; anything else goes through Feast."""
        online = store.config.online_store
        return (getattr(online, "type", None) == "redis"
                and str(getattr(online.redis_type, "value", online.redis_type)) == "redis"
                and str(getattr(online.client, "value", online.client)) == "redis"
                and not store.config.registry.enable_online_feature_view_versioning)

    def read(self, refs: Sequence[str], customer_keys: Sequence[str]) -> list[tuple]:
        fields = self._fields_of(tuple(refs))
        if not customer_keys:
            return []
        with self._client.pipeline(transaction=False) as pipe:
            for key in customer_keys:
                pipe.hmget(self._redis_key(key), fields)
            replies = pipe.execute()
        return [tuple(map(self._value, reply)) for reply in replies]

    def _value(self, raw: bytes | None) -> object:
        if not raw:  # no such customer or value: what Feast returns as None
            return None
        value = self._decoded.get(raw, _UNSEEN)
        return self._decode(raw) if value is _UNSEEN else value

    def _redis_key(self, customer_key: str) -> bytes:
        entity = EntityKey(join_keys=[ENTITY_KEY], entity_values=[Value(string_val=customer_key)])
        return serialize_entity_key(entity, self._key_version) + self._suffix

    def _decode(self, raw: bytes) -> object:
        value = feast_value_type_to_python_type(Value.FromString(raw))
        # Only immutable scalars are shared between requests (all the catalog's types are).
        if isinstance(value, bool | int | float | str) and len(self._decoded) < DECODED_VALUES:
            self._decoded[raw] = value
        return value

    def _fields_of(self, refs: tuple[str, ...]) -> list[bytes]:
        fields = self._fields.get(refs)
        if fields is None:
            self._check(refs)
            fields = [_mmh3(ref) for ref in refs]
            with self._lock:
                if len(self._fields) >= FIELD_SETS:  # callers choose the tags: stay bounded
                    self._fields.clear()
                self._fields[refs] = fields
        return fields

    def _check(self, refs: tuple[str, ...]) -> None:
        known: dict[str, set[str]] = {}
        for ref in refs:
            view, _, feature = ref.partition(":")
            if view not in known:
                try:
                    found = self.store.get_feature_view(view)
                except Exception as error:
                    raise UnknownFeature(f"feature view {view!r} is not in the registry"
                                         ) from error
                known[view] = {field.name for field in found.features}
            if feature not in known[view]:
                raise UnknownFeature(f"feature {ref!r} is not in the registry")

    def close(self) -> None:
        self._client.close()


def online_reader(store: FeatureStore) -> OnlineReader:
    return RedisReader(store) if RedisReader.serves(store) else OnlineReader(store)
