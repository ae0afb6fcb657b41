"""Benchmark suites: one module each, with ``run(context) -> list[Section]``.

``make bench`` runs them in the order of :data:`SUITES`; ``--only`` picks some by name. A new
suite is a module here and its name in :data:`SUITES`. A suite that needs another's output
(the ingest reads the generated landing zone) checks that it is there and current, and says
what to run when it is not.
"""

from __future__ import annotations

import importlib
from types import ModuleType

SUITES = ("generate", "ingest", "profile", "segments", "feast", "api", "federated")


class SuiteError(RuntimeError):
    """A suite cannot run: what it needs is missing or stale."""


def load_suite(name: str) -> ModuleType:
    if name not in SUITES:
        raise SuiteError(f"unknown benchmark suite {name!r}; known: {', '.join(SUITES)}")
    return importlib.import_module(f"{__name__}.{name}")
