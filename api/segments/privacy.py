"""Small-group protection of segment answers given to partners.

A count below k (``settings.api.k_threshold``) is suppressed, and so are its members. An answer
whose members differ from one of the same key's earlier answers by fewer than k customers (but
not by none) is refused: the difference of two overlapping segments would isolate a person
("A" and "A AND NOT x" differ by the one customer with x).

A key's answers are held for ``difference_history_days``; past ``segment_answers_per_key``
different answers in that window, new ones are refused rather than old ones forgotten, since a
guard that forgets lets a partner push "A" out with other queries and then ask "A AND NOT x".
They live in the process locally and in Redis in prod: a history that a restart forgets, or
that each uvicorn worker keeps for itself, lets a partner ask "A" before a deploy (or of one
worker) and "A AND NOT x" after it (or of another).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable
from typing import Protocol

import redis
from pyroaring import AbstractBitMap, BitMap, FrozenBitMap

from api.errors import ApiError, PrivacyRefused
from api.state import open_redis
from profilehub.settings import Settings

SECONDS_PER_DAY = 86_400
# Concurrent answers of one key that keep changing its history under our WATCH: give up
# after this many tries rather than spin; the caller may ask again.
WATCH_ATTEMPTS = 20


class DifferenceGuard(Protocol):
    k: int

    def admit(self, key_id: str, members: BitMap, now: float | None = None) -> bool:
        """Whether the count may be shown (True) or is suppressed (False); raises
        PrivacyRefused for an answer that isolates fewer than k customers by difference, or
        one past the key's budget of different answers. ``now`` (seconds since the epoch)
        is for tests; the backend's clock otherwise."""
        ...


def open_difference_guard(settings: Settings) -> DifferenceGuard:
    api = settings.api
    budget = AnswerBudget(api.segment_answers_per_key, api.difference_history_days)
    if settings.env == "prod":
        return RedisDifferenceGuard(open_redis(settings), f"{api.redis_prefix}:answers",
                                    api.k_threshold, budget)
    return InProcessDifferenceGuard(api.k_threshold, budget)


class AnswerBudget:
    """At most ``answers`` different answers per key in any ``days``."""

    def __init__(self, answers: int, days: int) -> None:
        self.answers, self.days = answers, days
        self.seconds = days * SECONDS_PER_DAY

    def refuse_past(self, held: int) -> None:
        if held >= self.answers:
            raise PrivacyRefused(
                f"refused: this key has had {self.answers} different segment answers in the "
                f"last {self.days} days, as many as can be checked against each other; ask "
                f"again when the oldest is {self.days} days old")


def answer_id(members: AbstractBitMap) -> str:
    """The same members give the same id: asking a segment again spends no budget."""
    return hashlib.blake2b(members.serialize(), digest_size=16).hexdigest()


def refuse_isolating(members: AbstractBitMap, earlier: Iterable[AbstractBitMap], k: int) -> None:
    """Raise PrivacyRefused when ``members`` differs from an earlier answer by 1 to k - 1."""
    for answer in earlier:
        difference = members.symmetric_difference_cardinality(answer)
        if 0 < difference < k:
            raise PrivacyRefused(
                f"refused: this segment differs from one you asked before by fewer than "
                f"{k} customers, which could single people out")


def could_isolate(size: int, other_size: int, k: int) -> bool:
    """Two answers whose sizes differ by k or more differ by at least k members."""
    return abs(size - other_size) < k


class InProcessDifferenceGuard:
    """Each key's answers of the window in this process's memory."""

    def __init__(self, k: int, budget: AnswerBudget) -> None:
        self.k, self.budget = k, budget
        self._answers: dict[str, dict[str, tuple[float, FrozenBitMap]]] = {}
        self._lock = threading.Lock()

    def admit(self, key_id: str, members: BitMap, now: float | None = None) -> bool:
        if len(members) < self.k:
            return False
        now = time.time() if now is None else now
        identity = answer_id(members)
        with self._lock:
            held = self._answers.setdefault(key_id, {})
            for expired in [i for i, (at, _) in held.items() if at <= now - self.budget.seconds]:
                del held[expired]
            if identity not in held:
                refuse_isolating(members, (answer for _, answer in held.values()
                                           if could_isolate(len(members), len(answer), self.k)),
                                 self.k)
                self.budget.refuse_past(len(held))
            held[identity] = (now, FrozenBitMap(members))
        return True


class RedisDifferenceGuard:
    """Each key's answers of the window under ``<prefix>:<key_id>:``: a hash of serialized
    bitmaps by answer id, and two sorted sets of the ids, by time of the last asking
    (``:times``) and by size (``:sizes``, so that only answers near in size are read). The
    keys expire a window after the key's last shown answer."""

    def __init__(self, client: redis.Redis, prefix: str, k: int, budget: AnswerBudget) -> None:
        self.k, self.prefix, self.budget = k, prefix, budget
        self._redis = client

    def admit(self, key_id: str, members: BitMap, now: float | None = None) -> bool:
        if len(members) < self.k:
            return False
        keys = [f"{self.prefix}:{key_id}:{part}" for part in ("bitmaps", "times", "sizes")]
        with self._redis.pipeline() as pipe:
            for _ in range(WATCH_ATTEMPTS):
                try:
                    # Read under WATCH: if another worker adds to this key's answers before our
                    # EXEC, it fails and we check again against the new history, so two
                    # workers never both pass a pair of answers that differ by fewer than k.
                    pipe.watch(*keys)
                    self._check_then_add(pipe, keys, members, now)
                    pipe.execute()
                    return True
                except redis.WatchError:
                    continue
        raise ApiError("too many segment answers at once for this key; ask again")

    def _check_then_add(self, pipe: redis.client.Pipeline, keys: list[str], members: BitMap,
                        now: float | None) -> None:
        bitmaps, times, sizes = keys
        size, identity = len(members), answer_id(members)
        if now is None:
            seconds, microseconds = pipe.time()  # Redis's clock: workers' clocks may differ
            now = seconds + microseconds / 1e6
        expired = [i.decode() for i in pipe.zrangebyscore(times, "-inf", now - self.budget.seconds)]
        if identity in expired or pipe.zscore(times, identity) is None:
            near = [i.decode() for i in pipe.zrangebyscore(sizes, size - self.k + 1,
                                                           size + self.k - 1)]
            near = [i for i in near if i not in expired]
            earlier = pipe.hmget(bitmaps, near) if near else []
            refuse_isolating(members, (BitMap.deserialize(raw) for raw in earlier if raw),
                             self.k)
            self.budget.refuse_past(pipe.zcard(times) - len(expired))
        pipe.multi()
        if expired:
            pipe.hdel(bitmaps, *expired)
            pipe.zrem(times, *expired)
            pipe.zrem(sizes, *expired)
        pipe.hset(bitmaps, identity, members.serialize())
        pipe.zadd(times, {identity: now})
        pipe.zadd(sizes, {identity: size})
        for key in keys:
            pipe.expire(key, self.budget.seconds)
