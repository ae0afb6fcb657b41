"""The API under test, once per environment: the shared tiny feature store (``published``,
SQLite or Redis), the segment index of both as_of built through the real code, D2 published,
demo keys, and a consent ledger of its own (SQLite under the data root, or a unique Redis
prefix removed afterwards)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import redis
from starlette.testclient import TestClient
from support.feature_store_data import D1, D2, REDIS_URL
from support.services import unique_name

from api.app import create_app
from api.keys import KeyStore, ensure_demo_keys
from api.roles import Role
from api.serving import Serving
from profilehub.feature_store import build_segment_index
from profilehub.files import write_text_atomically
from profilehub.publish import Publication, pointer_path
from profilehub.settings import Settings, get_settings, load_settings

SECOND_PARTNER = "partner:trip_ota"


@dataclass
class World:
    env: str
    settings: Settings
    serving: Serving
    keys: dict[str, str]  # role text -> API key

    def settings_with(self, **api_environ: str) -> Settings:
        return load_settings({**self.settings._environ, **api_environ})

    def client(self, settings: Settings | None = None) -> TestClient:
        """A client of a fresh app (own rate limits and difference history) on the shared
        serving state."""
        return self.worker(self.own_security_state(settings or self.settings))

    def worker(self, settings: Settings) -> TestClient:
        """A client of a fresh app on exactly these settings: in prod, apps on the same settings
        share rate limits and difference history through Redis, as uvicorn workers do."""
        return TestClient(create_app(settings, serving=self.serving))

    @staticmethod
    def own_security_state(settings: Settings) -> Settings:
        """The settings with a Redis prefix of their own in prod, under the given one (so the
        session's clean-up finds it): an app on them starts with empty rate-limit windows and
        difference history. The consent ledger is the shared serving state's, not the app's."""
        if settings.env != "prod":
            return settings
        prefix = unique_name(f"{settings.api.redis_prefix}:app")
        return load_settings({**settings._environ, "PROFILEHUB_API_REDIS_PREFIX": prefix})


def delete_redis_keys(prefix: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    stale = list(client.scan_iter(match=f"{prefix}:*"))
    if stale:
        client.delete(*stale)


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A Redis key prefix of this test's own; every key under it is removed afterwards."""
    prefix = unique_name("phapi_test")
    try:
        yield prefix
    finally:
        delete_redis_keys(prefix)


def publish_pointer(settings: Settings, as_of) -> None:
    """Serve ``as_of`` as the pipeline's publish step would after passing gates."""
    settings.paths.published.mkdir(parents=True, exist_ok=True)
    publication = Publication(as_of=as_of, run_id="test", published_at=dt.datetime.now(dt.UTC),
                              served=True)
    write_text_atomically(pointer_path(settings), publication.to_json() + "\n")


@pytest.fixture(scope="session")
def world(published) -> Iterator[World]:
    prefix = unique_name("phapi_test")
    settings = load_settings({**published.settings._environ,
                              "PROFILEHUB_API_REDIS_PREFIX": prefix,
                              # prod reads it from the secret store; any fixed text here
                              "PROFILEHUB_API_PSEUDONYM_KEY": "test-pseudonym-key"})
    with pytest.MonkeyPatch.context() as patch:
        # profilehub.segments places indexes by the process settings: this data root.
        patch.setenv("PROFILEHUB_DATA_ROOT", str(settings.paths.root))
        get_settings.cache_clear()
        for as_of in (D1, D2):
            build_segment_index(settings, as_of).close()
        publish_pointer(settings, D2)
        serving = Serving(settings, store=published.store)
        serving.current()
    get_settings.cache_clear()
    keys = ensure_demo_keys(settings)
    keys[SECOND_PARTNER] = KeyStore.of(settings).create(Role.parse(SECOND_PARTNER))
    try:
        yield World(published.env, settings, serving, keys)
    finally:
        serving.close()
        if published.env == "prod":
            delete_redis_keys(prefix)
