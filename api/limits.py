"""Limits on what one request may cost: per-key rate, and the estimated size of a query.

Depth, aliases and tokens are Strawberry's own extensions (``api.schema``); the complexity
estimate is here: every selected field costs one, multiplied by the list sizes above it (the
``keys``/``expressions`` given, or a page's ``limit``).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from typing import Any

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

# Arguments whose list length multiplies the cost of the field's selection, and page sizes.
LIST_ARGUMENTS = ("keys", "expressions")
PAGE_ARGUMENTS = ("limit",)
WINDOW_SECONDS = 60.0


class RateLimiter:
    """A sliding window of request times per key: at most ``per_minute`` in any 60 s."""

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
