"""Limits on what one request may cost: per-key rate, and the estimated size of a query.

The rate limit's windows live in the process locally and in Redis in prod, where every uvicorn
worker must count against one budget per key, and a restart must not hand out a fresh one.
Depth, aliases and tokens are Strawberry's own extensions (``api.schema``); the complexity
estimate is here: every selected field costs one, multiplied by the list sizes above it (the
``keys``/``expressions`` given, or a page's ``limit``).
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from typing import Any, Protocol

import redis
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    value_from_ast_untyped,
)
from strawberry.extensions import SchemaExtension

from api.errors import LimitExceeded
from api.state import open_redis
from profilehub.settings import Settings

# Arguments whose list length multiplies the cost of the field's selection, and page sizes.
LIST_ARGUMENTS = ("keys", "expressions")
PAGE_ARGUMENTS = ("limit",)
WINDOW_SECONDS = 60.0


class RateLimiter(Protocol):
    """At most ``per_minute`` requests per key in any 60 s (a sliding window)."""

    per_minute: int

    def admit(self, key_id: str, now: float | None = None) -> bool:
        """Count a request of ``key_id`` and say whether it may proceed; ``now`` (seconds on
        the backend's clock) is for tests, the backend's own clock otherwise."""
        ...


def open_rate_limiter(settings: Settings) -> RateLimiter:
    per_minute = settings.api.rate_limit_per_minute
    if settings.env == "prod":
        return RedisRateLimiter(open_redis(settings),
                                f"{settings.api.redis_prefix}:ratelimit", per_minute)
    return InProcessRateLimiter(per_minute)


class InProcessRateLimiter:
    """Request times per key in this process's memory, on the monotonic clock."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, key_id: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            window = self._seen.setdefault(key_id, deque())
            while window and window[0] <= now - WINDOW_SECONDS:
                window.popleft()
            if len(window) >= self.per_minute:
                return False
            window.append(now)
            return True


# One script, so that trimming, counting and adding are one atomic step for every worker.
# Times are Redis's own (TIME) unless the caller passes one: workers' clocks may disagree.
# KEYS[1]: the key's window; ARGV: limit, window seconds, request id, now or "".
_ADMIT_SCRIPT = """
local now = tonumber(ARGV[4])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) + tonumber(time[2]) / 1000000
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
"""


class RedisRateLimiter:
    """A sorted set of request ids scored by time per key, at ``<prefix>:<key_id>``; it
    expires a window after its last admitted request."""

    def __init__(self, client: redis.Redis, prefix: str, per_minute: int) -> None:
        self.per_minute, self.prefix = per_minute, prefix
        self._admit = client.register_script(_ADMIT_SCRIPT)

    def admit(self, key_id: str, now: float | None = None) -> bool:
        # A unique member per request: two requests at the same instant both count.
        arguments = (self.per_minute, math.ceil(WINDOW_SECONDS), uuid.uuid4().hex,
                     "" if now is None else repr(now))
        return bool(self._admit(keys=[f"{self.prefix}:{key_id}"], args=arguments))


def query_cost(document: DocumentNode, variables: dict[str, Any] | None) -> int:
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    return sum(_selection_cost(d.selection_set, fragments, variables or {}, 0)
               for d in document.definitions if isinstance(d, OperationDefinitionNode))


def _fields(selection_set: SelectionSetNode | None, fragments) -> Iterator[FieldNode]:
    for selection in (selection_set.selections if selection_set else ()):
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                yield from _fields(fragment.selection_set, fragments)


def _selection_cost(selection_set, fragments, variables, depth: int) -> int:
    if depth > 50:  # a fragment cycle (validation reports it): stop counting
        return 0
    cost = 0
    for node in _fields(selection_set, fragments):
        factor = _multiplier(node, variables)
        cost += factor * (1 + _selection_cost(node.selection_set, fragments, variables,
                                              depth + 1))
    return cost


def _multiplier(node: FieldNode, variables: dict[str, Any]) -> int:
    factor = 1
    for argument in node.arguments or ():
        name = argument.name.value
        value = argument.value
        if isinstance(value, VariableNode):
            raw = variables.get(value.name.value)
        elif isinstance(value, ListValueNode):
            raw = value.values
        else:
            raw = value_from_ast_untyped(value, variables)
        if name in LIST_ARGUMENTS and isinstance(raw, list | tuple):
            factor *= max(1, len(raw))
        elif name in PAGE_ARGUMENTS and isinstance(raw, int):
            factor *= max(1, raw)
    return factor


class ComplexityLimiter(SchemaExtension):
    """Refuses a query whose estimated cost exceeds ``max_cost`` before anything executes."""

    def __init__(self, max_cost: int) -> None:
        self.max_cost = max_cost

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            cost = query_cost(context.graphql_document, context.variables)
            if cost > self.max_cost:
                raise LimitExceeded(f"query too complex: estimated cost {cost} exceeds the "
                                    f"limit of {self.max_cost}; ask for fewer customers, "
                                    f"smaller pages or fewer fields")
        yield
