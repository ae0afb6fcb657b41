"""Scratch PostgreSQL databases for tests and benchmarks of the production path.

Each run gets a database of its own, named ``<prefix>_<random>`` and dropped afterwards (its
connections too), so nothing writes into what it did not create.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

# The machine's PostgreSQL (trust auth); any database serves to create and drop others.
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/test"


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


@contextmanager
def scratch_database(prefix: str, admin_dsn: str = ADMIN_DSN) -> Iterator[str]:
    """A PostgreSQL database of its own, dropped afterwards; yields its name."""
    database = unique_name(prefix)
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    try:
        yield database
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
