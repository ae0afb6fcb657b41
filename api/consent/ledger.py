"""Ledger backends: SQLite (local) and Redis (prod), one behaviour.

State of (customer, partner, purpose): a decision recorded through the API if there is one,
otherwise whether the served as_of's marts publish a grant for it. No row means no consent.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

import redis

from api.state import open_redis
from profilehub.settings import Settings

Grant = tuple[str, str, str]  # customer_key, partner_id, purpose
LEDGER_FILE = "consent_ledger.sqlite"


@dataclass(frozen=True)
class ConsentState:
    customer_key: str
    partner_id: str
    purpose: str
    active: bool
    # "api" for a decision recorded through the API, "published" for the served as_of's.
    source: str


class ConsentLedger(Protocol):
    # Whether ``active`` is one network round trip (safe to call on the event loop).
    answers_quickly: bool

    def published_as_of(self) -> date | None: ...

    def replace_published(self, as_of: date, grants: Iterable[Grant]) -> None: ...

    def record(self, customer_key: str, partner_id: str, purpose: str, active: bool,
               by: str) -> ConsentState: ...

    def active(self, customer_keys: Iterable[str], partners: Iterable[str], purpose: str
               ) -> set[tuple[str, str]]:
        """The (customer, partner) pairs of the arguments with active consent to ``purpose``."""
        ...

    def consenting(self, partner_id: str, purpose: str) -> set[str]:
        """Every customer with active consent for the partner and purpose."""
        ...


def open_ledger(settings: Settings) -> ConsentLedger:
    if settings.env == "prod":
        return RedisConsentLedger(open_redis(settings),
                                  f"{settings.api.redis_prefix}:consent")
    settings.paths.api.mkdir(parents=True, exist_ok=True)
    return SqliteConsentLedger(str(settings.paths.api / LEDGER_FILE))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SqliteConsentLedger:
    answers_quickly = False  # a file read that may wait on the writer's lock
    _SCHEMA = """
        CREATE TABLE IF NOT EXISTS published (
            customer_key TEXT, partner_id TEXT, purpose TEXT,
            PRIMARY KEY (partner_id, purpose, customer_key)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS published_by_customer ON published (customer_key, purpose);
        CREATE TABLE IF NOT EXISTS recorded (
            customer_key TEXT, partner_id TEXT, purpose TEXT, active INTEGER, by TEXT, at TEXT,
            PRIMARY KEY (customer_key, partner_id, purpose)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT);
    """

    def __init__(self, path: str) -> None:
        # One connection shared by the server's threads, serialised by a lock.
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.executescript(self._SCHEMA)

    def published_as_of(self) -> date | None:
        with self._lock:
            row = self._connection.execute(
                "SELECT value FROM meta WHERE name = 'published_as_of'").fetchone()
        return date.fromisoformat(row[0]) if row else None

    def replace_published(self, as_of: date, grants: Iterable[Grant]) -> None:
        with self._lock:
            connection = self._connection
            connection.execute("BEGIN")
            connection.execute("DELETE FROM published")
            connection.executemany("INSERT OR IGNORE INTO published VALUES (?, ?, ?)", grants)
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('published_as_of', ?)",
                               (as_of.isoformat(),))
            connection.execute("COMMIT")

    def record(self, customer_key: str, partner_id: str, purpose: str, active: bool,
               by: str) -> ConsentState:
        with self._lock:
            self._connection.execute(
                "INSERT OR REPLACE INTO recorded VALUES (?, ?, ?, ?, ?, ?)",
                (customer_key, partner_id, purpose, int(active), by, _now()))
        return ConsentState(customer_key, partner_id, purpose, active, "api")

    def active(self, customer_keys: Iterable[str], partners: Iterable[str], purpose: str
               ) -> set[tuple[str, str]]:
        pairs = {(key, partner) for key in customer_keys for partner in partners}
        if not pairs:
            return set()
        keys = sorted({key for key, _ in pairs})
        marks = ",".join("?" * len(keys))
        with self._lock:
            published = self._connection.execute(
                f"SELECT customer_key, partner_id FROM published WHERE purpose = ? "
                f"AND customer_key IN ({marks})", (purpose, *keys)).fetchall()
            recorded = self._connection.execute(
                f"SELECT customer_key, partner_id, active FROM recorded WHERE purpose = ? "
                f"AND customer_key IN ({marks})", (purpose, *keys)).fetchall()
        return _decide(pairs, published, recorded)

    def consenting(self, partner_id: str, purpose: str) -> set[str]:
        with self._lock:
            published = self._connection.execute(
                "SELECT customer_key FROM published WHERE partner_id = ? AND purpose = ?",
                (partner_id, purpose)).fetchall()
            recorded = self._connection.execute(
                "SELECT customer_key, active FROM recorded WHERE partner_id = ? AND purpose = ?",
                (partner_id, purpose)).fetchall()
        return _overridden({key for (key,) in published}, dict(recorded))


def _decide(pairs: set[tuple[str, str]], published, recorded) -> set[tuple[str, str]]:
    granted = {(key, partner) for key, partner in published} & pairs
    for key, partner, active in recorded:
        if (key, partner) in pairs:
            (granted.add if active else granted.discard)((key, partner))
    return granted


def _overridden(published: set[str], recorded: dict[str, int | bool]) -> set[str]:
    return ({key for key in published if recorded.get(key, True)}
            | {key for key, active in recorded.items() if active})


class RedisConsentLedger:
    """Keys under ``prefix``: a set of granted customers per partner and purpose
    (``published:<partner>:<purpose>``, swapped whole by RENAME), a hash of recorded decisions
    per partner and purpose (``recorded:<partner>:<purpose>``: customer -> 0/1), and
    ``published_as_of``."""

    answers_quickly = True

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._redis, self.prefix = client, prefix

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def published_as_of(self) -> date | None:
        value = self._redis.get(self._key("published_as_of"))
        return date.fromisoformat(value.decode()) if value else None

    def replace_published(self, as_of: date, grants: Iterable[Grant]) -> None:
        by_set: dict[str, list[str]] = {}
        for customer_key, partner_id, purpose in grants:
            by_set.setdefault(self._key("published", partner_id, purpose), []).append(
                customer_key)
        old = {key.decode() for key in self._redis.scan_iter(match=self._key("published", "*"))}
        pipe = self._redis.pipeline(transaction=True)
        for key, members in by_set.items():
            staging = f"{key}:staging"
            pipe.delete(staging)
            for start in range(0, len(members), 10_000):
                pipe.sadd(staging, *members[start:start + 10_000])
            pipe.rename(staging, key)
        for key in old - set(by_set):
            pipe.delete(key)
        pipe.set(self._key("published_as_of"), as_of.isoformat())
        pipe.execute()

    def record(self, customer_key: str, partner_id: str, purpose: str, active: bool,
               by: str) -> ConsentState:
        self._redis.hset(self._key("recorded", partner_id, purpose), customer_key, int(active))
        return ConsentState(customer_key, partner_id, purpose, active, "api")

    def active(self, customer_keys: Iterable[str], partners: Iterable[str], purpose: str
               ) -> set[tuple[str, str]]:
        pairs = sorted({(key, partner) for key in customer_keys for partner in partners})
        pipe = self._redis.pipeline(transaction=False)
        for key, partner in pairs:
            pipe.sismember(self._key("published", partner, purpose), key)
            pipe.hget(self._key("recorded", partner, purpose), key)
        answers = pipe.execute()
        granted = set()
        for index, pair in enumerate(pairs):
            published, recorded = answers[2 * index], answers[2 * index + 1]
            if (bool(int(recorded)) if recorded is not None else bool(published)):
                granted.add(pair)
        return granted

    def consenting(self, partner_id: str, purpose: str) -> set[str]:
        published = {key.decode() for key in
                     self._redis.smembers(self._key("published", partner_id, purpose))}
        recorded = {key.decode(): int(value) for key, value in
                    self._redis.hgetall(self._key("recorded", partner_id, purpose)).items()}
        return _overridden(published, recorded)
