"""Test support shared by several test folders: importable as ``support`` because
``tests/conftest.py`` (no ``__init__.py`` beside it) puts ``tests/`` on ``sys.path``."""
