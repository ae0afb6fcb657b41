"""The feature store under test (fixture ``published``, declared in ``tests/conftest.py``),
built once per environment: tiny marts for D1 and D2, the repository applied, both as_of
materialised. ``local`` is SQLite + file registry; ``prod`` is Redis + the SQL registry on a
PostgreSQL database of its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

from feast import FeatureStore

from profilehub.feature_store import (
    MaterializeReport,
    apply_repository,
    get_store,
    materialize_as_of,
)
from profilehub.settings import Settings
from support.feature_store_data import (
    D1,
    D2,
    local_settings,
    prod_services,
    write_tiny_marts,
)
from support.services import unique_name


@dataclass(frozen=True)
class Published:
    env: str
    settings: Settings
    store: FeatureStore
    reports: tuple[MaterializeReport, ...]


def publish_tiny_store(env: str, tmp_path_factory) -> Iterator[Published]:
    """The body of the session fixture ``published`` (``tests/conftest.py``) for one env."""
    root = tmp_path_factory.mktemp(f"feast-{env}")
    project = unique_name("ph")
    with ExitStack() as stack:
        if env == "prod":
            settings = stack.enter_context(prod_services(root, project)).settings
        else:
            settings = local_settings(root, project)
        write_tiny_marts(settings)
        store = get_store(settings)
        apply_repository(store)
        reports = tuple(materialize_as_of(settings, as_of, store=store, progress=False)
                        for as_of in (D1, D2))
        yield Published(env, settings, store, reports)
        store.teardown()
