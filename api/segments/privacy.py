"""Small-group protection of segment answers given to partners.

A count below k (``settings.api.k_threshold``) is suppressed, and so are its members. An answer
whose members differ from one of the same key's earlier answers by fewer than k customers (but
not by none) is refused: the difference of two overlapping segments would isolate a person
("A" and "A AND NOT x" differ by the one customer with x).

Each key's last answers live in the process locally and in Redis in prod: a history that a
restart forgets, or that each uvicorn worker keeps for itself, lets a partner ask "A" before a
deploy (or of one worker) and "A AND NOT x" after it (or of another).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from typing import Protocol

import redis
from pyroaring import AbstractBitMap, BitMap, FrozenBitMap

from api.errors import PrivacyRefused
from profilehub.settings import Settings

HISTORY_PER_KEY = 256
SECONDS_PER_DAY = 86_400


class DifferenceGuard(Protocol):
    k: int

    def admit(self, key_id: str, members: BitMap) -> bool:
        """Whether the count may be shown (True) or is suppressed (False); raises
        PrivacyRefused for an answer that isolates fewer than k customers by difference."""
        ...


def open_difference_guard(settings: Settings) -> DifferenceGuard:
    api = settings.api
    if settings.env == "prod":
        return RedisDifferenceGuard(redis.Redis.from_url(settings.services.redis_url),
                                    f"{api.redis_prefix}:answers", api.k_threshold,
                                    ttl_seconds=api.difference_history_days * SECONDS_PER_DAY)
    return InProcessDifferenceGuard(api.k_threshold)


def refuse_isolating(members: AbstractBitMap, earlier: Iterable[AbstractBitMap], k: int) -> None:
    """Raise PrivacyRefused when ``members`` differs from an earlier answer by 1 to k - 1."""
    for answer in earlier:
        difference = members.symmetric_difference_cardinality(answer)
        if 0 < difference < k:
            raise PrivacyRefused(
                f"refused: this segment differs from one you asked before by fewer than "
                f"{k} customers, which could single people out")


class InProcessDifferenceGuard:
    """Each key's last ``history`` answers in this process's memory."""

    def __init__(self, k: int, history: int = HISTORY_PER_KEY) -> None:
        self.k = k
        self._history: dict[str, deque[FrozenBitMap]] = {}
        self._size = history
        self._lock = threading.Lock()

    def admit(self, key_id: str, members: BitMap) -> bool:
        if len(members) < self.k:
            return False
        with self._lock:
            answered = self._history.setdefault(key_id, deque(maxlen=self._size))
            refuse_isolating(members, answered, self.k)
            answered.append(FrozenBitMap(members))
        return True


class RedisDifferenceGuard:
    """Each key's last ``history`` answers as a list of serialized bitmaps, newest first, at
    ``<prefix>:<key_id>``; it expires ``ttl_seconds`` after the key's last shown answer."""

    def __init__(self, client: redis.Redis, prefix: str, k: int,
                 history: int = HISTORY_PER_KEY, ttl_seconds: int = 30 * SECONDS_PER_DAY
                 ) -> None:
        self.k, self.prefix = k, prefix
        self._redis, self._size, self._ttl = client, history, ttl_seconds

    def admit(self, key_id: str, members: BitMap) -> bool:
        if len(members) < self.k:
            return False
        key = f"{self.prefix}:{key_id}"
        answer = members.serialize()

        def check_then_append(pipe: redis.client.Pipeline) -> None:
            # Read under WATCH: if another worker appends to this key before our EXEC, the
            # transaction fails and redis-py runs this again against the new history, so two
            # workers never both pass a pair of answers that differ by fewer than k.
            earlier = pipe.lrange(key, 0, -1)
            refuse_isolating(members, (BitMap.deserialize(raw) for raw in earlier), self.k)
            pipe.multi()
            pipe.lpush(key, answer)
            pipe.ltrim(key, 0, self._size - 1)
            pipe.expire(key, self._ttl)

        self._redis.transaction(check_then_append, key)
        return True
