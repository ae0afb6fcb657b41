"""The segment index of one as_of: counts, paged members, CSV export and raw bitmaps.

A segment is evaluated bottom-up over roaring bitmaps of customer ids. AND intersects its
positive operands and subtracts its negated ones (no complement is materialised); NOT is the
complement within every customer of the as_of. Evaluated sub-expressions are kept in a small
LRU cache keyed by the (immutable) syntax tree.
"""

from __future__ import annotations

import operator
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from threading import Lock

from pyroaring import BitMap, FrozenBitMap

from profilehub.segments.ast import And, Atom, Between, Compare, Expr, InList, IsTrue, Not, Or
from profilehub.segments.bitmaps import id_numpy, union
from profilehub.segments.export import CsvTarget, write_members_csv
from profilehub.segments.kinds import TRUE_LABEL, TagKind
from profilehub.segments.semantics import bucket_position, check, parse_segment
from profilehub.segments.store import IndexStore

DEFAULT_CACHE_SIZE = 256
Segment = str | Expr
_ORDER_TESTS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


class SegmentIndex:
    """Open with ``SegmentIndex.open(folder)``; build with ``build_index``."""

    def __init__(self, store: IndexStore, cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        self._store = store
        self._cache = _LruCache(cache_size)
        self.kinds: dict[str, TagKind] = {
            tag: entry.kind for tag, entry in store.manifest.tags.items()}

    @classmethod
    def open(cls, folder: Path, *, cache_size: int = DEFAULT_CACHE_SIZE) -> SegmentIndex:
        return cls(IndexStore(folder), cache_size)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> SegmentIndex:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def folder(self) -> Path:
        return self._store.folder

    @property
    def as_of(self) -> date:
        return self._store.manifest.as_of

    @property
    def customer_count(self) -> int:
        return self._store.manifest.customers

    def segment(self, segment: Segment) -> Expr:
        """The checked syntax tree of a segment given as text or as a tree."""
        if isinstance(segment, str):
            return parse_segment(segment, self.kinds)
        check(segment, self.kinds)
        return segment

    def evaluate(self, segment: Segment) -> BitMap:
        """Ids of the segment's customers (a fresh bitmap the caller may change)."""
        return BitMap(self._evaluate(self.segment(segment)))

    def count(self, segment: Segment) -> int:
        return len(self._evaluate(self.segment(segment)))

    def members(self, segment: Segment, offset: int = 0, limit: int = 100) -> list[str]:
        """One page of customer_keys, in ascending customer_key order."""
        if offset < 0 or limit < 0:
            raise ValueError(f"offset and limit must be >= 0, got {offset} and {limit}")
        page = self._evaluate(self.segment(segment))[offset:offset + limit]
        return self._store.customer_keys().take(id_numpy(page)).to_pylist()

    def export_csv(self, segment: Segment, target: CsvTarget) -> int:
        """Stream the segment's customer_keys as CSV; returns the number of rows written."""
        members = self._evaluate(self.segment(segment))
        return write_members_csv(self._store.customer_keys(), members, target)

    def _evaluate(self, expr: Expr) -> FrozenBitMap:
        result = self._cache.get(expr)
        if result is None:
            result = self._compute(expr)
            self._cache.put(expr, result)
        return result

    def _compute(self, expr: Expr) -> FrozenBitMap:
        if isinstance(expr, Or):
            return union([self._evaluate(operand) for operand in expr.operands])
        if isinstance(expr, And):
            return self._intersect(expr.operands)
        if isinstance(expr, Not):
            return self._store.universe - self._evaluate(expr.operand)
        return self._atom(expr)

    def _intersect(self, operands: tuple[Expr, ...]) -> FrozenBitMap:
        kept = [self._evaluate(op) for op in operands if not isinstance(op, Not)]
        removed = [self._evaluate(op.operand) for op in operands if isinstance(op, Not)]
        result = FrozenBitMap.intersection(*kept) if kept else self._store.universe
        return result.difference(*removed) if removed else result

    def _atom(self, atom: Atom) -> FrozenBitMap:
        if self.kinds[atom.tag].type == "score":
            return self._score_atom(atom)
        return self._label_atom(atom, self.kinds[atom.tag])

    def _label_atom(self, atom: Atom, kind: TagKind) -> FrozenBitMap:
        store, tag = self._store, atom.tag
        if isinstance(atom, IsTrue):
            return store.label(tag, TRUE_LABEL)
        if isinstance(atom, InList):
            return union([store.label(tag, label) for label in atom.values])
        if isinstance(atom, Compare) and atom.op == "=":
            return store.label(tag, atom.value)
        if isinstance(atom, Compare) and atom.op == "!=":
            return store.presence(tag) - store.label(tag, atom.value)
        return union([store.label(tag, label) for label in _buckets_within(kind, atom)])

    def _score_atom(self, atom: Atom) -> FrozenBitMap:
        store, tag = self._store, atom.tag
        if isinstance(atom, InList):
            return union([store.score_range(tag, value, value) for value in atom.values])
        if isinstance(atom, Between):
            return store.score_range(tag, atom.low, atom.high)
        value = atom.value
        if atom.op == "=":
            return store.score_range(tag, value, value)
        if atom.op == "!=":
            return store.presence(tag) - store.score_range(tag, value, value)
        if atom.op in ("<", "<="):
            return store.score_range(tag, high=value, high_inclusive=atom.op == "<=")
        return store.score_range(tag, low=value, low_inclusive=atom.op == ">=")


def _buckets_within(kind: TagKind, atom: Compare | Between) -> list[str]:
    """Bucket labels an ordered comparison or BETWEEN selects, by bucket rank."""
    if isinstance(atom, Between):
        low, high = bucket_position(kind, atom.low), bucket_position(kind, atom.high)
        return list(kind.buckets[low:high + 1])
    target, test = bucket_position(kind, atom.value), _ORDER_TESTS[atom.op]
    return [label for rank, label in enumerate(kind.buckets) if test(rank, target)]


class _LruCache:
    """Least-recently-used results by syntax tree; capacity 0 disables caching.

    Locked because a serving process queries one index from several threads, and reordering
    an OrderedDict while another thread evicts from it is not safe.
    """

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._items: OrderedDict[Expr, FrozenBitMap] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Expr) -> FrozenBitMap | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Expr, value: FrozenBitMap) -> None:
        if self._capacity <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)
