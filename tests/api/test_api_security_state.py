"""The rate limiter and the difference guard behave the same in the process (local) and in Redis
(prod); in Redis, every worker shares them and a restart keeps them (issue #7)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import redis
from graphql_client import error_messages, graphql
from pyroaring import BitMap
from support.feature_store_data import REDIS_URL

from api.app import build_services
from api.errors import ApiError, PrivacyRefused
from api.limits import InProcessRateLimiter, RateLimiter, RedisRateLimiter, open_rate_limiter
from api.segments.privacy import (
    SECONDS_PER_DAY,
    WATCH_ATTEMPTS,
    AnswerBudget,
    DifferenceGuard,
    InProcessDifferenceGuard,
    RedisDifferenceGuard,
    open_difference_guard,
)
from profilehub.settings import REPO_ROOT, Settings, load_settings

K = 10
TWELVE = BitMap(range(100, 112))
TWELVE_BUT_ONE = BitMap(range(101, 112))  # isolates customer 100 against TWELVE
TWENTY_ONE = BitMap(range(100, 121))  # differs from TWELVE by k - 1
TWENTY_TWO = BitMap(range(100, 122))  # differs from TWELVE by exactly k
REFUSAL = ("refused: this segment differs from one you asked before by fewer than 10 "
           "customers, which could single people out")
PARTNER, PURPOSE = "partner:ecom_mall", "partner_credit_assessment"
SEGMENT = "query ($e: String!) { segment(expression: $e) { count } }"
MEDIUM = "consumption_capacity_band = 'medium'"


@dataclass
class Backend:
    """Settings of one environment; each ``open_*`` call is another worker (or a restart)."""

    settings: Settings

    def limiter(self) -> RateLimiter:
        return open_rate_limiter(self.settings)

    def guard(self) -> DifferenceGuard:
        return open_difference_guard(self.settings)

    def guard_with(self, answers: int, days: int = 1) -> DifferenceGuard:
        budget = AnswerBudget(answers, days)
        if self.settings.env == "prod":
            return RedisDifferenceGuard(redis.Redis.from_url(REDIS_URL),
                                        f"{self.settings.api.redis_prefix}:answers", K, budget)
        return InProcessDifferenceGuard(K, budget)


def backend_settings(env: str, prefix: str, tmp_path, **environ: str) -> Settings:
    return load_settings({"PROFILEHUB_ENV": env, "PROFILEHUB_DATA_ROOT": str(tmp_path),
                          "PROFILEHUB_REDIS_URL": REDIS_URL, "PROFILEHUB_API_REDIS_PREFIX": prefix,
                          "PROFILEHUB_API_RATE_LIMIT_PER_MINUTE": "3",
                          "PROFILEHUB_API_K_THRESHOLD": str(K), **environ})


@pytest.fixture(params=["local", "prod"])
def backend(request, redis_prefix, tmp_path) -> Backend:
    return Backend(backend_settings(request.param, redis_prefix, tmp_path))


@pytest.fixture
def redis_backend(redis_prefix, tmp_path) -> Backend:
    return Backend(backend_settings("prod", redis_prefix, tmp_path))


# The same behaviour, in the process and in Redis.

def test_the_factories_pick_the_backend_of_the_environment(backend):
    prod = backend.settings.env == "prod"
    assert isinstance(backend.limiter(), RedisRateLimiter if prod else InProcessRateLimiter)
    assert isinstance(backend.guard(), RedisDifferenceGuard if prod else InProcessDifferenceGuard)


def test_the_rate_limit_refuses_a_full_window_until_it_slides(backend):
    limiter = backend.limiter()
    assert [limiter.admit("key", now=t) for t in (1000.0, 1010.0, 1020.0)] == [True] * 3
    assert limiter.admit("key", now=1030.0) is False
    # 1000 leaves the window at 1060; the refused request at 1030 was never counted.
    assert limiter.admit("key", now=1060.0) is True
    assert limiter.admit("key", now=1061.0) is False
    assert limiter.admit("key", now=1070.5) is True


def test_each_key_has_its_own_rate_budget(backend):
    limiter = backend.limiter()
    assert all(limiter.admit("first", now=1000.0) for _ in range(3))
    assert limiter.admit("first", now=1000.0) is False
    assert limiter.admit("second", now=1000.0) is True


def test_the_rate_limiter_reads_its_own_clock(backend):
    limiter = backend.limiter()
    assert [limiter.admit("key") for _ in range(4)] == [True, True, True, False]


def test_answers_below_k_are_suppressed_and_not_remembered(backend):
    guard = backend.guard()
    assert guard.admit("key", BitMap(range(100, 109))) is False
    # Had the 9 been remembered, 12 that differ from them by 3 would be refused.
    assert guard.admit("key", TWELVE) is True


def test_an_answer_isolating_fewer_than_k_by_difference_is_refused(backend):
    guard = backend.guard()
    assert guard.admit("key", TWELVE) is True
    with pytest.raises(PrivacyRefused) as refused:
        guard.admit("key", TWELVE_BUT_ONE)
    assert str(refused.value) == REFUSAL
    # The same answer again tells nothing new, k or more apart is allowed, other keys are apart.
    assert guard.admit("key", TWELVE) is True
    assert guard.admit("key", TWENTY_TWO) is True
    assert guard.admit("other", TWELVE_BUT_ONE) is True


def test_answers_of_other_sizes_are_checked_up_to_k_apart(backend):
    guard = backend.guard()
    assert guard.admit("key", TWELVE) is True
    with pytest.raises(PrivacyRefused, match="fewer than 10 customers"):
        guard.admit("key", TWENTY_ONE)
    with pytest.raises(PrivacyRefused, match="fewer than 10 customers"):
        guard.admit("key", BitMap(range(103, 112)) | BitMap(range(500, 506)))


BUDGET_SPENT = ("refused: this key has had 2 different segment answers in the last 1 days, as "
                "many as can be checked against each other; ask again when the oldest is 1 "
                "days old")


def test_past_the_budget_new_answers_are_refused_not_old_ones_forgotten(backend):
    guard = backend.guard_with(answers=2)
    assert guard.admit("key", TWELVE, now=1000.0) is True
    assert guard.admit("key", BitMap(range(200, 212)), now=1001.0) is True
    with pytest.raises(PrivacyRefused) as refused:
        guard.admit("key", BitMap(range(300, 312)), now=1002.0)
    assert str(refused.value) == BUDGET_SPENT
    # Asking an answered segment again spends nothing; the first answer is still held.
    assert guard.admit("key", TWELVE, now=1003.0) is True
    with pytest.raises(PrivacyRefused, match="fewer than 10 customers"):
        guard.admit("key", TWELVE_BUT_ONE, now=1004.0)
    assert guard.admit("other", BitMap(range(300, 312)), now=1005.0) is True


def test_answers_leave_the_window_a_window_after_last_asked(backend):
    guard = backend.guard_with(answers=2, days=1)
    assert guard.admit("key", TWELVE, now=1000.0) is True
    assert guard.admit("key", BitMap(range(200, 212)), now=1000.0) is True
    assert guard.admit("key", TWELVE, now=5000.0) is True  # asked again: held a day from here
    later = 1000.0 + SECONDS_PER_DAY + 1
    assert guard.admit("key", BitMap(range(300, 312)), now=later) is True  # 200.. left: room
    with pytest.raises(PrivacyRefused, match="fewer than 10 customers"):
        guard.admit("key", TWELVE_BUT_ONE, now=later)
    assert guard.admit("key", TWELVE_BUT_ONE, now=5000.0 + SECONDS_PER_DAY + 1) is True


# Redis: shared by workers, kept across restarts, atomic, expiring.

def test_workers_count_against_one_rate_limit(redis_backend):
    first, second = redis_backend.limiter(), redis_backend.limiter()
    assert [first.admit("key"), second.admit("key"), first.admit("key")] == [True] * 3
    assert second.admit("key") is False and first.admit("key") is False


def test_workers_share_the_difference_history(redis_backend):
    first, second = redis_backend.guard(), redis_backend.guard()
    assert first.admit("key", TWELVE) is True
    with pytest.raises(PrivacyRefused, match="fewer than 10 customers"):
        second.admit("key", TWELVE_BUT_ONE)


# A worker process that answers TWELVE for "key", then exits.
ANSWER_THEN_EXIT = """
from pyroaring import BitMap
from api.segments.privacy import open_difference_guard
from profilehub.settings import load_settings
assert open_difference_guard(load_settings()).admit("key", BitMap(range(100, 112)))
"""


def test_a_restart_remembers_the_answers_given_before(redis_backend):
    subprocess.run([sys.executable, "-c", ANSWER_THEN_EXIT], cwd=REPO_ROOT, check=True,
                   env={**os.environ, **redis_backend.settings._environ})
    with pytest.raises(PrivacyRefused, match="fewer than 10 customers"):
        redis_backend.guard().admit("key", TWELVE_BUT_ONE)


def race(workers: list[Callable[[], object]]) -> list[object]:
    """Run each callable in its own thread, released together; what each returned or raised."""
    outcomes: list[object] = [None] * len(workers)
    start = threading.Barrier(len(workers))

    def run(index: int) -> None:
        start.wait()
        try:
            outcomes[index] = workers[index]()
        except Exception as error:  # the outcome under test
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_concurrent_workers_never_both_pass_an_isolating_pair(redis_backend):
    first, second = redis_backend.guard(), redis_backend.guard()
    for attempt in range(30):
        key = f"key{attempt}"
        outcomes = race([lambda key=key: first.admit(key, TWELVE),
                         lambda key=key: second.admit(key, TWELVE_BUT_ONE)])
        assert sorted(type(outcome).__name__ for outcome in outcomes) == [
            "PrivacyRefused", "bool"], outcomes


def test_concurrent_workers_admit_no_more_than_the_limit(redis_backend):
    limiters = [redis_backend.limiter() for _ in range(4)]
    outcomes = race([lambda limiter=limiter: [limiter.admit("key") for _ in range(3)]
                     for limiter in limiters])
    assert sum(sum(admitted) for admitted in outcomes) == 3


def test_the_keys_live_under_the_prefix_and_expire(redis_prefix, tmp_path):
    backend = Backend(backend_settings("prod", redis_prefix, tmp_path,
                                       PROFILEHUB_API_DIFFERENCE_HISTORY_DAYS="2"))
    backend.limiter().admit("key")
    backend.guard().admit("key", TWELVE)
    client = redis.Redis.from_url(REDIS_URL)
    assert 0 < client.ttl(f"{redis_prefix}:ratelimit:key") <= 60
    answers = f"{redis_prefix}:answers:key"
    for part in ("bitmaps", "times", "sizes"):
        assert 2 * SECONDS_PER_DAY - 60 < client.ttl(f"{answers}:{part}") <= 2 * SECONDS_PER_DAY
    stored = client.hgetall(f"{answers}:bitmaps")
    assert [BitMap.deserialize(raw) for raw in stored.values()] == [TWELVE]
    assert client.zrange(f"{answers}:sizes", 0, -1, withscores=True) == [
        (next(iter(stored)), 12.0)]


def test_answers_out_of_the_window_are_removed_from_redis(redis_backend, redis_prefix):
    guard = redis_backend.guard_with(answers=5, days=1)
    guard.admit("key", TWELVE, now=1000.0)
    guard.admit("key", BitMap(range(200, 212)), now=1000.0 + SECONDS_PER_DAY + 1)
    client, answers = redis.Redis.from_url(REDIS_URL), f"{redis_prefix}:answers:key"
    stored = client.hgetall(f"{answers}:bitmaps").values()
    assert [BitMap.deserialize(raw).min() for raw in stored] == [200]
    assert client.zcard(f"{answers}:times") == client.zcard(f"{answers}:sizes") == 1


class ContestedGuard(RedisDifferenceGuard):
    """Another worker adds to the key's answers between every check and its EXEC."""

    def _check_then_add(self, pipe, keys, members, now):
        super()._check_then_add(pipe, keys, members, now)
        redis.Redis.from_url(REDIS_URL).hset(keys[0], "other", b"")
        self.checks += 1


def test_a_contested_answer_gives_up_with_a_clear_error(redis_prefix):
    guard = ContestedGuard(redis.Redis.from_url(REDIS_URL), f"{redis_prefix}:answers", K,
                           AnswerBudget(5, 1))
    guard.checks = 0
    with pytest.raises(ApiError, match="too many segment answers at once"):
        guard.admit("key", TWELVE)
    assert guard.checks == WATCH_ATTEMPTS


# Through the app.

def test_build_services_uses_the_environment_backends(world):
    services = build_services(world.settings, world.serving)
    try:
        prod = world.env == "prod"
        assert isinstance(services.rate_limiter,
                          RedisRateLimiter if prod else InProcessRateLimiter)
        assert isinstance(services.differences,
                          RedisDifferenceGuard if prod else InProcessDifferenceGuard)
    finally:
        services.audit.close()


def test_app_workers_share_limits_and_history_in_prod(world):
    settings = world.own_security_state(
        world.settings_with(PROFILEHUB_API_RATE_LIMIT_PER_MINUTE="3"))
    first, second = world.worker(settings), world.worker(settings)
    key = world.keys[PARTNER]

    def count(client, expression: str) -> dict:
        return graphql(client, key, SEGMENT, {"e": expression}, purpose=PURPOSE)

    def fourth_request() -> int:
        return first.post("/graphql", json={"query": SEGMENT, "variables": {"e": MEDIUM}},
                          headers={"Authorization": f"Bearer {key}", "X-Purpose": PURPOSE}
                          ).status_code

    attack = f"{MEDIUM} AND NOT serial_refunder"
    assert count(first, MEDIUM)["data"]["segment"]["count"] == 12
    through_another_worker = count(second, attack)
    after_a_restart = count(world.worker(settings), attack)
    if world.env == "prod":
        for refused in (through_another_worker, after_a_restart):
            assert "fewer than 10 customers" in error_messages(refused)[0]
        # Three requests through three apps spent the key's budget of three a minute.
        assert fourth_request() == 429
    else:
        # Locally each app is a process of its own, with its own memory and budget.
        for shown in (through_another_worker, after_a_restart):
            assert shown["data"]["segment"]["count"] == 11
        assert fourth_request() == 200
