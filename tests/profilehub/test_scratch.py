"""Scratch databases on the machine's real PostgreSQL: made, usable, and gone afterwards even
while a connection to them is still open."""

from __future__ import annotations

import psycopg
import pytest

from profilehub.scratch import ADMIN_DSN, scratch_database


def _databases() -> set[str]:
    with psycopg.connect(ADMIN_DSN) as admin:
        return {row[0] for row in admin.execute("SELECT datname FROM pg_database")}


def test_a_scratch_database_is_dropped_with_its_connections():
    with scratch_database("scratch_probe") as database:
        assert database.startswith("scratch_probe_") and database in _databases()
        held = psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{database}")
        held.execute("CREATE TABLE probe (n int)")
    assert database not in _databases()
    with pytest.raises(psycopg.OperationalError):
        held.execute("SELECT 1")


def test_it_is_dropped_when_the_block_fails():
    with pytest.raises(RuntimeError, match="boom"), scratch_database("scratch_probe") as database:
        raise RuntimeError("boom")
    assert database not in _databases()
