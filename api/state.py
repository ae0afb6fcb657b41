"""The Redis connection of the API's own shared state in prod: consent ledger, rate-limit
windows and partners' segment answers."""

from __future__ import annotations

import redis

from profilehub.settings import Settings

# A request waits on Redis at most this long: a stalled Redis fails requests with an error
# the caller can retry, instead of holding every worker until the OS gives up on the socket.
SOCKET_TIMEOUT_SECONDS = 2.0
# Ping a pooled connection idle this long before reuse, so a Redis restart costs no request.
HEALTH_CHECK_SECONDS = 30


def open_redis(settings: Settings) -> redis.Redis:
    return redis.Redis.from_url(settings.services.redis_url,
                                socket_timeout=SOCKET_TIMEOUT_SECONDS,
                                socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
                                health_check_interval=HEALTH_CHECK_SECONDS)
