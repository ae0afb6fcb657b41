"""Apply ``features/profile_repo.py`` to a feature store, as ``feast apply`` would.

The definitions module is loaded from its file (``features/`` is a Feast repository, not a
Python package), its Feast objects collected, and the registry made to match them: new and
changed objects applied, objects no longer defined deleted.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from types import ModuleType

from feast import Entity, FeatureService, FeatureStore, FeatureView
from feast.feature_view import DUMMY_ENTITY
from feast.repo_contents import RepoContents
from feast.repo_operations import extract_objects_for_apply_delete

from profilehub.feature_store.config import FEATURE_REPO

DEFINITIONS = FEATURE_REPO / "profile_repo.py"
_MODULE_NAME = "profilehub_feature_repo"


@cache
def definitions() -> ModuleType:
    spec = importlib.util.spec_from_file_location(_MODULE_NAME, DEFINITIONS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _defined(kind: type) -> list:
    found: list = []
    for value in vars(definitions()).values():
        if isinstance(value, kind) and not any(value is seen for seen in found):
            found.append(value)
    return found


def repository_contents() -> RepoContents:
    views = _defined(FeatureView)
    sources = []
    for view in views:
        if not any(view.batch_source is seen for seen in sources):
            sources.append(view.batch_source)
    # Feast keeps a dummy entity for entity-less views; `feast apply` lists it too.
    return RepoContents(
        projects=[], data_sources=sources, entities=[*_defined(Entity), DUMMY_ENTITY],
        feature_views=views, feature_services=_defined(FeatureService),
        on_demand_feature_views=[], stream_feature_views=[], label_views=[], permissions=[])


def apply_repository(store: FeatureStore) -> RepoContents:
    """Make the store's registry hold exactly the repository's definitions; return them."""
    contents = repository_contents()
    to_apply, to_delete, _, _ = extract_objects_for_apply_delete(
        store.project, store.registry, contents)
    store.apply(to_apply, objects_to_delete=to_delete, partial=False)
    return contents
