"""Fixtures shared by several test folders; their code lives in ``tests/support``.

This file has no ``__init__.py`` beside it, so pytest puts ``tests/`` on ``sys.path`` and
``support`` is importable from every test module.
"""

from support.feature_store_fixtures import published

__all__ = ["published"]
