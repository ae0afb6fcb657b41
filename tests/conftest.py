"""Fixtures shared by several test folders; their code lives in ``tests/support``.

This file has no ``__init__.py`` beside it, so pytest puts ``tests/`` on ``sys.path`` and
``support`` is importable from every test module. Support modules are imported inside the
fixtures: importing Feast costs seconds, which test processes that never ask for a feature
store should not pay.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", params=["local", "prod"])
def published(request, tmp_path_factory):
    """Tiny marts for D1 and D2 applied and materialised: SQLite locally, Redis + PostgreSQL
    registry in prod (``support.feature_store_fixtures``)."""
    from support.feature_store_fixtures import publish_tiny_store

    yield from publish_tiny_store(request.param, tmp_path_factory)
